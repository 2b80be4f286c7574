"""`newsdistill serve`: the reader (server-rendered pages), the feeds and the JSON API."""

from newsdistill.web.app import create_app

__all__ = ["create_app"]
