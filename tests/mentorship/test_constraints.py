"""The database itself refuses what the services refuse: every named constraint, bypassing the
services (raw `create` / `update`), must raise IntegrityError and leave the data as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import BaseConstraint, F, Model, UniqueConstraint
from django.utils import timezone

from mentorship import factories, notifications
from mentorship.models import (
    Exclusion,
    Export,
    IdempotencyKey,
    MatchingRun,
    MatchRequest,
    Membership,
    MentorAvailability,
    MentorIndexState,
    Mentorship,
    NetworkPlan,
    Notification,
    NotificationPreference,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)

pytestmark = pytest.mark.django_db

Rows = dict[str, Any]
TODAY = timezone.localdate()


@pytest.fixture
def rows(programme: Programme, coordinator: User, mentor: User, mentee: User) -> Rows:
    """One valid row of every model, for the violations below to start from."""
    run = MatchingRun.objects.create(programme=programme, mode="optimal", created_by=coordinator)
    mentorship = factories.MentorshipFactory.create(
        programme=programme, mentor=mentor, mentee=mentee
    )
    return {
        "programme": programme,
        "mentor": mentor,
        "mentee": mentee,
        "other_mentor": factories.member(programme, Role.MENTOR),
        "membership": Membership.objects.get(user=mentee, programme=programme),
        "exclusion": Exclusion.objects.create(
            programme=programme, mentee=mentee, mentor=mentor, reason="conflict"
        ),
        "matchingrun": run,
        "proposal": factories.ProposalFactory.create(
            programme=programme, mentee=mentee, mentor=mentor, status=ProposalStatus.REQUESTED
        ),
        "draft": factories.ProposalFactory.create(
            programme=programme,
            mentee=mentee,
            mentor=mentor,
            matching_run=run,
            status=ProposalStatus.DRAFT,
        ),
        "mentorship": mentorship,
        "session": factories.SessionFactory.create(mentorship=mentorship),
        "introduction": factories.IntroductionFactory.create(mentorship=mentorship),
        "profile": mentee.profile,
        "position": factories.PositionFactory.create(profile=mentee.profile),
        "personality": factories.PersonalityFactory.create(
            profile=mentee.profile, answers=[4] * 10
        ),
        "user": mentee,
        "notification": notifications.notify(
            "cadence_due",
            recipients=[mentee],
            about=mentorship,
            programme="P",
            due=TODAY,
            cadence_days=14,
            mentorship_id=mentorship.pk,
        )[0],
        "notificationpreference": NotificationPreference.objects.create(
            user=mentee, kind="cadence_due", email=False
        ),
        "export": Export.objects.create(
            programme=programme, requested_by=coordinator, kind="cadence"
        ),
        "idempotencykey": IdempotencyKey.objects.create(
            user=mentee,
            key="retry-1",
            scope="log_session:1",
            fingerprint="f",
            object_type="session",
            object_id=1,
        ),
        "matchrequest": MatchRequest.objects.create(programme=programme, mentee=mentee),
        "mentorindexstate": MentorIndexState.objects.get(programme=programme),
        "mentoravailability": MentorAvailability.objects.get(programme=programme, mentor=mentor),
        **network_rows(programme, mentee),
    }


def network_rows(programme: Programme, mentee: User) -> Rows:
    """The network plan's rows: a plan, a key contact and a touchpoint."""
    contact = factories.ContactFactory.create(
        plan=factories.NetworkPlanFactory.create(owner=mentee, programme=programme),
        tier="key",
        why="Decides who leads the next programme.",
    )
    return {
        "networkplan": contact.plan,
        "contact": contact,
        "touchpoint": factories.TouchpointFactory.create(contact=contact),
    }


@dataclass(frozen=True)
class Violation:
    constraint: str
    row: str  # the key in `rows` of the row to update, or whose table gains a row
    update: dict[str, Any] | Callable[[Rows], dict[str, Any]] = field(default_factory=dict)
    create: Callable[[Rows], Model] | None = None
    # Another constraint the row cannot help breaking too; the database may name either.
    also: str = ""

    def __str__(self) -> str:
        return self.constraint


def new_proposal(r: Rows, **fields: Any) -> Model:
    defaults = {
        "programme": r["programme"],
        "mentee": r["mentee"],
        "mentor": r["mentor"],
        "rank": 2,
        "score": 0.5,
        "status": ProposalStatus.SUGGESTED,
    }
    return Proposal.objects.create(**{**defaults, **fields})


def another_request(r: Rows) -> MatchRequest:
    return MatchRequest.objects.create(programme=r["programme"], mentee=r["mentee"])


NOW = timezone.now()
VIOLATIONS = [
    # Programme
    Violation("programme_cadence_range", "programme", {"default_cadence_days": 0}),
    Violation("programme_cadence_range", "programme", {"default_cadence_days": 366}),
    Violation("programme_deadline_range", "programme", {"response_deadline_days": 0}),
    Violation("programme_deadline_range", "programme", {"response_deadline_days": 91}),
    Violation("programme_max_capacity_range", "programme", {"max_mentor_capacity": 0}),
    Violation("programme_max_capacity_range", "programme", {"max_mentor_capacity": 21}),
    Violation("programme_proposals_range", "programme", {"proposals_per_request": 0}),
    Violation("programme_proposals_range", "programme", {"proposals_per_request": 21}),
    # Membership
    Violation(
        "membership_one_role_per_programme",
        "membership",
        create=lambda r: Membership.objects.create(
            user=r["mentee"], programme=r["programme"], role=Role.MENTEE
        ),
    ),
    Violation("membership_role_valid", "membership", {"role": "admin"}),
    # Exclusion
    Violation(
        "exclusion_unique_pair",
        "exclusion",
        create=lambda r: Exclusion.objects.create(
            programme=r["programme"], mentee=r["mentee"], mentor=r["mentor"], reason="other"
        ),
    ),
    Violation("exclusion_not_self", "exclusion", {"mentor": F("mentee")}),
    # MatchingRun
    Violation("matching_run_mode_valid", "matchingrun", {"mode": "random"}),
    Violation("matching_run_status_valid", "matchingrun", {"status": "archived"}),
    Violation("matching_run_published_at_iff_published", "matchingrun", {"status": "published"}),
    Violation("matching_run_published_at_iff_published", "matchingrun", {"published_at": NOW}),
    Violation(
        "matching_run_published_at_iff_published",
        "matchingrun",
        {"status": "discarded", "published_at": NOW},
    ),
    Violation(
        "matching_run_one_open_per_programme",
        "matchingrun",
        create=lambda r: MatchingRun.objects.create(programme=r["programme"], mode="stable"),
    ),
    Violation(  # a run computing while a draft waits for review
        "matching_run_one_open_per_programme",
        "matchingrun",
        create=lambda r: MatchingRun.objects.create(
            programme=r["programme"], mode="stable", status="running"
        ),
    ),
    Violation("matching_run_failure_reason_iff_failed", "matchingrun", {"status": "failed"}),
    Violation(
        "matching_run_failure_reason_iff_failed", "matchingrun", {"failure_reason": "Stopped."}
    ),
    # Proposal
    Violation("proposal_status_valid", "proposal", {"status": "maybe"}),
    Violation("proposal_not_self", "proposal", {"mentor": F("mentee")}),
    Violation("proposal_rank_positive", "proposal", {"rank": 0}),
    Violation("proposal_score_unit_range", "proposal", {"score": 1.01}),
    Violation("proposal_score_unit_range", "proposal", {"score": -0.01}),
    Violation("proposal_one_origin", "proposal", {"match_request": None}),
    Violation("proposal_one_origin", "proposal", lambda r: {"matching_run": r["matchingrun"]}),
    Violation("proposal_decline_has_reason", "proposal", {"status": "declined"}),
    Violation("proposal_requested_at_once_sent", "proposal", {"requested_at": None}),
    Violation(
        "proposal_requested_at_once_sent",
        "proposal",
        {"status": ProposalStatus.ACCEPTED, "requested_at": None},
    ),
    Violation(
        "proposal_requested_at_once_sent",
        "proposal",
        {"status": ProposalStatus.EXPIRED, "requested_at": None},
    ),
    Violation(
        "proposal_once_per_request_and_mentor",
        "proposal",
        create=lambda r: new_proposal(r, match_request=r["proposal"].match_request),
    ),
    Violation(
        "proposal_once_per_run_and_mentee",
        "draft",
        create=lambda r: new_proposal(
            r, mentor=r["other_mentor"], matching_run=r["matchingrun"], status="draft"
        ),
    ),
    Violation(
        "proposal_one_pending_request_per_pair",
        "proposal",
        create=lambda r: new_proposal(
            r, match_request=another_request(r), status="requested", requested_at=NOW
        ),
    ),
    # Mentorship
    # An unknown status is neither open nor closed, so mentorship_ended_on_iff_closed (which
    # PostgreSQL checks first) refuses it as well.
    Violation(
        "mentorship_status_valid",
        "mentorship",
        {"status": "over"},
        also="mentorship_ended_on_iff_closed",
    ),
    Violation("mentorship_not_self", "mentorship", {"mentee": F("mentor")}),
    Violation("mentorship_cadence_range", "mentorship", {"cadence_days": 0}),
    Violation("mentorship_cadence_range", "mentorship", {"cadence_days": 366}),
    Violation("mentorship_ended_on_iff_closed", "mentorship", {"status": "completed"}),
    Violation("mentorship_ended_on_iff_closed", "mentorship", {"ended_on": TODAY}),
    Violation(
        "mentorship_ended_on_iff_closed", "mentorship", {"status": "paused", "ended_on": TODAY}
    ),
    Violation(
        "mentorship_ends_after_start",
        "mentorship",
        {"status": "completed", "ended_on": F("started_on") - dt.timedelta(days=1)},
    ),
    Violation(
        "mentorship_ended_has_reason",
        "mentorship",
        {"status": "ended", "ended_on": TODAY, "end_reason": ""},
    ),
    Violation(
        "mentorship_one_open_per_pair",
        "mentorship",
        create=lambda r: Mentorship.objects.create(
            programme=r["programme"],
            mentor=r["mentor"],
            mentee=r["mentee"],
            status="paused",
            cadence_days=14,
            started_on=TODAY,
        ),
    ),
    # Session
    Violation("session_duration_range", "session", {"duration_minutes": 0}),
    Violation("session_duration_range", "session", {"duration_minutes": 601}),
    Violation("session_format_valid", "session", {"format": "fax"}),
    Violation("session_mentor_rating_range", "session", {"mentor_rating": 0}),
    Violation("session_mentor_rating_range", "session", {"mentor_rating": 6}),
    Violation("session_mentee_rating_range", "session", {"mentee_rating": 0}),
    Violation("session_mentee_rating_range", "session", {"mentee_rating": 6}),
    # Introduction
    Violation("introduction_has_contact", "introduction", {"contact_name": ""}),
    Violation("introduction_network_group_valid", "introduction", {"network_group": "golf"}),
    Violation("introduction_connection_type_valid", "introduction", {"connection_type": "x"}),
    Violation("introduction_outcome_valid", "introduction", {"outcome": "married"}),
    Violation("introduction_has_purpose", "introduction", {"purpose": ""}),
    # Profile, position, personality
    Violation("profile_seniority_range", "profile", {"seniority": 0}),
    Violation("profile_seniority_range", "profile", {"seniority": 7}),
    Violation("profile_capacity_range", "profile", {"capacity": 21}),
    Violation("position_end_after_start", "position", {"end": F("start") - dt.timedelta(days=1)}),
    *[
        Violation(f"personality_{trait}_range", "personality", {trait: value})
        for trait in (
            "openness",
            "conscientiousness",
            "extraversion",
            "agreeableness",
            "emotional_stability",
        )
        for value in (0.5, 7.5)
    ],
    # Engagement (issue 9): programme timers, a mentor's pause, notifications, exports
    Violation("programme_reminder_hours_range", "programme", {"first_reminder_hours": 721}),
    Violation("programme_reminder_hours_range", "programme", {"second_reminder_hours": 721}),
    Violation("programme_expiries_range", "programme", {"expiries_before_pause": 21}),
    Violation("programme_inactivity_range", "programme", {"inactivity_warning_days": 731}),
    Violation("programme_inactivity_range", "programme", {"inactivity_pause_days": 731}),
    Violation("membership_only_mentors_paused", "membership", {"requests_paused_at": NOW}),
    Violation(
        "notification_once_per_event",
        "notification",
        create=lambda r: Notification.objects.create(
            **{
                f: getattr(r["notification"], f)
                for f in ("recipient", "kind", "key", "object_type", "object_id", "title", "link")
            }
        ),
    ),
    Violation("notification_email_state_valid", "notification", {"email_state": "lost"}),
    Violation("notification_emailed_at_iff_sent", "notification", {"email_state": "sent"}),
    Violation("notification_emailed_at_iff_sent", "notification", {"emailed_at": NOW}),
    Violation(
        "notification_preference_once",
        "notificationpreference",
        create=lambda r: NotificationPreference.objects.create(
            user=r["mentee"], kind="cadence_due", email=True
        ),
    ),
    Violation("export_kind_valid", "export", {"kind": "everything"}),
    Violation(
        "export_status_valid",
        "export",
        {"status": "archived", "finished_at": NOW},
    ),
    Violation("export_finished_at_iff_done", "export", {"status": "ready"}),
    Violation("export_finished_at_iff_done", "export", {"finished_at": NOW}),
    Violation(
        "export_one_pending_per_person",
        "export",
        create=lambda r: Export.objects.create(
            programme=r["programme"], requested_by=r["export"].requested_by, kind="cadence"
        ),
    ),
    # Idempotency keys
    Violation(
        "idempotency_key_once_per_user",
        "idempotencykey",
        create=lambda r: IdempotencyKey.objects.create(
            user=r["mentee"],
            key="retry-1",
            scope="record_introduction:1",
            fingerprint="g",
            object_type="introduction",
            object_id=2,
        ),
    ),
    # User
    Violation(
        "user_email_unique_ci",
        "user",
        create=lambda r: User.objects.create(username="tom2", email=r["user"].email.upper()),
    ),
    # The network plan
    Violation("programme_contact_cadences_by_tier", "programme", {"key_contact_cadence_days": 0}),
    Violation("programme_contact_cadences_by_tier", "programme", {"key_contact_cadence_days": 91}),
    Violation(
        "programme_contact_cadences_by_tier", "programme", {"light_contact_cadence_days": 366}
    ),
    Violation(
        "network_plan_one_per_owner",
        "networkplan",
        create=lambda r: NetworkPlan.objects.create(owner=r["mentee"], programme=r["programme"]),
    ),
    Violation("network_plan_shared_has_date", "networkplan", {"shared_with_mentor": True}),
    Violation("contact_has_name", "contact", {"name": ""}),
    Violation("contact_network_group_valid", "contact", {"network_group": "golf_club"}),
    Violation("contact_connection_type_valid", "contact", {"connection_type": "romantic"}),
    Violation("contact_tier_valid", "contact", {"tier": "vip"}),
    Violation("contact_key_has_why", "contact", {"why": ""}),
    Violation("contact_why_length", "contact", {"why": "x" * 501}),
    Violation("touchpoint_vehicle_valid", "touchpoint", {"vehicle": "pigeon"}),
    # Match requests and the stored mentor index
    Violation("match_request_empty_reason_valid", "matchrequest", {"empty_reason": "bored"}),
    Violation(
        "mentor_index_built_through_past",
        "mentorindexstate",
        {"built_through": F("changes") + 1},
    ),
    Violation(
        "mentor_availability_once_per_mentor",
        "mentoravailability",
        create=lambda r: MentorAvailability.objects.create(
            programme=r["programme"], mentor=r["mentor"], version=1
        ),
    ),
]


def changes(update: dict[str, Any] | Callable[[Rows], dict[str, Any]], rows: Rows) -> dict:
    return update(rows) if callable(update) else update


def declared_constraints() -> dict[str, BaseConstraint]:
    return {
        constraint.name: constraint
        for model in apps.get_app_config("mentorship").get_models()
        for constraint in model._meta.constraints
    }


def test_every_named_constraint_has_a_violation_below():
    assert {v.constraint for v in VIOLATIONS} == set(declared_constraints())


def names(error: IntegrityError, constraint: BaseConstraint, model: type[Model]) -> bool:
    """Whether the database's message points at this constraint. SQLite names a UNIQUE over
    columns by its columns, not its name."""
    message = str(error)
    if constraint.name in message:
        return True
    if connection.vendor == "sqlite" and isinstance(constraint, UniqueConstraint):
        columns = [getattr(model._meta.get_field(f), "column", f) for f in constraint.fields]
        return bool(columns) and all(f"{model._meta.db_table}.{c}" in message for c in columns)
    return False


def commit(violation: Violation, rows: Rows) -> None:
    if violation.create is not None:
        violation.create(rows)
    else:
        row = rows[violation.row]
        type(row).objects.filter(pk=row.pk).update(**changes(violation.update, rows))


@pytest.mark.parametrize("violation", VIOLATIONS, ids=str)
def test_the_database_refuses(rows, violation):
    row = rows[violation.row]
    model = type(row)
    constraint = declared_constraints()[violation.constraint]
    before = list(model.objects.order_by("pk").values())

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        commit(violation, rows)

    # Invariants on every row: the right constraint refused it, and nothing changed.
    culprits = [constraint] + ([declared_constraints()[violation.also]] if violation.also else [])
    assert any(names(error.value, c, model) for c in culprits), str(error.value)
    assert list(model.objects.order_by("pk").values()) == before


@pytest.mark.parametrize(
    ("row", "update"),
    [
        # The boundaries of each range are allowed: the constraints are not stricter than the
        # services.
        ("programme", {"default_cadence_days": 365, "response_deadline_days": 90}),
        ("programme", {"max_mentor_capacity": 20, "proposals_per_request": 20}),
        ("profile", {"seniority": 6, "capacity": 20}),
        ("profile", {"seniority": 1, "capacity": 0}),
        ("session", {"duration_minutes": 600, "mentor_rating": 5, "mentee_rating": 1}),
        ("proposal", {"score": 1.0, "rank": 1}),
        ("proposal", {"status": ProposalStatus.WITHDRAWN, "requested_at": None}),
        ("mentorship", {"status": "completed", "ended_on": F("started_on")}),
        ("mentorship", {"cadence_days": 365}),
        ("introduction", lambda r: {"contact_name": "", "contact_member": r["other_mentor"]}),
        ("personality", {"openness": 1.0, "emotional_stability": 7.0}),
        (
            "programme",
            {
                "first_reminder_hours": 720,
                "second_reminder_hours": 720,
                "expiries_before_pause": 20,
                "inactivity_warning_days": 730,
                "inactivity_pause_days": 730,
            },
        ),
        (
            "programme",
            {
                "first_reminder_hours": 0,
                "second_reminder_hours": 0,
                "expiries_before_pause": 0,
                "inactivity_warning_days": 0,
                "inactivity_pause_days": 0,
            },
        ),
        ("notification", {"email_state": "sent", "emailed_at": NOW}),
        ("export", {"status": "failed", "finished_at": NOW}),
        (
            "programme",
            {
                "key_contact_cadence_days": 1,
                "regular_contact_cadence_days": 365,
                "light_contact_cadence_days": 365,
            },
        ),
        ("contact", {"why": "x" * 500, "tier": "key"}),
        ("contact", {"why": "", "tier": "light"}),
        ("networkplan", {"shared_with_mentor": True, "shared_at": NOW}),
    ],
)
def test_the_database_accepts_the_edges_of_each_rule(rows, row, update):
    obj = rows[row]

    assert type(obj).objects.filter(pk=obj.pk).update(**changes(update, rows)) == 1


def test_a_closed_mentorship_frees_the_pair_for_a_new_one(rows):
    Mentorship.objects.filter(pk=rows["mentorship"].pk).update(status="completed", ended_on=TODAY)

    Mentorship.objects.create(
        programme=rows["programme"],
        mentor=rows["mentor"],
        mentee=rows["mentee"],
        cadence_days=14,
        started_on=TODAY,
    )

    assert Mentorship.objects.filter(mentee=rows["mentee"]).count() == 2


def test_answered_requests_free_the_pair_for_a_new_request(rows):
    Proposal.objects.filter(pk=rows["proposal"].pk).update(
        status="declined", decline_reason="Busy.", responded_at=timezone.now()
    )

    new_proposal(rows, match_request=another_request(rows), status="requested", requested_at=NOW)

    assert Proposal.objects.filter(status="requested").count() == 1


def test_a_published_run_frees_the_programme_for_a_new_draft(rows):
    MatchingRun.objects.filter(pk=rows["matchingrun"].pk).update(
        status="published", published_at=timezone.now()
    )

    MatchingRun.objects.create(programme=rows["programme"], mode="stable")

    assert MatchingRun.objects.filter(status="draft").count() == 1
