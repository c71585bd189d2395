"""The demo programme: realistic people, then six months of history made by the real services.

History is simulated event by event on a patched clock (`django.utils.timezone.now`), so every
match request, request, answer, expiry, session, pause and introduction goes through the same
service as in real use: capacity holds, the audit trail is complete and timestamps are coherent.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import heapq
import itertools
import random
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from faker import Faker

from mentorship import factories, matching_adapter
from mentorship.demo_network import NetworkHistory
from mentorship.errors import DomainError
from mentorship.models import (
    SEAT_HOLDING_STATUSES,
    IntroductionOutcome,
    MatchingRun,
    MatchingRunStatus,
    Membership,
    Mentorship,
    MentorshipStatus,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.services import availability, matching_runs, mentorships, profiles, proposals
from mentorship.taxonomy import TOPICS, ConnectionType, MeetingFormat, NetworkGroup, topic_label

SLUG = "pmo-network"
JOIN_CODE = "PMO-2026"
PASSWORD = factories.DEFAULT_PASSWORD
HISTORY_DAYS = 180
N_MENTORS = 40
N_MENTEES = 120

AIM_ROLES = (
    "PMO lead",
    "programme manager",
    "head of PMO",
    "agile delivery manager",
    "portfolio manager",
    "delivery director",
    "transformation lead",
    "senior project manager",
)
DECLINE_REASONS = (
    "I am at my limit with work this quarter.",
    "Your goals are closer to someone with an agile background.",
    "I do not know your industry well enough to help.",
    "Travelling for most of the next two months.",
)
END_REASONS = (
    "The mentee changed jobs and has a mentor at the new company.",
    "We could not find times that suit us both.",
    "Mentor's workload changed.",
)
NOTE_LINES = (
    "Worked through the stakeholder map for the new programme.",
    "Talked about preparing for the PMP exam; agreed a study plan.",
    "Reviewed the risk register and how to present it to the board.",
    "Discussed how to ask for the PMO lead role at the next review.",
    "Role-played a difficult conversation with a sponsor.",
    "Looked at the first 90 days plan for the new role.",
)
MESSAGES = (
    "Hi, your experience in {industry} is exactly where I want to go. Could we talk?",
    "I would value your view on growing into {aim}. Would you mentor me?",
    "Your profile says you help with {topic}; that is my main goal this year.",
)


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str = PASSWORD


LOGINS = (
    DemoLogin("staff", "admin"),
    DemoLogin("coordinator", "coordinator"),
    DemoLogin("mentor", "mentor"),
    DemoLogin("mentee", "mentee"),
    DemoLogin("mentee", "newcomer"),
)


@contextmanager
def clock(now: dt.datetime) -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", return_value=now):
        yield


@dataclass(order=True)
class Event:
    when: dt.datetime
    seq: int
    run: Callable[[], object] = field(compare=False)


class Simulation:
    """A priority queue of dated actions, each executed at its own simulated time."""

    def __init__(self) -> None:
        self.queue: list[Event] = []
        self.counter = itertools.count()
        self.after_sweep: Callable[[], None] = lambda: None

    def at(self, when: dt.datetime, run: Callable[[], object]) -> None:
        heapq.heappush(self.queue, Event(when, next(self.counter), run))

    def run_until(self, end: dt.datetime) -> None:
        while self.queue and self.queue[0].when <= end:
            event = heapq.heappop(self.queue)
            with clock(event.when):
                proposals.expire_overdue_proposals()
                self.after_sweep()
                # A refusal means the world moved on (a mentor filled up), as in real use.
                with contextlib.suppress(DomainError):
                    event.run()
        with clock(end):
            proposals.expire_overdue_proposals()


class DemoBuilder:
    def __init__(self, *, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.today = today
        self.now = timezone.make_aware(dt.datetime.combine(today, dt.time(9, 0)))
        self.start = self.now - dt.timedelta(days=HISTORY_DAYS)
        self.sim = Simulation()
        self.sim.after_sweep = self.mentors_come_back
        self.aims: dict[int, tuple[str, str]] = {}
        self.styles: list[str] = []
        self.pauses_seen: set[tuple[int, dt.datetime]] = set()
        self.network = NetworkHistory(seed=seed, now=self.now)

    # People ----------------------------------------------------------------------------

    def person(
        self, programme: Programme, role: str, username: str | None = None, **extra: Any
    ) -> User:
        first, last = self.fake.first_name(), self.fake.last_name()
        username = username or f"{first}.{last}".lower().replace("'", "")
        while User.objects.filter(username=username).exists():
            username = f"{username}{self.rng.randint(2, 99)}"
        user = factories.UserFactory.create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.example.org",
            **extra,
        )
        factories.MembershipFactory.create(user=user, programme=programme, role=role)
        return user

    def _personality(self, profile: Any) -> None:
        base = [self.rng.randint(2, 6) for _ in range(10)]
        factories.PersonalityFactory.create(profile=profile, answers=base)

    def _positions(self, profile: Any, seniority: int, varied: bool) -> list[dict[str, Any]]:
        history = factories.career(self.rng, seniority=seniority, today=self.today, varied=varied)
        for item in history:
            factories.PositionFactory.create(profile=profile, **item)
        return history

    def mentor_profile(
        self, user: User, *, seniority: int | None = None, capacity: int | None = None
    ) -> None:
        rng = self.rng
        seniority = seniority or rng.choice([3, 4, 4, 5, 5, 6])
        varied = rng.random() < 0.6
        profile = factories.ProfileFactory.create(user=user)
        history = self._positions(profile, seniority, varied)
        industries = sorted({p["industry"] for p in history})
        topics = rng.sample(TOPICS, rng.randint(3, 6))
        current = history[-1]
        if "PMO" in current["title"] and "pmo_governance" not in topics:
            topics.append("pmo_governance")
        years = (self.today - history[0]["start"]).days // 365
        profile.headline = f"{current['title']} at {current['organisation']}"
        profile.about = (
            f"{years} years in project delivery across {', '.join(industries)}. "
            f"I enjoy helping people with {', '.join(topic_label(t).lower() for t in topics[:3])}."
        )
        profile.seniority = seniority
        profile.topics_offered = topics
        profile.skills = rng.sample(factories.SKILLS, rng.randint(4, 8))
        profile.certifications = rng.sample(factories.CERTIFICATIONS, rng.randint(1, 3))
        profile.languages = ["en"] + (
            [rng.choice(["fr", "de", "es", "pl"])] if rng.random() < 0.2 else []
        )
        profile.timezone = rng.choice(factories.TIMEZONES)
        profile.formats = rng.sample(MeetingFormat.values, rng.randint(1, 3))
        if MeetingFormat.VIDEO not in profile.formats and rng.random() < 0.8:
            profile.formats.append(MeetingFormat.VIDEO)
        profile.capacity = capacity or rng.choice([1, 2, 2, 3, 3, 4])
        profile.accepting_mentees = rng.random() < 0.92
        profile.save()
        if rng.random() < 0.8:
            self._personality(profile)

    def mentee_profile(self, user: User, *, aim: tuple[str, str] | None = None) -> None:
        rng = self.rng
        seniority = rng.choice([1, 1, 2, 2, 3])
        profile = factories.ProfileFactory.create(user=user)
        history = self._positions(profile, seniority, rng.random() < 0.3)
        current = history[-1]
        aim_industry, aim_role = aim or (
            current["industry"] if rng.random() < 0.5 else rng.choice(factories.INDUSTRIES),
            rng.choice(AIM_ROLES),
        )
        self.aims[user.pk] = (aim_industry, aim_role)
        topics = rng.sample(TOPICS, rng.randint(2, 4))
        profile.headline = f"{current['title']} at {current['organisation']}"
        profile.about = (
            f"I am a {current['title'].lower()} in {current['industry']}. I want to grow into "
            f"{aim_role} in {aim_industry} and get better at "
            f"{' and '.join(topic_label(t).lower() for t in topics[:2])}."
        )
        profile.seniority = seniority
        profile.topics_wanted = topics
        profile.skills = rng.sample(factories.SKILLS, rng.randint(2, 5))
        profile.certifications = rng.sample(factories.CERTIFICATIONS, rng.randint(0, 1))
        profile.languages = ["en"]
        profile.timezone = rng.choice(factories.TIMEZONES)
        profile.formats = rng.sample(MeetingFormat.values, rng.randint(1, 2))
        profile.capacity = 0
        profile.save()
        if rng.random() < 0.75:
            self._personality(profile)

    # Behaviour -------------------------------------------------------------------------

    def ask(
        self,
        programme: Programme,
        mentee: User,
        *,
        prefer: User | None = None,
        request: bool = True,
    ) -> None:
        """The mentee asks for matches and requests their favourite. With `prefer`, a scripted
        pair: the preferred mentor is chosen if suggested, accepts, and the pair meets regularly."""
        request_obj = proposals.create_match_request(actor=mentee, programme=programme)
        suggestions = list(request_obj.proposals.order_by("rank"))
        if not request or not suggestions:
            return
        chosen = next(
            (p for p in suggestions if prefer and p.mentor_id == prefer.pk), suggestions[0]
        )
        self.send(mentee, chosen, scripted=prefer is not None)

    def send(self, mentee: User, proposal: Proposal, *, scripted: bool = False) -> None:
        aim_industry, aim_role = self.aims.get(mentee.pk, ("your industry", "a senior role"))
        message = self.rng.choice(MESSAGES).format(
            industry=aim_industry,
            aim=aim_role,
            topic=topic_label((mentee.profile.topics_wanted or ["leadership"])[0]).lower(),
        )
        proposals.request_proposal(actor=mentee, proposal=proposal, message=message)
        self.answer_later(proposal, scripted=scripted)

    def answer_later(self, proposal: Proposal, *, scripted: bool = False) -> None:
        roll = 0.0 if scripted else self.rng.random()
        when = timezone.now() + dt.timedelta(hours=self.rng.randint(6, 140))
        if roll < 0.72:
            self.sim.at(when, lambda: self.accept(proposal, style="regular" if scripted else None))
        elif roll < 0.88:
            self.sim.at(when, lambda: self.decline(proposal))
        # else: no answer; the expiry sweep cascades to the mentee's next choice

    def accept(self, proposal: Proposal, *, style: str | None = None) -> None:
        proposal.refresh_from_db()
        if proposal.status != ProposalStatus.REQUESTED:
            return
        mentorship = proposals.accept_proposal(
            actor=proposal.mentor,
            proposal=proposal,
            cadence_days=self.rng.choice([7, 14, 14, 14, 21, 30]),
            goals=f"Grow into {self.aims.get(proposal.mentee_id, ('', 'a senior role'))[1]}.",
        )
        self.plan_mentorship(mentorship, style=style)

    def decline(self, proposal: Proposal) -> None:
        proposal.refresh_from_db()
        if proposal.status != ProposalStatus.REQUESTED:
            return
        proposals.decline_proposal(
            actor=proposal.mentor, proposal=proposal, reason=self.rng.choice(DECLINE_REASONS)
        )
        next_choice = (
            Proposal.objects.filter(
                match_request_id=proposal.match_request_id, status=ProposalStatus.SUGGESTED
            )
            .order_by("rank")
            .first()
            if proposal.match_request_id
            else None
        )
        if next_choice is not None:
            self.sim.at(
                timezone.now() + dt.timedelta(days=self.rng.randint(1, 4)),
                lambda: self.send(proposal.mentee, next_choice),
            )

    def mentors_come_back(self) -> None:
        """Most mentors paused for letting requests expire in a row (services/availability.py)
        confirm they are available again a few days later, as the e-mail asks them to."""
        paused = Membership.objects.filter(
            role=Role.MENTOR, requests_paused_at__isnull=False
        ).select_related("user", "programme")
        for membership in paused:
            assert membership.requests_paused_at is not None
            seen = (membership.pk, membership.requests_paused_at)
            if seen in self.pauses_seen:
                continue
            self.pauses_seen.add(seen)
            if self.rng.random() < 0.75:
                self.sim.at(
                    timezone.now() + dt.timedelta(days=self.rng.uniform(1, 6)),
                    functools.partial(
                        availability.confirm_availability,
                        actor=membership.user,
                        programme=membership.programme,
                    ),
                )

    def next_style(self) -> str:
        """Pair behaviours dealt from a shuffled deck, so every kind occurs in every demo."""
        if not self.styles:
            counts = {
                "regular": 45,
                "lapsing": 18,
                "never": 8,
                "pause": 9,
                "complete": 12,
                "end": 8,
            }
            self.styles = [style for style, n in counts.items() for _ in range(n)]
            self.rng.shuffle(self.styles)
        return self.styles.pop()

    def plan_mentorship(self, mentorship: Mentorship, *, style: str | None = None) -> None:
        """Pick how this pair behaves: regular, lapsing, never meeting, pausing, finishing."""
        rng = self.rng
        style = style or self.next_style()
        start = timezone.now()
        cadence = mentorship.cadence_days
        day = start + dt.timedelta(days=rng.randint(2, max(3, cadence // 2)))
        stop = {"regular": self.now, "lapsing": start + dt.timedelta(days=rng.randint(20, 70))}.get(
            style, start + dt.timedelta(days=rng.randint(40, 150))
        )
        if (
            style in ("pause", "complete", "end")
            and stop >= self.now
            and (self.now - start).days >= 21
        ):
            # Pairs of at least three weeks that were to pause or finish do so within the history.
            stop = start + (self.now - start) * rng.uniform(0.6, 0.9)
        if style == "never":
            return
        held = 0
        while day < min(stop, self.now - dt.timedelta(hours=1)):
            self.sim.at(day, functools.partial(self.meet, mentorship, held))
            held += 1
            jitter = rng.randint(-3, 1) if style != "lapsing" else rng.randint(0, cadence)
            day += dt.timedelta(days=max(3, cadence + jitter))
        if style == "pause" and stop < self.now:
            self.sim.at(
                stop,
                lambda: mentorships.pause_mentorship(
                    actor=mentorship.mentee, mentorship=mentorship
                ),
            )
            back = stop + dt.timedelta(days=rng.randint(15, 40))
            if back < self.now:
                self.sim.at(
                    back,
                    lambda: mentorships.resume_mentorship(
                        actor=mentorship.mentor, mentorship=mentorship
                    ),
                )
        elif style == "complete" and stop < self.now:
            self.sim.at(
                stop + dt.timedelta(hours=2),
                lambda: mentorships.complete_mentorship(
                    actor=mentorship.mentor, mentorship=mentorship
                ),
            )
        elif style == "end" and stop < self.now:
            self.sim.at(
                stop + dt.timedelta(hours=2),
                lambda: mentorships.end_mentorship(
                    actor=mentorship.mentee, mentorship=mentorship, reason=rng.choice(END_REASONS)
                ),
            )

    def meet(self, mentorship: Mentorship, index: int) -> None:
        mentorship.refresh_from_db()
        if mentorship.status != MentorshipStatus.ACTIVE:
            return
        rng = self.rng
        logger = mentorship.mentee if rng.random() < 0.6 else mentorship.mentor
        wanted = list(mentorship.mentee.profile.topics_wanted) or ["career_progression"]
        mentorships.log_session(
            actor=logger,
            mentorship=mentorship,
            date=timezone.localdate(),
            duration_minutes=rng.choice([30, 45, 45, 60, 60, 90]),
            format=rng.choice(mentorship.mentee.profile.formats or [MeetingFormat.VIDEO]),
            topics=rng.sample(wanted, min(len(wanted), rng.randint(1, 2))),
            notes=rng.choice(NOTE_LINES),
            rating=rng.choice([4, 4, 5, 5, 3]),
        )
        if index >= 1 and rng.random() < 0.3:
            self.introduce(mentorship)

    def introduce(self, mentorship: Mentorship) -> None:
        rng = self.rng
        industry = rng.choice(factories.INDUSTRIES)
        introduction = mentorships.record_introduction(
            actor=mentorship.mentor,
            mentorship=mentorship,
            contact_name=self.fake.name(),
            contact_organisation=rng.choice(factories.ORGANISATIONS[industry]),
            contact_role=rng.choice(factories.TITLES_BY_SENIORITY[rng.randint(3, 6)]),
            network_group=self.network.group_for(mentorship, rng.choice(NetworkGroup.values)),
            connection_type=rng.choice(ConnectionType.values),
            purpose=rng.choice(
                [
                    f"Hear how {industry} runs its PMO.",
                    "Shadow a portfolio board meeting.",
                    "Talk about the route into programme leadership.",
                    "Get a reference point for the certification exam.",
                ]
            ),
            follow_up_on=timezone.localdate() + dt.timedelta(days=rng.choice([7, 14, 21])),
        )
        later = timezone.now() + dt.timedelta(days=rng.randint(5, 30))
        if later < self.now and rng.random() < 0.7:
            outcome = rng.choice(
                [
                    IntroductionOutcome.MET,
                    IntroductionOutcome.MET,
                    IntroductionOutcome.OPPORTUNITY,
                    IntroductionOutcome.NO_RESPONSE,
                ]
            )
            # The mentee's first touchpoint confirms it; the outcome is recorded on it.
            self.sim.at(later, lambda: self.network.follow_up(mentorship, introduction, outcome))

    # The whole programme -----------------------------------------------------------------

    def build(self) -> Programme:
        with clock(self.start - dt.timedelta(days=30)):
            admin = factories.UserFactory.create(
                username="admin",
                first_name="Ada",
                last_name="Admin",
                email="admin@demo.example.org",
                is_staff=True,
                is_superuser=True,
            )
            programme = factories.ProgrammeFactory.create(
                name="PMO Network Mentoring",
                slug=SLUG,
                join_code=JOIN_CODE,
                description=(
                    "A year-round mentoring programme of the PMO network: project, programme and "
                    "portfolio people helping each other grow across industries."
                ),
                default_cadence_days=14,
                response_deadline_days=7,
                max_mentor_capacity=4,
            )
            coordinator = self.person(programme, Role.COORDINATOR, "coordinator", is_staff=True)
            factories.ProfileFactory.create(user=coordinator)
            factories.ProfileFactory.create(user=admin)
            mentor = self.person(programme, Role.MENTOR, "mentor")
            self.mentor_profile(mentor, seniority=5, capacity=3)
            for _ in range(N_MENTORS - 1):
                self.mentor_profile(self.person(programme, Role.MENTOR))
            mentee = self.person(programme, Role.MENTEE, "mentee")
            mentor_industry = mentor.profile.positions.values_list("industry", flat=True)[0]
            self.mentee_profile(mentee, aim=(mentor_industry, "PMO lead"))
            mentee.profile.topics_wanted = list(mentor.profile.topics_offered[:3])
            mentee.profile.save()
            others = [
                self.person(programme, Role.MENTEE) for _ in range(N_MENTEES - 2)
            ]  # + mentee, newcomer
            for other in others:
                self.mentee_profile(other)

        rng = self.rng
        # The demo mentee found the demo mentor two months ago, and they meet regularly.
        self.sim.at(
            self.now - dt.timedelta(days=62),
            lambda: self.ask(programme, mentee, prefer=mentor),
        )
        # Most mentees ask for matches at some point in the last six months.
        askers = others[: int(len(others) * 0.7)]
        for other in askers:
            when = self.start + dt.timedelta(days=rng.uniform(0, HISTORY_DAYS - 5))
            self.sim.at(when, functools.partial(self.ask, programme, other))
        # A whole-cohort run six weeks ago placed some of those who had not asked.
        run_day = self.now - dt.timedelta(days=42)
        self.sim.at(run_day, lambda: self.cohort_run(programme, coordinator))
        # Four days ago the coordinator drafted the next cohort run; it waits for their review
        # (publish or discard). Drafted before the newcomer joined, so it leaves them choosing.
        draft_day = self.now - dt.timedelta(days=4)
        self.sim.run_until(draft_day)
        with clock(draft_day):
            self.drafted_run(programme, coordinator)
        self.sim.run_until(self.now - dt.timedelta(days=1))
        # The newcomer joined this week, asked for matches this morning and is still choosing.
        with clock(self.now - dt.timedelta(days=3)):
            newcomer = self.person(programme, Role.MENTEE, "newcomer")
            self.mentee_profile(newcomer)
        with clock(self.now - dt.timedelta(hours=2)):
            self.ask(programme, newcomer, request=False)
        # The demo mentor answers their e-mails: whatever happened, they are available now...
        if Membership.objects.filter(user=mentor, requests_paused_at__isnull=False).exists():
            with clock(self.now - dt.timedelta(days=1)):
                availability.confirm_availability(actor=mentor, programme=programme)
        # ...with room for one more mentee (however full the history left them)...
        taken = Mentorship.objects.filter(
            mentor=mentor, programme=programme, status__in=SEAT_HOLDING_STATUSES
        ).count()
        if mentor.profile.capacity <= taken:
            with clock(self.now - dt.timedelta(days=1)):
                profiles.update_profile(
                    actor=mentor, capacity=min(taken + 1, profiles.max_capacity_for(mentor))
                )
        # ...and two mentees chose them since yesterday and wait for an answer.
        self.choose_mentor(programme, mentor, others, hours_ago=(20, 5))
        self.sim.run_until(self.now)
        # The mentees' network plans, on the same clock (introductions are already contacts).
        self.network.build(programme)
        return programme

    def choose_mentor(
        self, programme: Programme, mentor: User, mentees: list[User], *, hours_ago: tuple[int, ...]
    ) -> None:
        """Mentees without a mentor or a request in flight ask for matches and request `mentor`
        (when the engine suggests them), one per entry of `hours_ago`; nobody answers yet."""
        drafted = set(
            Proposal.objects.filter(
                matching_run__status=MatchingRunStatus.DRAFT, programme=programme
            ).values_list("mentee_id", flat=True)
        )
        busy = set(
            Mentorship.objects.filter(
                programme=programme, status__in=SEAT_HOLDING_STATUSES
            ).values_list("mentee_id", flat=True)
        ) | set(
            Proposal.objects.filter(
                programme=programme, status=ProposalStatus.REQUESTED
            ).values_list("mentee_id", flat=True)
        )
        # Those the draft run left out first, so the draft keeps its pairs to review.
        free = sorted(
            (m for m in mentees if m.pk not in busy), key=lambda m: (m.pk in drafted, m.pk)
        )
        wanted = iter(sorted(hours_ago, reverse=True))
        when = next(wanted, None)
        for mentee in free:
            if when is None:
                return
            with clock(self.now - dt.timedelta(hours=when)), contextlib.suppress(DomainError):
                suggested = matching_adapter.rank_mentors(
                    programme=programme, mentee=mentee, top=programme.proposals_per_request
                )
                if matching_adapter.person_id(mentor.pk) not in {s.mentor for s in suggested}:
                    continue
                request = proposals.create_match_request(actor=mentee, programme=programme)
                proposals.request_proposal(
                    actor=mentee,
                    proposal=request.proposals.get(mentor=mentor),
                    message="Your path into PMO leadership is the one I want to follow. "
                    "Could we talk?",
                )
                when = next(wanted, None)

    def drafted_run(self, programme: Programme, coordinator: User) -> MatchingRun:
        """A run computed now: the demo is built in one transaction, so the run's background
        work queued on commit would come too late (it then finds the run done: a no-op)."""
        run = matching_runs.start_matching_run(
            actor=coordinator, programme=programme, mode="optimal"
        )
        matching_runs.compute_matching_run(run_id=run.pk)
        run.refresh_from_db()
        return run

    def cohort_run(self, programme: Programme, coordinator: User) -> None:
        run = self.drafted_run(programme, coordinator)
        matching_runs.publish_matching_run(actor=coordinator, run=run)
        for proposal in Proposal.objects.filter(matching_run=run, status=ProposalStatus.REQUESTED):
            self.answer_later(proposal)


def make_private(programme: Programme) -> list[DemoLogin]:
    """For a public server: a random join code, random passwords for the demo logins (returned,
    to be shown once) and unusable passwords for everyone else the demo created."""
    from mentorship.services.programmes import new_join_code

    logins = [DemoLogin(login.role, login.username, secrets.token_urlsafe(12)) for login in LOGINS]
    with transaction.atomic():
        programme.join_code = new_join_code()
        programme.save(update_fields=["join_code"])
        people = User.objects.filter(memberships__programme=programme).distinct()
        for user in [*people, *User.objects.filter(username="admin", is_superuser=True)]:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        for login in logins:
            user = User.objects.get(username=login.username)
            user.set_password(login.password)
            user.save(update_fields=["password"])
    return logins


def demo_exists() -> bool:
    return Programme.objects.filter(slug=SLUG).exists()


def build_demo(*, seed: int = 2026, today: dt.date | None = None) -> Programme:
    """Create the demo programme and its history. The caller checks `demo_exists()` first."""
    builder = DemoBuilder(seed=seed, today=today or timezone.localdate())
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        transaction.atomic(),
    ):
        return builder.build()
