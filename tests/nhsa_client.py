"""A pharmacy POS / hospital HIS for tests: builds the national interface's envelopes and signs them with the
service gateway's headers, scheme (a) `_api_*` or (b) `x-tif-*`, over the Flask test client or real HTTP."""
import base64
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from datetime import timedelta

from services.clock import CHINA, now


def api_headers(ak, sk, name="api_1101", version="1.0", timestamp=None):
    ts = str(timestamp if timestamp is not None else int(now().timestamp() * 1000))
    text = f"_api_access_key={ak}&_api_name={name}&_api_timestamp={ts}&_api_version={version}"
    signature = base64.b64encode(hmac.new(sk.encode(), text.encode(), hashlib.sha1).digest()).decode()
    return {"_api_access_key": ak, "_api_name": name, "_api_timestamp": ts, "_api_version": version,
            "_api_signature": signature}


def tif_headers(paasid, sk, timestamp=None, nonce=None):
    ts = str(timestamp if timestamp is not None else int(now().timestamp()))
    nonce = nonce or secrets.token_hex(12)
    signature = hashlib.sha256((ts + sk + nonce + ts).encode()).hexdigest()
    return {"x-tif-paasid": paasid, "x-tif-timestamp": ts, "x-tif-nonce": nonce, "x-tif-signature": signature}


class Pos:
    """One institution's POS. `scheme` "api" or "tif"; `send` posts bytes with headers and answers (status, body)."""

    def __init__(self, send, inst_id, secret=None, scheme="api", base="/api/v1"):
        self.send, self.inst_id, self.scheme, self.base = send, inst_id, scheme, base
        self.secret = secret or f"demo-secret-{inst_id}"
        self.seq = 0

    def msgid(self) -> str:
        """As the spec says: institution code (12) + yyyyMMddHHmmss + a sequence (4)."""
        self.seq += 1
        return f"{self.inst_id[:12]:0>12}{now().astimezone(CHINA):%Y%m%d%H%M%S}{self.seq:04d}"

    def envelope(self, infno, input_, msgid=None):
        return {"infno": infno, "msgid": msgid or self.msgid(), "mdtrtarea_admvs": "542523",
                "insuplc_admdvs": "", "recer_sys_code": "99", "dev_no": "null", "dev_safe_info": "null",
                "cainfo": "null", "signtype": "SM2", "infver": "1.0.0", "opter_type": "1", "opter": "0053",
                "opter_name": "收银员", "inf_time": f"{now().astimezone(CHINA):%Y-%m-%d %H:%M:%S}",
                "fixmedins_code": self.inst_id, "fixmedins_name": "药房", "sign_no": "null", "input": input_}

    def headers(self, infno, **sig):
        if self.scheme == "api":
            return api_headers(self.inst_id, self.secret, name=f"api_{infno}", **sig)
        return tif_headers(self.inst_id, self.secret, **sig)

    def post(self, infno, input_, msgid=None, headers=None, raw=None, path=None, language=None, **sig):
        body = raw if raw is not None else json.dumps(self.envelope(infno, input_, msgid), ensure_ascii=False)
        if isinstance(body, str) and not body.encode("utf-8", "replace").decode() == body:
            body = json.dumps(self.envelope(infno, input_, msgid))   # a lone surrogate travels as a \u escape
        h = {"Content-Type": "text/plain", **(self.headers(infno, **sig) if headers is None else headers)}
        if language:
            h["Accept-Language"] = language
        return self.send(path or f"{self.base}/nhsa/{infno}", body.encode() if isinstance(body, str) else body, h)

    def call(self, infno, input_, **kw):
        """The output envelope of a transaction that passed the gateway."""
        status, answer = self.post(infno, input_, **kw)
        assert status == 200, (status, answer)
        return answer

    # the journeys' inputs
    @staticmethod
    def person_input(cert_type, cert_no, card_sn=""):
        return {"data": {"mdtrt_cert_type": cert_type, "mdtrt_cert_no": cert_no, "card_sn": card_sn,
                         "begntime": "", "psn_cert_type": "01", "certno": "", "psn_name": ""}}

    @staticmethod
    def lines(*lines, chrg=None):
        """lines(("XA0101", 2, "15.00"), ...) as drugdetail / feedetail."""
        out = []
        for i, (code, cnt, pric) in enumerate(lines, 1):
            total = f"{int(cnt) * round(float(pric) * 100) / 100:.2f}"
            out.append({"feedetl_sn": str(i), "rx_circ_flag": "0", "fee_ocur_time": "2026-12-04 10:00:00",
                        "med_list_codg": code, "medins_list_codg": code, "det_item_fee_sumamt": total,
                        "cnt": cnt, "pric": pric, **(chrg or {})})
        return out

    @staticmethod
    def drug_input(psn_no, cert_type, cert_no, lines, flag="1", card_sn=""):
        total = sum(round(float(line["det_item_fee_sumamt"]) * 100) for line in lines)
        return {"druginfo": {"psn_no": psn_no, "mdtrt_cert_type": cert_type, "mdtrt_cert_no": cert_no,
                             "card_sn": card_sn, "psn_cert_type": "01", "certno": "", "psn_type": "11",
                             "psn_name": "", "begntime": "2026-12-04 10:00:00", "medfee_sumamt": f"{total / 100:.2f}",
                             "insutype": "310", "acct_used_flag": flag, "med_type": "41"},
                "drugdetail": lines}


def flask_sender(client):
    def send(path, body, headers):
        resp = client.post(path, data=body, headers=headers)
        return resp.status_code, json.loads(resp.data)
    return send


def http_sender(base_url):
    def send(path, body, headers):
        req = urllib.request.Request(base_url.rstrip("/") + path, data=body, method="POST", headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"null")
    return send


def stale_ms():
    return int((now() - timedelta(minutes=31)).timestamp() * 1000)
