"""Fixtures shared by every test: the factories and the named personas of a programme.

The personas make permission tests read like stories: in `programme` there is a `coordinator`,
a `mentor`, a `mentee` and a `peer_mentee` (another mentee of the same programme); the
`outsider` belongs to `other_programme` only, which `other_coordinator` coordinates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Model
from django.test import override_settings

from mentorship import factories, mentor_index, query_signals
from mentorship.models import AuditEvent, Programme, Role, User


@pytest.fixture(autouse=True)
def _own_mentor_index(tmp_path: Path) -> Iterator[None]:
    """Each test stores mentor indexes in its own directory and starts with none loaded
    (programme ids repeat from one test's database to the next). Not the `settings` fixture:
    some tests parametrise an argument of that name."""
    mentor_index.forget_loaded()
    query_signals.forget()
    with override_settings(MENTOR_INDEX_DIR=tmp_path / "mentor-index"):
        yield
    mentor_index.forget_loaded()
    query_signals.forget()


@pytest.fixture
def programme(db: None) -> Programme:
    return factories.ProgrammeFactory.create(name="PMO Network", slug="pmo-network")


@pytest.fixture
def other_programme(db: None) -> Programme:
    return factories.ProgrammeFactory.create(name="Alumni Scheme", slug="alumni")


@pytest.fixture
def coordinator(programme: Programme) -> User:
    return factories.member(programme, Role.COORDINATOR, username="carol")


@pytest.fixture
def mentor(programme: Programme) -> User:
    return factories.member(
        programme,
        Role.MENTOR,
        username="maria",
        seniority=5,
        capacity=2,
        topics_offered=["leadership", "pmo_governance"],
    )


@pytest.fixture
def mentee(programme: Programme) -> User:
    return factories.member(
        programme,
        Role.MENTEE,
        username="tom",
        seniority=2,
        topics_wanted=["leadership", "pmo_governance"],
    )


@pytest.fixture
def peer_mentee(programme: Programme) -> User:
    return factories.member(programme, Role.MENTEE, username="pia")


@pytest.fixture
def outsider(other_programme: Programme) -> User:
    return factories.member(other_programme, Role.MENTEE, username="oscar")


@pytest.fixture
def other_coordinator(other_programme: Programme) -> User:
    return factories.member(other_programme, Role.COORDINATOR, username="olga")


@pytest.fixture
def staff(db: None) -> User:
    return factories.UserFactory.create(username="sam", is_staff=True)


# Helpers for service tests: the audit trail of an object, and on-commit side effects. -----

AuditTrail = Callable[[Model], list[AuditEvent]]


@pytest.fixture
def audit_of(db: None) -> AuditTrail:
    """The audit events of one object, oldest first."""

    def trail(obj: Model) -> list[AuditEvent]:
        return list(
            AuditEvent.objects.filter(object_type=obj._meta.model_name, object_id=obj.pk).order_by(
                "id"
            )
        )

    return trail


@pytest.fixture
def after_commit(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    """`with after_commit(): service(...)` runs the on-commit callbacks (the e-mails) the test
    transaction would otherwise never fire."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
