"""The pages: the mini-program demo (/ and the invitation links /i/<code>) and the counter console."""
from flask import Blueprint, current_app

blp = Blueprint("pages", __name__)


@blp.get("/")
@blp.get("/i/<code>")
def mini_program(code=None):
    return current_app.send_static_file("app.html")


@blp.get("/sw.js")
def service_worker():
    """The service worker that keeps the mini-program's shell; served from / so its scope is the whole app."""
    resp = current_app.send_static_file("sw.js")
    resp.headers["Service-Worker-Allowed"] = "/"
    resp.headers["Cache-Control"] = "no-cache"  # a new version of the worker must reach phones at once
    return resp


@blp.get("/counter")
def counter():
    return current_app.send_static_file("counter.html")
