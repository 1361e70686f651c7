"""The exception's class decides the status: every code of API.md's error table is raised with the class of its
status, and mini/errors.py gives each class the contract's status (no table of code strings)."""
import ast
import pathlib

import pytest

import error_texts
from mini import errors
from services import errors as service

from .conftest import make_app

ROOT = pathlib.Path(__file__).resolve().parent.parent

# API.md "Error codes" and "v1.1 additions" ("New codes"), as the contract states them.
CONTRACT = {
    400: ["invalid_request"],
    401: ["unauthenticated", "token_expired", "bad_signature", "stale_timestamp", "nonce_reused",
          "unknown_institution"],
    403: ["verification_required", "forbidden"],
    404: ["not_found"],
    409: ["already_linked", "already_bound", "invitation_not_pending", "voucher_used", "ticket_used",
          "idempotency_conflict", "already_paid", "request_in_progress"],
    412: ["precondition_failed"], 428: ["precondition_required"],
    422: ["identity_mismatch", "self_binding", "not_close_relative", "benefactor_not_eligible",
          "beneficiary_not_eligible", "invitee_mismatch", "too_many_beneficiaries", "invitation_expired",
          "invalid_order", "voucher_expired", "voucher_invalid", "ticket_invalid", "not_resident_insured",
          "insufficient_balance", "outside_collection_window", "no_schedule", "binding_ended",
          "not_insured", "card_invalid", "preview_limit_reached", "too_many_proxies", "proxy_not_active"],
    429: ["rate_limited"],
}
# In the contract, but no path raises it today (a racing duplicate premium waits for the first and answers it).
NEVER_RAISED = {"request_in_progress"}
FAMILIES = {name: cls for name, cls in vars(service).items()
            if isinstance(cls, type) and issubclass(cls, service.ServiceError)}


def service_errors_built():
    """(path, node) of every AST node of services/, mini/ and nhsa/."""
    for path in sorted([*ROOT.joinpath("services").rglob("*.py"), *ROOT.joinpath("mini").rglob("*.py"),
                        *ROOT.joinpath("nhsa").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            yield path, node


def raised_codes():
    """(code, class name, where) of every ServiceError built in services/, mini/ and nhsa/: `Refused("code")`,
    `Forbidden()` (the class's own code) and tables of `"code": Refused`."""
    found = []
    for path, node in service_errors_built():
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FAMILIES:
            code = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "code"), None)
            if code is None or (isinstance(code, ast.Constant) and code.value is None):
                found.append((FAMILIES[node.func.id].code, node.func.id, where))
            else:
                assert isinstance(code, ast.Constant), f"{where}: a code must be a literal to be checked"
                found.append((code.value, node.func.id, where))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(value, ast.Name) and value.id in FAMILIES and isinstance(key, ast.Constant):
                    found.append((key.value, value.id, where))
    return found


def test_a_raise_site_passes_a_code_and_details_never_a_text():
    """Whatever shows an error takes its text from error_texts.py by code (mini/errors.py, nhsa/dispatch.py, cli.py):
    a text given where the error is raised would be shown nowhere."""
    found = {}
    for path, node in service_errors_built():
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FAMILIES \
                and (len(node.args) > 1 or any(k.arg == "message" for k in node.keywords)):
            found.setdefault(str(path.relative_to(ROOT)), []).append(node.lineno)
    assert not found, found


def test_the_scan_sees_the_raises():
    codes = {code for code, _, _ in raised_codes()}
    assert {"already_linked", "voucher_used", "already_paid", "insufficient_balance", "forbidden"} <= codes


@pytest.mark.parametrize("status, code", [(s, c) for s, codes in CONTRACT.items() for c in codes])
def test_every_contract_code_is_raised_with_the_class_of_its_status(status, code):
    raises = [(cls, where) for c, cls, where in raised_codes() if c == code]
    if code in NEVER_RAISED:
        assert not raises, f"{code} is raised now: drop it from NEVER_RAISED"
        return
    assert raises, f"{code} is in the contract but nothing raises it"
    for cls, where in raises:
        assert errors.status_of(FAMILIES[cls]) == status, f"{where}: {cls}({code!r}) answers " \
                                                          f"{errors.status_of(FAMILIES[cls])}, the contract {status}"


def test_every_raised_code_is_in_the_contract_or_a_v1_1_addition_and_has_a_message():
    contract = {c for codes in CONTRACT.values() for c in codes}
    extra = {code for code, _, _ in raised_codes()} - contract
    # premium quote's reason; 503; the national interface's own refusals (its -1 answers, API.md v1.2)
    assert extra <= {"account_not_normal", "service_unavailable", "unsupported_cert_type", "visit_unknown",
                     "batch_uploaded", "batch_unknown", "settlement_unknown", "gateway_refused"}, extra
    for code, _, where in raised_codes():
        assert code in error_texts.TEXTS, f"{where}: {code} has no message in error_texts.py"


@pytest.mark.parametrize("family, status", [
    (service.InvalidRequest, 400), (service.Unauthenticated, 401), (service.Forbidden, 403),
    (service.NotFound, 404), (service.Conflict, 409), (service.PreconditionFailed, 412), (service.Refused, 422),
    (service.PreconditionRequired, 428), (service.TooManyRequests, 429), (service.Unavailable, 503),
    (service.ServiceError, 500),
])
def test_each_family_has_its_status_and_a_new_code_follows_its_class(app, family, status):
    assert errors.status_of(family) == status
    with app.test_request_context():
        resp = errors.handle_service_error(family("a_code_added_tomorrow"))
    assert resp.status_code == status and resp.json["error"]["code"] == "a_code_added_tomorrow"
    assert resp.json["error"]["message"] == "请求未能完成。"  # the general message, never the code


def test_under_testing_an_unexpected_exception_is_raised_not_a_500_body(client, as_, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("services.notify.messages.feed", broken)
    with pytest.raises(ZeroDivisionError):
        client.get("/api/v1/messages", headers=as_("tashi"))


def test_in_production_an_unexpected_exception_is_a_500_in_the_contracts_shape(database_uri_for_test, monkeypatch):
    monkeypatch.setattr("mini.ops.jsonify", lambda **kw: 1 / 0)  # a bug in a view
    app = make_app(database_uri_for_test, TESTING=False)
    resp = app.test_client().get("/healthz", headers={"Accept-Language": "bo"})
    assert resp.status_code == 500 and resp.json["error"]["code"] == "internal_error"
    assert resp.json["error"]["message"] == "ང་ཚོའི་ཕྱོགས་སུ་དཀའ་ངལ་ཞིག་བྱུང་། བྱ་བ་འདིས་གང་ཡང་བཟོ་བཅོས་བྱས་མེད།"
