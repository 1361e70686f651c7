"""The running app's settings, read by services without knowing about requests."""
from flask import current_app


def get(name):
    """The setting as create_app typed it (an int, a float, a bool or text): never cast it again."""
    return current_app.config[name]
