"""The strict text field: what the schema's pattern admits, the server admits, and no more."""

from __future__ import annotations

import re

import pytest
from rest_framework import serializers

from api import fields
from api.serializers.mentorships import EndSerializer

# ECMAScript's \s, which clients and schema-driven fuzzers apply to the schema's patterns.
ECMA_SPACE = set("\t\n\v\f\r \xa0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") | {
    chr(c) for c in range(0x2000, 0x200B)
}
PYTHON_SPACE = {chr(c) for c in range(0x3100) if chr(c).isspace()}


@pytest.mark.parametrize("text", sorted(ECMA_SPACE | PYTHON_SPACE | {"", " \x1c\x85 "}))
def test_text_of_whitespace_alone_is_blank_to_schema_and_server(text: str) -> None:
    assert not re.search(fields.VISIBLE, text)  # the schema's pattern refuses it
    serializer = EndSerializer(data={"reason": text})
    assert not serializer.is_valid()
    assert serializer.errors["reason"] == ["This field may not be blank."]


@pytest.mark.parametrize("text", ["x", " \x1cx\x85 ", "\u200bzero-width", "é"])
def test_text_with_a_visible_character_is_accepted(text: str) -> None:
    assert re.search(fields.VISIBLE, text)
    serializer = EndSerializer(data={"reason": text})
    assert serializer.is_valid(), serializer.errors


def test_the_schema_carries_the_same_pattern() -> None:
    class Example(serializers.Serializer):
        reason = fields.CharField(max_length=10)

    patterns = [getattr(v, "regex", None) for v in Example().fields["reason"].validators]
    assert any(p is not None and p.pattern == fields.VISIBLE for p in patterns)


@pytest.mark.parametrize("padding", [" ", "\x1f", "\n", "\u3000"])
def test_the_length_counts_what_is_sent_before_trimming(padding: str) -> None:
    class Example(serializers.Serializer):
        reason = fields.CharField(max_length=10)

    assert Example(data={"reason": "x" * 10}).is_valid()
    serializer = Example(data={"reason": padding + "x" * 10})
    assert not serializer.is_valid()
    assert serializer.errors["reason"] == ["Ensure this field has no more than 10 characters."]
    assert serializer.errors["reason"][0].code == "max_length"
