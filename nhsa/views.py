"""POST /nhsa/{infno} and POST /nhsa (API.md "National interface"), under /api/v1 as every path of the contract
and at the server's root as well (the contract names `/nhsa/{infno}`; a POS is configured with a base URL, and some
are given the host alone). The body is the spec's envelope, JSON whatever the Content-Type says."""
import json

from flask import Response, request
from flask_smorest import Blueprint
from prometheus_client import Counter
from werkzeug.exceptions import RequestEntityTooLarge

from services.clock import now
from services.people.gateway_auth import GatewayRefused

from . import dispatch, envelope, gateway

blp = Blueprint("nhsa", __name__, description="The national medical-insurance interface (国家医保接口) for pharmacy "
                "POS and hospital HIS: the spec's envelopes, signed by the service gateway's headers")
REQUESTS = Counter("gongji_nhsa_requests", "National-interface requests, by infno and infcode (401: the gateway "
                   "refused the signature)", ["infno", "infcode"])
ENVELOPE = {"content": {"application/json": {"schema": {"type": "object", "required": ["infno", "msgid",
                                                                                       "fixmedins_code", "input"],
    "properties": {"infno": {"type": "string"}, "msgid": {"type": "string", "maxLength": 30},
                   "fixmedins_code": {"type": "string", "description": "the signing institution's id"},
                   "input": {"type": "object"}}}}}}
ANSWERS = {
    "200": {"description": "the output envelope: infcode (0 or -1), inf_refmsgid, refmsg_time, respond_time, "
                           "err_msg (\"readable text [our_code]\"), output; amounts in yuan with two decimals"},
    "401": {"description": "the gateway's refusal {\"code\": 401, \"message\": \"…\"}: a missing, stale or wrong "
                           "signature (_api_* HMAC-SHA1 or x-tif-* SHA-256), an unknown institution, a reused nonce"},
}
SECURITY = [{"nhsaApiSignature": []}, {"nhsaTifSignature": []}]


def _label(infno) -> str:
    return infno if infno in dispatch.TRANSACTIONS else "other"


def transact(infno=None):
    try:
        institution_id = gateway.institution(request.headers)
    except GatewayRefused as refused:
        REQUESTS.labels(_label(infno), "401").inc()
        return Response(json.dumps({"code": 401, "message": refused.words}, ensure_ascii=False), 401,
                        content_type="application/json; charset=utf-8")
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:   # answered as an envelope that is not one; nothing read, nothing changed
        text, infcode = envelope.answer(-1, "{}", dispatch.err_msg("invalid_request body"), now(), now()), -1
    else:
        text, infno, infcode = dispatch.transact(institution_id, infno, raw)
    REQUESTS.labels(_label(infno), str(infcode)).inc()
    return Response(text, 200, content_type="application/json; charset=utf-8")


transact.own_json = True   # mini's JSON guard leaves this body alone: a hostile one is answered as an envelope


@blp.route("/nhsa/<infno>", methods=["POST"], endpoint="by_path")
@blp.doc(summary="One transaction, its infno in the path", requestBody=ENVELOPE, responses=ANSWERS,
         security=SECURITY)
def by_path(infno):
    """9001/9002, 1101, 2101-2103, 2201/2204-2208, 3201; any other infno answers -1 [unsupported_transaction]."""
    return transact(infno)


@blp.route("/nhsa", methods=["POST"], endpoint="by_envelope")
@blp.doc(summary="One transaction, its infno in the envelope", requestBody=ENVELOPE, responses=ANSWERS,
         security=SECURITY)
def by_envelope():
    """As /nhsa/{infno}, the envelope's infno deciding."""
    return transact()


by_path.own_json = by_envelope.own_json = True
