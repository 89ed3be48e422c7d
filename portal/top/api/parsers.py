"""Request parsers of the API: JSON that is nested too deeply is a 400, not a crash."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; Python's decoder raises RecursionError (not ValueError) on a document
    such as `[[[[…]]]]` nested thousands deep, which would otherwise surface as a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("The JSON document is nested too deeply.")) from exc
