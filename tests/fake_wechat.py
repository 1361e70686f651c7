"""A real HTTP server on loopback that speaks WeChat's code2Session, access-token, face-check (人脸核身 getinfo) and
subscribe-message (subscribeMessage.send) protocols: the only thing we fake."""
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

APPID, SECRET = "wx-test-app", "wx-test-secret"
# js_code -> the JSON the platform answers
ANSWERS = {
    "good-code": {"openid": "o-wechat-1", "session_key": "sk", "unionid": "u1"},
    "used-code": {"errcode": 40163, "errmsg": "code been used"},
    "bad-code": {"errcode": 40029, "errmsg": "invalid code"},
    "busy-code": {"errcode": -1, "errmsg": "system error"},
    "slow-down": {"errcode": 45011, "errmsg": "api minute-quota reach limit"},
    "risky": {"errcode": 40226, "errmsg": "high risk user"},
}


# verify_result -> the getinfo answer; tests add passed checks with passed(); these are the others.
FACES = {
    "face-failed": {"errcode": 0, "errmsg": "ok", "identify_ret": 10002, "id_card_number_md5": "",
                    "name_utf8_md5": ""},                       # the face did not match the ID photo
    "face-unknown": {"errcode": 84001, "errmsg": "invalid identify id"},
    "face-busy": {"errcode": -1, "errmsg": "system error"},
}


def md5(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def passed(verify_result, id_number, name, openid, finish_time=None):
    """Make `verify_result` the token of a passed face check of this person, on the phone of the login `openid`,
    finished at `finish_time` (unix seconds; now by default). The real getinfo answer's fields: openid,
    finish_time, identify_ret, identify_time, validate_data, user_id_key, id_card_number_md5, name_utf8_md5."""
    finished = int(time.time()) if finish_time is None else finish_time
    FACES[verify_result] = {"errcode": 0, "errmsg": "ok", "identify_ret": 0, "identify_time": finished - 5,
                            "validate_data": "", "openid": openid, "user_id_key": "uik-" + verify_result,
                            "finish_time": finished, "id_card_number_md5": md5(id_number.upper()),
                            "name_utf8_md5": md5(name)}
    return verify_result


class Handler(BaseHTTPRequestHandler):
    seen = []
    access_token = "at-1"  # what cgi-bin/token hands out now; a test changes it to expire the old one
    delivered = []         # subscribe messages WeChat accepted (errcode 0), in order: what people's phones showed
    down = False           # True: every subscribe send answers 503, as when WeChat is away
    answers = []           # errcodes the next subscribe sends answer, first first (then 0)
    hold = None            # a threading.Event: an accepted send is recorded, then its answer waits until it is set
    received = threading.Event()  # set when a send was accepted

    @classmethod
    def reset(cls):
        cls.seen, cls.delivered, cls.answers = [], [], []
        cls.access_token, cls.down, cls.hold = "at-1", False, None
        cls.received = threading.Event()

    def do_POST(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"null")
        Handler.seen.append((url.path, query, body))
        if url.path == "/cgi-bin/message/subscribe/send":
            return self._subscribe_send(query, body)
        if url.path != "/cityservice/face/identify/getinfo":
            return self._send(404, {"errcode": 404})
        if query.get("access_token") != Handler.access_token:
            return self._send(200, {"errcode": 42001, "errmsg": "access_token expired"})
        if body.get("verify_result") == "face-garbage":
            return self._send(200, None, raw=b"<html>gateway error</html>")
        self._send(200, FACES.get(body.get("verify_result"), FACES["face-unknown"]))

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        Handler.seen.append((url.path, query))
        if url.path == "/cgi-bin/token":
            if (query.get("appid"), query.get("secret"), query.get("grant_type")) != \
                    (APPID, SECRET, "client_credential"):
                return self._send(200, {"errcode": 40013, "errmsg": "invalid appid"})
            return self._send(200, {"access_token": Handler.access_token, "expires_in": 7200})
        if url.path != "/sns/jscode2session":
            return self._send(404, {"errcode": 404})
        if query.get("appid") != APPID or query.get("secret") != SECRET \
                or query.get("grant_type") != "authorization_code":
            return self._send(200, {"errcode": 40013, "errmsg": "invalid appid"})
        if query.get("js_code", "").startswith("as:"):  # any openid a test needs
            return self._send(200, {"openid": query["js_code"][3:], "session_key": "sk"})
        if query.get("js_code") == "garbage":
            return self._send(200, None, raw=b"<html>gateway error</html>")
        self._send(200, ANSWERS.get(query.get("js_code"), {"errcode": 40029, "errmsg": "invalid code"}))

    def _subscribe_send(self, query, body):
        if Handler.down:
            return self._send(503, None, raw=b"<html>503 Service Unavailable</html>")
        if query.get("access_token") != Handler.access_token:
            return self._send(200, {"errcode": 42001, "errmsg": "access_token expired"})
        if not isinstance(body, dict) or not body.get("touser") or not isinstance(body.get("data"), dict):
            return self._send(200, {"errcode": 47003, "errmsg": "argument invalid! data.thing1.value invalid"})
        errcode = Handler.answers.pop(0) if Handler.answers else 0
        if errcode == 0:
            Handler.delivered.append(body)
            Handler.received.set()
            if Handler.hold is not None:
                Handler.hold.wait(30)   # the test kills the sender meanwhile: the answer finds no one
        self._send(200, {"errcode": errcode, "errmsg": "ok" if errcode == 0 else "refused"})

    def _send(self, status, body, raw=None):
        data = raw if raw is not None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")  # the real platform says text/plain too
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def start():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
