"""The API's one parser: JSON, bounded in size and depth before Python's json module sees it.

DRF's JSONParser reads the stream directly, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE never
applies, and `json.loads` raises RecursionError (a 500) on a document nested a thousand deep.
Both are refused here as 400s in the API's error shape.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

from api.errors import BodyTooLarge, TooDeeplyNested

# Our documents nest a few levels (a profile's positions); nothing legitimate comes close.
MAX_DEPTH = 32
OPENERS, CLOSERS = frozenset(b"[{"), frozenset(b"]}")
QUOTE, BACKSLASH = ord('"'), ord("\\")


def nesting_depth(raw: bytes, *, limit: int) -> int:
    """The deepest nesting of arrays and objects in `raw` (brackets inside strings ignored),
    counting no further than `limit + 1`."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == BACKSLASH:
                escaped = True
            elif byte == QUOTE:
                in_string = False
        elif byte == QUOTE:
            in_string = True
        elif byte in OPENERS:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif byte in CLOSERS:
            depth -= 1
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise BodyTooLarge(f"The request body is larger than {limit // 1024} KB.")
        if nesting_depth(raw, limit=MAX_DEPTH) > MAX_DEPTH:
            raise TooDeeplyNested(f"The JSON document is nested more than {MAX_DEPTH} deep.")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
            return json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from error


def _refuse_constant(name: str) -> Any:
    """NaN and Infinity are not JSON."""
    raise ValueError(f"{name} is not valid JSON")
