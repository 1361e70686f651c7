"""The running app's settings, read by services without knowing about requests."""
from flask import current_app


def get(name):
    return current_app.config[name]
