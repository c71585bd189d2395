"""Codes in profile lists are whole codes: a trailing newline is not a language or a topic."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from mentorship.validators import validate_languages, validate_slug_list


@pytest.mark.parametrize("codes", [["en\n"], ["en", "fr\n"], ["\nen"]])
def test_language_codes_are_matched_whole(codes: list[str]) -> None:
    with pytest.raises(ValidationError):
        validate_languages(codes)


@pytest.mark.parametrize("codes", [["leadership\n"], ["x"], ["Leadership"]])
def test_topic_codes_are_matched_whole(codes: list[str]) -> None:
    with pytest.raises(ValidationError):
        validate_slug_list(codes)


def test_well_formed_codes_pass() -> None:
    validate_languages(["en", "fra"])
    validate_slug_list(["leadership", "risk_management"])
