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


def error_text(exc) -> str:
    """One readable sentence from a Conflict or a ValidationError, for a message on a page."""
    if isinstance(exc, Conflict):
        return exc.message
    if hasattr(exc, "error_dict"):
        return " ".join(" ".join(v) for v in exc.message_dict.values())
    return " ".join(exc.messages) if hasattr(exc, "messages") else str(exc)
