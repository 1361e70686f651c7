"""The national interface's face (国家医保接口): parse the envelope, check the gateway signature, convert yuan to fen,
call the same services the counter API calls, write the output envelope. No rule lives here."""
from . import views

PREFIX = "/api/v1"
SECURITY_SCHEMES = {
    "nhsaApiSignature": {"type": "apiKey", "in": "header", "name": "_api_signature",
                         "description": "Base64(HMAC-SHA1(secret, \"_api_access_key=…&_api_name=…&_api_timestamp=…"
                                        "&_api_version=…\")); _api_access_key = institution id, _api_timestamp "
                                        "13-digit ms within 30 minutes"},
    "nhsaTifSignature": {"type": "apiKey", "in": "header", "name": "x-tif-signature",
                         "description": "hex SHA-256(timestamp + secret + nonce + timestamp); x-tif-paasid = "
                                        "institution id, x-tif-timestamp seconds within 300 s, x-tif-nonce once"},
}


def register(app, api):
    """Under /api/v1 (documented) and at the root (the same views)."""
    api.spec.components.security_scheme("nhsaApiSignature", SECURITY_SCHEMES["nhsaApiSignature"])
    api.spec.components.security_scheme("nhsaTifSignature", SECURITY_SCHEMES["nhsaTifSignature"])
    api.register_blueprint(views.blp, url_prefix=PREFIX)
    app.add_url_rule("/nhsa/<infno>", "nhsa_root_by_path", views.by_path, methods=["POST"])
    app.add_url_rule("/nhsa", "nhsa_root_by_envelope", views.by_envelope, methods=["POST"])
