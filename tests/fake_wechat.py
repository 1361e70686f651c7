"""A real HTTP server on loopback that speaks WeChat's code2Session protocol (the only thing we fake)."""
import json
import threading
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


class Handler(BaseHTTPRequestHandler):
    seen = []

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        Handler.seen.append((url.path, query))
        if url.path != "/sns/jscode2session":
            return self._send(404, {"errcode": 404})
        if query.get("appid") != APPID or query.get("secret") != SECRET \
                or query.get("grant_type") != "authorization_code":
            return self._send(200, {"errcode": 40013, "errmsg": "invalid appid"})
        if query.get("js_code") == "garbage":
            return self._send(200, None, raw=b"<html>gateway error</html>")
        self._send(200, ANSWERS.get(query.get("js_code"), {"errcode": 40029, "errmsg": "invalid code"}))

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
