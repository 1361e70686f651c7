"""One envelope in, one envelope out: the msgid's earlier answer if there is one, else the transaction's, kept for
a retry. A refusal of any service is infcode -1 with its readable text and our code in brackets."""
from dataclasses import dataclass

from error_texts import message
from services.checkout import nhsa_messages
from services.clock import now
from services.errors import InvalidRequest, ServiceError

from . import envelope, fields, outpatient, pharmacy, statement

TRANSACTIONS = {
    "9001": pharmacy.sign_in, "9002": pharmacy.sign_out, "1101": pharmacy.person_info,
    "2101": pharmacy.pre_settle, "2102": pharmacy.settle, "2103": pharmacy.reverse,
    "2201": outpatient.register, "2204": outpatient.upload, "2205": outpatient.withdraw,
    "2206": outpatient.pre_settle, "2207": outpatient.settle, "2208": outpatient.reverse,
    "3201": statement.check,
}
# A settlement is its own record of a msgid (order_no = msgid, idempotent with its input's hash): a retry settles
# nothing more and answers the same settlement, so its success needs no second write. Its -1 is kept like any other.
SETTLING = {"2102", "2207"}


@dataclass(frozen=True)
class Call:
    institution_id: str
    infno: str
    msgid: str
    input: dict


def _call(body: dict, institution_id: str, path_infno: str | None) -> Call:
    """The envelope's required fields: infno (agreeing with the path's), msgid, fixmedins_code, input."""
    infno = fields.text(body, "infno", "envelope", longest=10)
    if path_infno is not None and path_infno != infno:
        fields.bad("envelope.infno", "must be the infno of the path")
    msgid = fields.text(body, "msgid", "envelope", longest=30)
    if not envelope.MSGID.fullmatch(msgid):
        fields.bad("envelope.msgid", "must be 1 to 30 printable ASCII characters without spaces")
    if fields.text(body, "fixmedins_code", "envelope", longest=32) != institution_id:
        fields.bad("envelope.fixmedins_code", "must be the id of the institution that signed the request")
    if not isinstance(body.get("input"), dict):
        fields.bad("envelope.input", "must be an object")
    return Call(institution_id, infno, msgid, body["input"])


def _reason(exc: ServiceError) -> str:
    """Our code, and the fields a bad input named: kept with the answer, rendered per reader."""
    named = " ".join(sorted(exc.details))[:180] if isinstance(exc, InvalidRequest) else ""
    return f"{exc.code} {named}".strip()


def err_msg(reason: str | None) -> str:
    if not reason:
        return ""
    code, _, named = reason.partition(" ")
    return f"{message(code)}{' ' + named if named else ''} [{code}]"


def _run(call: Call) -> tuple[int, str | None, str]:
    handler = TRANSACTIONS.get(call.infno)
    if handler is None:
        return -1, "unsupported_transaction", "{}"
    try:
        return 0, None, envelope.dumps(handler(call))
    except ServiceError as exc:
        return -1, _reason(exc), "{}"


def transact(institution_id: str, path_infno: str | None, raw: bytes) -> tuple[str, str, int]:
    """(the output envelope's JSON text, infno, infcode)."""
    received = now()
    try:
        call = _call(envelope.parse(raw), institution_id, path_infno)
        digest = envelope.digest(call.infno, call.input)
        kept = nhsa_messages.recall(institution_id, call.msgid, digest)
    except ServiceError as exc:   # no envelope, or the msgid's other input: nothing to keep
        return envelope.answer(-1, "{}", err_msg(_reason(exc)), received, now()), path_infno or "", -1
    if kept is None:
        infcode, reason, output = _run(call)
        if call.infno in SETTLING and (infcode == 0 or reason == "idempotency_conflict"):
            # kept by the settlement itself; another input's refusal must not take the msgid from the first
            return envelope.answer(infcode, output, err_msg(reason), received, now()), call.infno, infcode
        try:
            kept = nhsa_messages.keep(institution_id, call.msgid, digest, infcode, reason, output)
        except ServiceError as exc:   # a concurrent copy with another input kept its answer first
            return envelope.answer(-1, "{}", err_msg(_reason(exc)), received, now()), call.infno, -1
    return envelope.answer(kept.infcode, kept.output, err_msg(kept.err_code), received, now()), call.infno, \
        kept.infcode
