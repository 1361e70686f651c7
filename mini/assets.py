"""The pages' files for a 2G phone: each named with a fingerprint of its bytes, kept a year by every cache.

The HTML pages, app.css and the service worker are written at serve time with every `/static/<file>` they name turned
into `/static/<file>?v=<hash>`, and the HTML gets an import map that does the same for every module import and
catalogue, so the modules themselves stay plain files. A fingerprinted answer is `immutable` for a year; anything
else (the pages, an unversioned or outdated URL) is revalidated with its ETag on every use."""
import hashlib
import json
import mimetypes
import os
import re

from flask import Response, current_app, request

YEAR = 365 * 24 * 3600
REWRITTEN = (".html", ".css")
REF = re.compile(r'(?<=["(])/static/([\w./-]+\.\w+)(?=[")])')
IMPORT = re.compile(r'^import .*? from "/static/([\w./-]+)";', re.M)
_memo: dict[tuple, tuple[bytes, str]] = {}


def _path(name: str) -> str:
    return os.path.join(current_app.static_folder, name)


def _files() -> list[str]:
    root = current_app.static_folder
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, files in os.walk(root) for f in files)


def served(name: str) -> tuple[bytes, str]:
    """(the bytes a file is served as, their fingerprint); kept until the file changes on disk."""
    path = _path(name)
    key = (name, os.stat(path).st_mtime_ns)
    if key not in _memo:
        with open(path, "rb") as fh:
            body = fh.read()
        if name.endswith(REWRITTEN):
            body = fingerprinted(body.decode()).encode()
        _memo[key] = (body, hashlib.sha256(body).hexdigest()[:12])
    return _memo[key]


def url(name: str) -> str:
    return f"/static/{name}?v={served(name)[1]}"


def fingerprinted(text: str) -> str:
    """Every existing `/static/<file>` the text names, with its fingerprint."""
    return REF.sub(lambda m: url(m[1]) if os.path.isfile(_path(m[1])) else m[0], text)


def import_map() -> str:
    """Module imports and catalogues ("/static/api.js") resolve to their fingerprinted URLs."""
    names = [n for n in _files() if n.endswith((".js", ".json")) and n not in ("sw.js", "early.js")]
    return json.dumps({"imports": {f"/static/{n}": url(n) for n in names}}, separators=(",", ":"))


def modules(entry: str) -> list[str]:
    """Every module a page's entry module imports, at any depth (preloaded at once instead of level by level)."""
    seen, todo = [], [entry]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.append(name)
            with open(_path(name), encoding="utf-8") as fh:
                todo += IMPORT.findall(fh.read())
    return seen


def page(name: str) -> Response:
    """An HTML page with fingerprinted references, the import map, every module preloaded and static/early.js inline;
    revalidated on every visit (it is the entry)."""
    html = served(name)[0].decode()
    entries = re.findall(r'<script type="module" src="/static/([\w./-]+)\?', html)
    preload = "".join(f'<link rel="modulepreload" href="{url(m)}">' for e in entries for m in modules(e))
    with open(_path("early.js"), encoding="utf-8") as fh:
        early = fingerprinted(fh.read())
    head = f'<script type="importmap">{import_map()}</script>\n{preload}\n<script>{early}</script>\n</head>'
    return _answer(html.replace("</head>", head, 1).encode(), "text/html; charset=utf-8", "no-cache")


def service_worker() -> Response:
    """The worker with the fingerprinted shell it keeps; its cache is named after that shell, so a deploy replaces it."""
    with open(_path("sw.js"), encoding="utf-8") as fh:
        text = fingerprinted(fh.read())
    text = text.replace("@SHELL@", hashlib.sha256(text.encode()).hexdigest()[:12])
    resp = _answer(text.encode(), "text/javascript; charset=utf-8", "no-cache")
    resp.headers["Service-Worker-Allowed"] = "/"
    return resp


def static(filename: str) -> Response:
    """Flask's /static/<file>, with fingerprints: `?v=` of the current bytes is kept a year, anything else revalidated."""
    if filename not in _files():
        return current_app.send_static_file(filename)   # its 404
    body, version = served(filename)
    kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    kind += "; charset=utf-8" if kind.startswith("text/") else ""
    fresh = request.args.get("v") == version
    return _answer(body, kind, f"public, max-age={YEAR}, immutable" if fresh else "no-cache", version)


def _answer(body: bytes, mimetype: str, cache: str, etag: str | None = None) -> Response:
    resp = Response(body, content_type=mimetype)
    resp.headers["Cache-Control"] = cache
    resp.set_etag(etag or hashlib.sha256(body).hexdigest()[:16])
    return resp.make_conditional(request)


def register(app):
    app.view_functions["static"] = static
