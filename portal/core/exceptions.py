"""Domain exceptions shared by every layer; the API maps them to HTTP status codes."""

from __future__ import annotations


class Conflict(Exception):
    """A wrong state transition or a stale version: HTTP 409, a clear message on pages."""

    def __init__(self, message: str, *, current: dict | None = None):
        super().__init__(message)
        self.message = message
        self.current = current or {}


class TooLarge(Exception):
    """An upload above the size limit: HTTP 413."""
