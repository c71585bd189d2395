"""The privacy registry covers every model that refers to a person, so a new model (the lead
merging notifications or the network plan) cannot be forgotten by export and erasure."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from mentorship import privacy
from mentorship.models import Personality, Position, User


def refers_to_a_person(model: Any) -> bool:
    return any(
        field.concrete
        and field.is_relation
        and (field.many_to_one or field.one_to_one)
        and field.related_model is User
        for field in model._meta.get_fields()
    )


def test_every_model_that_refers_to_a_person_is_in_a_category() -> None:
    covered = privacy.covered_models()
    missing = sorted(
        model._meta.label
        for model in apps.get_models()
        if not model._meta.proxy and refers_to_a_person(model) and model not in covered
    )
    assert not missing, f"register these with mentorship.privacy.register: {missing}"
    assert {User, Position, Personality} <= covered


def test_a_category_cannot_be_registered_twice() -> None:
    with pytest.raises(ImproperlyConfigured):
        privacy.register("profile", export=None, erase=None)


def test_erasers_run_in_order_and_the_account_last() -> None:
    names = [c.name for c in privacy.categories()]
    assert names[-1] == "account"
    assert names.index("access") < names.index("profile")
    assert names.index("questionnaire") < names.index("profile")


@pytest.mark.parametrize(
    ("identifiers", "text", "scrubbed"),
    [
        (
            ("Will Hart",),
            "Will Hart will call Will.",
            "Former participant will call Former participant.",
        ),
        (
            ("will@x.org", "will"),
            "Mail WILL@X.ORG or will",
            "Mail Former participant or Former participant",
        ),
        (("Ann",), "Anna and Ann met", "Anna and Former participant met"),
    ],
)
def test_scrubbing_replaces_names_as_written_and_e_mails_whatever_their_case(
    identifiers: tuple[str, ...], text: str, scrubbed: str
) -> None:
    person = User(username="nobody-here")
    erasure = privacy.Erasure(
        person=person, actor=person, by="self", identifiers=(*identifiers, "Will")
    )
    assert erasure.scrub(text) == scrubbed
