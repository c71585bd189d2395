"""The demo's network plans, made by the real services on the simulated clock.

Introductions recorded during the main simulation already became contacts of the mentees'
plans (that is what `record_introduction` does); here the mentees follow them up (the first
touchpoint confirms the introduction, the outcome is recorded on it), add contacts of their own
in every tier and group, keep some warm, let others lapse, and some share their plan with their
mentor. The demo `mentee` gets a scripted plan: healthy delivery-team ties, an overdue strategic
one, and no senior leadership yet (the gap an introduction from `mentor` fills in the README's
journey); it is not shared.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import heapq
import itertools
import random
from collections.abc import Callable
from typing import Any
from unittest import mock

from django.utils import timezone
from faker import Faker

from mentorship import factories
from mentorship.errors import DomainError
from mentorship.models import (
    Contact,
    ContactTier,
    Introduction,
    IntroductionOutcome,
    Mentorship,
    Programme,
    TouchpointVehicle,
    User,
)
from mentorship.services import mentorships, network
from mentorship.taxonomy import ConnectionType, NetworkGroup

DEMO_MENTEE = "mentee"
INTERVAL = {ContactTier.KEY: 30, ContactTier.REGULAR: 90, ContactTier.LIGHT: 180}
WHY = {
    NetworkGroup.DELIVERY_TEAMS: (
        "We deliver together; a good word from them travels.",
        "Knows how every workstream is really doing.",
    ),
    NetworkGroup.SENIOR_LEADERSHIP: (
        "Sponsors the programmes I want to lead.",
        "Decides who runs the next portfolio.",
    ),
    NetworkGroup.WIDER_BUSINESS: (
        "Sees the business case from the finance side.",
        "Runs the operations my projects change.",
    ),
    NetworkGroup.EXTERNAL_INFLUENCERS: (
        "Writes and speaks about PMO practice; a door to the wider profession.",
        "Chairs the regional project management chapter.",
    ),
    NetworkGroup.INDUSTRY_ACQUAINTANCES: (
        "Runs a PMO in another company; we compare notes.",
        "Met at a conference; knows the certification route well.",
    ),
}
NOTES = (
    "Coffee and a catch-up.",
    "Shared an article on portfolio reporting.",
    "Congratulated them on the go-live.",
    "Asked for their view on my stakeholder map.",
    "Met at the chapter event.",
    "",
)


@contextlib.contextmanager
def _clock(now: dt.datetime) -> Any:
    with mock.patch("django.utils.timezone.now", return_value=now):
        yield


class NetworkHistory:
    """Dated network actions of the demo's mentees, run in time order after the main
    simulation (its own random streams, so the rest of the demo is unchanged)."""

    def __init__(self, *, seed: int, now: dt.datetime) -> None:
        self.rng = random.Random(seed + 1)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed + 1)
        self.now = now
        self.queue: list[tuple[dt.datetime, int, Callable[[], object]]] = []
        self.counter = itertools.count()

    def at(self, when: dt.datetime, run: Callable[[], object]) -> None:
        heapq.heappush(self.queue, (when, next(self.counter), run))

    # Hooks of the main simulation ----------------------------------------------------------

    def group_for(self, mentorship: Mentorship, group: str) -> str:
        """The demo mentee's introductions stay out of senior leadership: that gap is theirs to
        close in the README's journey."""
        if mentorship.mentee.username == DEMO_MENTEE and group == NetworkGroup.SENIOR_LEADERSHIP:
            return self.rng.choice(
                [g for g in NetworkGroup.values if g != NetworkGroup.SENIOR_LEADERSHIP]
            )
        return group

    def follow_up(self, mentorship: Mentorship, introduction: Introduction, outcome: str) -> None:
        """The mentee gets in touch with an introduced contact (confirming the introduction),
        records what came of it on the introduction, and may keep the contact warm."""
        contact = Contact.objects.get(introduction=introduction)
        answered = outcome != IntroductionOutcome.NO_RESPONSE
        network.log_touchpoint(
            actor=mentorship.mentee,
            contact=contact,
            date=timezone.localdate(),
            vehicle=self.rng.choice(
                [TouchpointVehicle.MEETING, TouchpointVehicle.CALL]
                if answered
                else [TouchpointVehicle.MESSAGE]
            ),
            note="First conversation after the introduction." if answered else "",
        )
        mentorships.update_introduction(
            actor=mentorship.mentee, introduction=introduction, outcome=outcome
        )
        if answered and self.rng.random() < 0.6:
            self.keep_in_touch(mentorship.mentee, contact, since=timezone.now(), lapse=False)

    # Plans of their own ---------------------------------------------------------------------

    def keep_in_touch(
        self, owner: User, contact: Contact, *, since: dt.datetime, lapse: bool
    ) -> None:
        """Touchpoints at a little less than the tier's interval, until now (or, lapsing, until
        some point on the way, so the contact falls overdue)."""
        interval = INTERVAL[ContactTier(contact.tier)]
        stop = since + (self.now - since) * self.rng.uniform(0.2, 0.5) if lapse else self.now
        when = since + dt.timedelta(days=self.rng.uniform(1, 20))
        while when < stop - dt.timedelta(hours=1):
            self.at(when, self._touch(owner, contact))
            when += dt.timedelta(days=interval * self.rng.uniform(0.6, 0.95))

    def _touch(self, owner: User, contact: Contact) -> Callable[[], object]:
        vehicle = self.rng.choice(TouchpointVehicle.values)
        note = self.rng.choice(NOTES)
        return lambda: network.log_touchpoint(
            actor=owner, contact=contact, date=timezone.localdate(), vehicle=vehicle, note=note
        )

    def _add(self, owner: User, programme: Programme, pattern: str, fields: dict[str, str]) -> None:
        contact = network.add_contact(actor=owner, programme=programme, **fields)
        if pattern != "never":
            self.keep_in_touch(owner, contact, since=timezone.now(), lapse=pattern == "lapsing")

    def random_plan(self, mentee: User, programme: Programme, *, since: dt.datetime) -> None:
        rng = self.rng
        for _ in range(rng.randint(2, 5)):
            added = since + (self.now - since) * rng.uniform(0.0, 0.6)
            group = rng.choices(NetworkGroup.values, weights=[5, 2, 3, 2, 3])[0]
            tier = rng.choices(ContactTier.values, weights=[3, 4, 3])[0]
            industry = rng.choice(factories.INDUSTRIES)
            fields: dict[str, str] = {
                "name": self.fake.name(),
                "organisation": rng.choice(factories.ORGANISATIONS[industry]),
                "role": rng.choice(factories.TITLES_BY_SENIORITY[rng.randint(2, 6)]),
                "network_group": group,
                "connection_type": rng.choice(ConnectionType.values),
                "tier": tier,
                "why": rng.choice(WHY[NetworkGroup(group)])
                if tier == ContactTier.KEY or rng.random() < 0.6
                else "",
            }
            pattern = rng.choices(["kept", "lapsing", "never"], weights=[6, 3, 1])[0]
            self.at(added, functools.partial(self._add, mentee, programme, pattern, fields))
        if rng.random() < 0.4:
            self.at(
                since + (self.now - since) * rng.uniform(0.3, 0.9),
                lambda: network.share_plan(actor=mentee, programme=programme, shared=True),
            )

    def scripted_plan(self, mentee: User, programme: Programme) -> None:
        """The demo mentee: two healthy delivery-team ties, an overdue strategic one, a light
        acquaintance kept warm, an influencer not met yet; no senior leadership."""
        position = mentee.profile.positions.order_by("-start").first()
        home = position.organisation if position else "Northbuild"
        plan = [
            # name, organisation, role, group, type, tier, why, touchpoints (days ago)
            ("Priya Shah", home, "Head of Delivery", "delivery_teams", "operational", "key",
             "Decides who leads the next programme; she should know my work.", (50, 22, 6)),
            ("Tom Becker", home, "Scrum Master", "delivery_teams", "personal", "regular",
             "We get each other through the hard sprints.", (40,)),
            ("Grace Liu", home, "Finance Business Partner", "wider_business", "strategic",
             "regular", "Sees every business case before the board does.", (125,)),
            ("Daniel Reyes", "APM", "Chapter Chair", "external_influencers", "personal", "light",
             "Could put me on a conference panel.", ()),
            ("Amara Okafor", "Gridline Power", "PMO Lead", "industry_acquaintances",
             "operational", "light", "", (20,)),
        ]  # fmt: skip
        for name, organisation, role, group, kind, tier, why, touched in plan:
            fields = {
                "name": name,
                "organisation": organisation,
                "role": role,
                "network_group": group,
                "connection_type": kind,
                "tier": tier,
                "why": why,
            }
            self.at(
                self.now - dt.timedelta(days=58),
                functools.partial(self._scripted_add, mentee, programme, fields, touched),
            )

    def _scripted_add(
        self, mentee: User, programme: Programme, fields: dict[str, str], touched: tuple[int, ...]
    ) -> None:
        contact = network.add_contact(actor=mentee, programme=programme, **fields)
        for days_ago in touched:
            self.at(self.now - dt.timedelta(days=days_ago), self._touch(mentee, contact))

    # The whole pass ---------------------------------------------------------------------------

    def build(self, programme: Programme) -> None:
        starts: dict[int, dt.date] = {}
        for mentee_id, started in (
            Mentorship.objects.filter(programme=programme)
            .order_by("started_on", "pk")
            .values_list("mentee_id", "started_on")
        ):
            starts.setdefault(mentee_id, started)
        for mentee in User.objects.filter(pk__in=starts).select_related("profile").order_by("pk"):
            if mentee.username == DEMO_MENTEE:
                self.scripted_plan(mentee, programme)
            elif self.rng.random() < 0.8:
                since = timezone.make_aware(
                    dt.datetime.combine(starts[mentee.pk], dt.time(18, 0))
                ) - dt.timedelta(days=10)
                self.random_plan(mentee, programme, since=since)
        self.run()

    def run(self) -> None:
        while self.queue:
            when, _, action = heapq.heappop(self.queue)
            if when > self.now:
                continue
            with _clock(when), contextlib.suppress(DomainError):
                action()
