"""The pages: the mini-program demo (/ and the invitation links /i/<code>) and the counter console."""
from flask import Blueprint, current_app

blp = Blueprint("pages", __name__)


@blp.get("/")
@blp.get("/i/<code>")
def mini_program(code=None):
    return current_app.send_static_file("app.html")


@blp.get("/counter")
def counter():
    return current_app.send_static_file("counter.html")
