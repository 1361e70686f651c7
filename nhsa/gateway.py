"""Which institution signed: the gateway's headers, either scheme, read here and checked by services.gateway_auth."""
from services.people import gateway_auth


def institution(headers) -> str:
    """The signing institution's id, or GatewayRefused carrying the gateway's own words."""
    if any(headers.get(name) is not None for name in gateway_auth.API_HEADERS + ("_api_signature",)):
        return gateway_auth.check_api(*(headers.get(name) for name in gateway_auth.API_HEADERS),
                                      headers.get("_api_signature"))
    if any(headers.get(name) is not None for name in gateway_auth.TIF_HEADERS):
        return gateway_auth.check_tif(*(headers.get(name) for name in gateway_auth.TIF_HEADERS))
    raise gateway_auth.GatewayRefused(gateway_auth.MISSING)
