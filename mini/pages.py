"""The pages: the mini-program demo (/ and the invitation links /i/<code>) and the counter console."""
from flask import Blueprint

from . import assets

blp = Blueprint("pages", __name__)


@blp.get("/")
@blp.get("/i/<code>")
def mini_program(code=None):
    return assets.page("app.html")


@blp.get("/sw.js")
def service_worker():
    """The service worker that keeps the mini-program's shell; served from / so its scope is the whole app, and
    revalidated on every check, so a new version of the worker reaches phones at once."""
    return assets.service_worker()


@blp.get("/counter")
def counter():
    return assets.page("counter.html")
