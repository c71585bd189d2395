"""A person with data in every category, made through the services, and the strings that must
vanish from the database when they are erased."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.utils import timezone
from rest_framework.authtoken.models import Token

from mentorship import factories
from mentorship.errors import AuthenticationFailed
from mentorship.models import Mentorship, Programme, Proposal, ProposalStatus, Role, User
from mentorship.services import (
    auth,
    exports,
    mentorships,
    network,
    profiles,
    programmes,
    proposals,
)


@dataclass
class World:
    programme: Programme
    coordinator: User
    person: User  # Zephyrine, a mentee with data everywhere
    mentor: User
    other_mentor: User
    mentorship: Mentorship
    waiting: Proposal  # Zephyrine's request to other_mentor, still unanswered
    token: str
    # What Zephyrine typed or is named by: none of it may survive her erasure.
    secrets: tuple[str, ...]
    # What the mentor wrote about her: stays, with her name replaced.
    mentor_note: str


def build() -> World:
    programme = factories.ProgrammeFactory.create(name="PMO Network", slug="pmo-network")
    coordinator = factories.member(programme, Role.COORDINATOR, username="carol")
    mentor = factories.member(
        programme,
        Role.MENTOR,
        username="maria",
        first_name="Maria",
        last_name="Stone",
        capacity=3,
        topics_offered=["leadership"],
    )
    other_mentor = factories.member(programme, Role.MENTOR, username="omar", capacity=2)
    person = programmes.sign_up(
        username="zeph",
        email="zeph.quill@example.org",
        password="a-long-passphrase-2026",
        join_code=programme.join_code,
        role=Role.MENTEE,
        first_name="Zephyrine",
        last_name="Quillbury",
    )
    profiles.update_profile(
        actor=person,
        headline="HEADLINE-zq-4410",
        about="ABOUT-zq-7731: I keep the ledgers of Quillbury Freight.",
        skills=["SKILL-zq-ledgers"],
        languages=["en"],
        topics_wanted=["leadership"],
        positions=[
            {
                "title": "TITLE-zq-Quillmaster",
                "organisation": "ORG-zq-Freight",
                "industry": "logistics",
                "start": "2018-03",
                "summary": "SUMMARY-zq-5521",
            }
        ],
    )
    profiles.save_personality(actor=person, answers=[5, 3, 6, 2, 7, 1, 4, 4, 6, 2], consent=True)
    started = timezone.localdate() - dt.timedelta(days=40)

    # A request answered with a decline naming her, and one still waiting.
    declined = factories.ProposalFactory.create(
        programme=programme, mentee=person, mentor=other_mentor, status=ProposalStatus.SUGGESTED
    )
    proposals.request_proposal(actor=person, proposal=declined, message="MESSAGE-zq-1 please")
    proposals.decline_proposal(
        actor=other_mentor, proposal=declined, reason="Sorry Zephyrine, I am full."
    )
    third = factories.member(programme, Role.MENTOR, username="theo", capacity=2)
    waiting = factories.ProposalFactory.create(
        programme=programme, mentee=person, mentor=third, status=ProposalStatus.SUGGESTED
    )
    proposals.request_proposal(actor=person, proposal=waiting, message="MESSAGE-zq-2 hello")

    # An ended mentorship she ended, with her reason; then the active one with Maria.
    earlier = factories.MentorshipFactory.create(
        programme=programme, mentor=other_mentor, mentee=person, started_on=started
    )
    mentorships.end_mentorship(actor=person, mentorship=earlier, reason="ENDREASON-zq-31")
    mentorship = factories.MentorshipFactory.create(
        programme=programme, mentor=mentor, mentee=person, started_on=started, goals=""
    )
    mentorships.update_mentorship(actor=person, mentorship=mentorship, goals="GOALS-zq-8")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    session = mentorships.log_session(
        actor=person,
        mentorship=mentorship,
        idempotency_key="zq-retry-1",
        date=yesterday,
        duration_minutes=45,
        format="video",
        notes="NOTE-zq-private-2",
        rating=5,
    )
    mentor_note = "Zephyrine Quillbury is worried about the board; Zephyrine will practise."
    mentorships.update_session(actor=mentor, session=session, notes=mentor_note, rating=4)
    introduction = mentorships.record_introduction(
        actor=mentor,
        mentorship=mentorship,
        contact_name="Kim Lee",
        network_group="senior_leadership",
        connection_type="strategic",
        purpose="Kim can show Zephyrine how an energy PMO runs its board.",
    )
    mentorships.update_introduction(
        actor=person, introduction=introduction, confirmed=True, outcome_note="OUTCOME-zq-66"
    )
    # Her network plan (the introduction above is already a contact in it), and a coordinator's
    # cadence export naming her.
    contact = network.add_contact(
        actor=person,
        name="Dana Holt",
        network_group="wider_business",
        connection_type="personal",
        tier="key",
        why="WHY-zq-404: she runs the freight desk.",
    )
    network.log_touchpoint(
        actor=person, contact=contact, date=yesterday, vehicle="call", note="TOUCH-zq-505"
    )
    export = exports.request_export(actor=coordinator, programme=programme)
    exports.build_export(export_id=export.pk)
    programmes.add_exclusion(
        actor=coordinator,
        programme=programme,
        mentee=person,
        mentor=other_mentor,
        reason="conflict",
        note="Zephyrine reports to Omar",
    )
    # A failed sign-in, an API token, and the admin's log naming her.
    with contextlib.suppress(AuthenticationFailed):
        auth.sign_in(username="zeph", password="wrong", address="203.0.113.5")
    token = Token.objects.create(user=person).key
    superuser = factories.UserFactory.create(username="root", is_staff=True, is_superuser=True)
    LogEntry.objects.log_actions(
        user_id=superuser.pk,
        queryset=[person.profile],
        action_flag=CHANGE,
        change_message="Checked Zephyrine's headline (zeph.quill@example.org)",
        single_object=True,
    )
    person.refresh_from_db()
    return World(
        programme=programme,
        coordinator=coordinator,
        person=person,
        mentor=mentor,
        other_mentor=other_mentor,
        mentorship=mentorship,
        waiting=waiting,
        token=token,
        secrets=(
            "Zephyrine",
            "Quillbury",
            "zeph.quill@example.org",
            "HEADLINE-zq-4410",
            "ABOUT-zq-7731",
            "SKILL-zq-ledgers",
            "TITLE-zq-Quillmaster",
            "ORG-zq-Freight",
            "SUMMARY-zq-5521",
            "MESSAGE-zq-1",
            "MESSAGE-zq-2",
            "ENDREASON-zq-31",
            "GOALS-zq-8",
            "NOTE-zq-private-2",
            "OUTCOME-zq-66",
            "zq-retry-1",
            "WHY-zq-404",
            "TOUCH-zq-505",
        ),
        mentor_note=mentor_note,
    )
