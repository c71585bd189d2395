"""The key-contact limit holds when a mentee's writes race (two tabs, a double submit): real
transactions in threads released together, on SQLite by default and PostgreSQL in CI."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mentorship import factories
from mentorship.errors import ValidationFailed
from mentorship.models import KEY_CONTACTS_MAX, Contact, ContactTier, Role, User
from mentorship.services import network
from tests.mentorship.test_concurrency import THREADS, race

TRIALS = 5


def add_key(owner_id: int, n: int) -> Callable[[], str]:
    def work() -> str:
        owner = User.objects.get(pk=owner_id)
        try:
            network.add_contact(
                actor=owner,
                name=f"Racer {n}",
                network_group="senior_leadership",
                connection_type="strategic",
                tier=ContactTier.KEY,
                why="Racing for the last place.",
            )
        except ValidationFailed:
            return "refused"
        return "added"

    return work


def promote(owner_id: int, contact_id: int) -> Callable[[], str]:
    def work() -> str:
        owner = User.objects.get(pk=owner_id)
        contact = Contact.objects.get(pk=contact_id)
        try:
            network.update_contact(actor=owner, contact=contact, tier=ContactTier.KEY)
        except ValidationFailed:
            return "refused"
        return "added"

    return work


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("taken", [0, KEY_CONTACTS_MAX - 1])
def test_concurrent_key_contacts_never_exceed_the_limit(taken: int) -> None:
    for trial in range(TRIALS):
        programme = factories.ProgrammeFactory.create(slug=f"keys-{taken}-{trial}")
        owner = factories.member(programme, Role.MENTEE)
        for n in range(taken):
            factories.ContactFactory.create(
                plan=factories.NetworkPlanFactory.create(owner=owner, programme=programme),
                tier=ContactTier.KEY,
                name=f"Key {n}",
            )
        regulars = [
            network.add_contact(
                actor=owner,
                name=f"Regular {n}",
                network_group="wider_business",
                connection_type="personal",
                why="Could become key.",
            )
            for n in range(THREADS // 2)
        ]
        workers = [add_key(owner.pk, n) for n in range(THREADS // 2)]
        workers += [promote(owner.pk, c.pk) for c in regulars]

        outcomes = race(workers)

        keys = Contact.objects.filter(plan__owner=owner, tier=ContactTier.KEY).count()
        assert keys == min(KEY_CONTACTS_MAX, taken + THREADS), outcomes
        assert outcomes["added"] == keys - taken, outcomes
        assert outcomes["added"] + outcomes["refused"] == THREADS, outcomes
