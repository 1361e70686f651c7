"""Text answers gzipped for a client that accepts it: on 2G in Ali a catalogue or a list is a quarter of its size.

A dozen lines of our own rather than Flask-Compress: gzip is in the standard library, the answers are small, and one
more package (with brotli's native build) would buy little over gzip for text of this size."""
import gzip

from flask import request

TEXT = ("text/", "application/json", "application/javascript", "image/svg+xml")
SMALLEST = 600   # below a packet's worth, gzip saves nothing a 2G link would notice


def compress(resp):
    if (resp.status_code < 200 or resp.status_code in (204, 206, 304) or resp.is_streamed
            or "Content-Encoding" in resp.headers or not resp.mimetype.startswith(TEXT)
            or not request.accept_encodings.quality("gzip")):
        return resp
    resp.direct_passthrough = False
    body = resp.get_data()
    resp.vary.add("Accept-Encoding")
    if len(body) < SMALLEST:
        return resp
    resp.set_data(gzip.compress(body, compresslevel=6, mtime=0))
    resp.headers["Content-Encoding"] = "gzip"
    etag, weak = resp.get_etag()
    if etag and not weak:   # the gzipped bytes are not the same bytes: the tag says "the same content", no more
        resp.set_etag(etag, weak=True)
    return resp


def register(app):
    app.after_request(compress)
