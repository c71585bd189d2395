"""The notification mechanism: rows made with the event, e-mails (text and HTML) sent once after
commit unless turned off, preferences, the kinds table and the retry sweep."""

from __future__ import annotations

import datetime as dt
import re
import smtplib
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from mentorship import factories, notifications
from mentorship.errors import NotFound, ValidationFailed
from mentorship.models import (
    AuditEvent,
    EmailState,
    Mentorship,
    Notification,
    NotificationPreference,
    Role,
    User,
)
from mentorship.notification_kinds import KINDS
from mentorship.selectors.notifications import (
    email_preferences,
    notification_for,
    notifications_for,
    preferences_of,
    unread_count,
)
from mentorship.services import notifications as service

AUDIENCES = {"mentor", "mentee", "the pair", "coordinators"}
# Every value a kind's texts and links may use.
SAMPLE: dict[str, Any] = {
    "mentor": "Maria Lopez",
    "mentee": "Tom Reid",
    "other": "Maria Lopez",
    "coordinator": "Carol King",
    "programme": "PMO Network",
    "programme_slug": "pmo-network",
    "mentorship_id": 7,
    "message": "Would you mentor me?",
    "reason": "Fully booked.",
    "deadline": dt.datetime(2026, 3, 9, 9, 0, tzinfo=dt.UTC),
    "due": dt.date(2026, 3, 16),
    "pause_on": dt.date(2026, 5, 31),
    "hours": 24,
    "count": 2,
    "days": 60,
    "cadence_days": 14,
    "next_mentor": "Ann Bell",
    "from_run": False,
    "paused": False,
    "contact": "Kim Lee",
    "introducer": "Maria Lopez",
    "purpose": "Learn how an energy PMO runs.",
    "filename": "pmo-network-cadence.csv",
    "what": "session cadence",
    "contacts": "- Kim Lee (overdue): Share an article they would find useful",
}


@pytest.fixture
def pair(programme, mentor, mentee) -> Mentorship:
    return factories.MentorshipFactory.create(programme=programme, mentor=mentor, mentee=mentee)


def nudge(pair: Mentorship, *, key: str = "") -> list[Notification]:
    return notifications.notify(
        "coordinator_nudge",
        recipients=notifications.the_pair(pair),
        about=pair,
        key=key,
        coordinator="Carol <King>",
        programme=pair.programme.name,
        due=dt.date(2026, 3, 16),
        mentorship_id=pair.pk,
    )


# The kinds table --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_has_a_label_an_audience_texts_and_a_page(kind):
    spec = KINDS[kind]
    assert spec.label
    assert spec.when
    assert spec.action
    assert spec.audience in AUDIENCES
    title = notifications.render(spec.title, SAMPLE)
    body = notifications.render(spec.body, SAMPLE)
    assert title.strip()
    assert body.strip()
    assert "{" not in title + body
    assert "  " not in title
    # Every variable a text uses is one the services provide.
    used = set(re.findall(r"{{\s*(\w+)", spec.title + spec.body))
    used |= set(re.findall(r"{%\s*(?:if|elif)\s+(\w+)", spec.title + spec.body))
    assert used <= set(SAMPLE), used - set(SAMPLE)
    assert notifications.link_of(spec, SAMPLE).startswith("/")
    assert len(kind) <= 40


# notify() ---------------------------------------------------------------------------------


def test_notify_makes_one_row_per_recipient_and_emails_them_after_commit(
    pair, mentor, mentee, after_commit
):
    with after_commit():
        made = nudge(pair)
        assert mail.outbox == []  # nothing leaves before the commit

    assert {n.recipient for n in made} == {mentor, mentee}
    by_recipient = {n.recipient: n for n in made}
    to_mentee = by_recipient[mentee]
    assert to_mentee.kind == "coordinator_nudge"
    assert to_mentee.title == f"A nudge from Carol <King>: time to meet {mentor.display_name}"
    assert "Monday 16 March 2026" in to_mentee.body
    assert to_mentee.link == reverse("mentorship", args=[pair.pk])
    assert (to_mentee.object_type, to_mentee.object_id) == ("mentorship", pair.pk)
    assert to_mentee.programme_id == pair.programme_id
    assert not to_mentee.is_read
    assert {n.email_state for n in Notification.objects.all()} == {EmailState.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentor.email, mentee.email])


def test_the_email_has_text_and_html_with_a_link_to_the_page_and_the_preferences(
    pair, mentee, after_commit, settings
):
    settings.SITE_URL = "https://mentoring.example.org/"
    with after_commit():
        nudge(pair)

    email = next(m for m in mail.outbox if m.to == [mentee.email])
    page = f"https://mentoring.example.org/mentorships/{pair.pk}/"
    preferences = "https://mentoring.example.org/notifications/preferences/"
    assert email.subject.startswith("A nudge from Carol <King>")
    assert f"Hello {mentee.first_name}," in email.body
    assert f"Open your mentorship: {page}" in email.body
    assert preferences in email.body
    [(html, mimetype)] = email.alternatives  # type: ignore[attr-defined]
    assert mimetype == "text/html"
    assert f'href="{page}"' in html
    assert preferences in html
    assert "Carol &lt;King&gt;" in html  # what people type is escaped in HTML
    assert "<King>" not in html


def test_a_recipient_is_told_about_an_event_once(pair, after_commit):
    with after_commit():
        first = nudge(pair, key="nudge-1")
        again = nudge(pair, key="nudge-1")
        other = nudge(pair, key="nudge-2")

    assert (len(first), len(again), len(other)) == (2, 0, 2)
    assert Notification.objects.count() == 4
    assert len(mail.outbox) == 4


def test_times_are_written_in_the_recipients_own_time_zone(pair, mentor, mentee):
    mentee.profile.timezone = "America/New_York"
    mentee.profile.save()
    deadline = dt.datetime(2026, 7, 1, 15, 30, tzinfo=dt.UTC)

    made = notifications.notify(
        "request_reminder",
        recipients=[mentor, mentee],
        about=pair,
        mentee="Tom",
        programme="P",
        deadline=deadline,
        hours=24,
    )

    bodies = {n.recipient: n.body for n in made}
    assert "Wednesday 1 July 2026, 16:30 (Europe/London time)" in bodies[mentor]
    assert "Wednesday 1 July 2026, 11:30 (America/New_York time)" in bodies[mentee]


def test_an_unknown_kind_is_a_programming_error(pair):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notifications.notify("no_such_kind", recipients=[pair.mentor], about=pair)


def test_a_rolled_back_event_leaves_no_notification_and_sends_nothing(pair, after_commit):
    def failing_service() -> None:
        with transaction.atomic():
            nudge(pair)
            raise RuntimeError("the service failed after notifying")

    with after_commit(), pytest.raises(RuntimeError):
        failing_service()

    assert not Notification.objects.exists()
    assert mail.outbox == []


# E-mail delivery --------------------------------------------------------------------------


def test_a_kind_turned_off_is_listed_but_not_emailed(pair, mentor, mentee, after_commit):
    service.update_email_preferences(actor=mentee, changes={"coordinator_nudge": False})

    with after_commit():
        nudge(pair)

    assert [m.to for m in mail.outbox] == [[mentor.email]]
    states = dict(Notification.objects.values_list("recipient__username", "email_state"))
    assert states == {"maria": EmailState.SENT, "tom": EmailState.SKIPPED}
    assert notifications_for(mentee).count() == 1


def test_someone_without_an_address_or_inactive_is_not_emailed(pair, mentor, mentee):
    User.objects.filter(pk=mentor.pk).update(email="")
    User.objects.filter(pk=mentee.pk).update(is_active=False)
    made = nudge(pair)

    assert [notifications.deliver(n.pk) for n in made] == ["skipped", "skipped"]
    assert mail.outbox == []


def test_delivering_twice_sends_one_email_and_a_deleted_notification_is_a_no_op(pair):
    [first, second] = nudge(pair)

    assert notifications.deliver(first.pk) == "sent"
    assert notifications.deliver(first.pk) == "already sent"
    second.delete()
    assert notifications.deliver(second.pk) == "gone"
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_is_retried_by_the_sweep_then_given_up(
    pair, monkeypatch, after_commit
):
    def refuse(self: Any, *args: Any, **kwargs: Any) -> int:
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with after_commit():
        made = nudge(pair)
    assert {n.email_state for n in Notification.objects.all()} == {EmailState.PENDING}

    later = timezone.now() + notifications.RETRY_AFTER + dt.timedelta(seconds=1)
    assert notifications.retry_pending_emails(now=later) == 0
    monkeypatch.undo()
    assert notifications.retry_pending_emails(now=later) == 2
    assert notifications.retry_pending_emails(now=later) == 0
    assert len(mail.outbox) == 2
    assert all(
        Notification.objects.get(pk=n.pk).email_attempts == 3 for n in made
    )  # two failures, then the send


def test_after_the_last_attempt_an_email_is_marked_failed(pair, monkeypatch):
    monkeypatch.setattr(
        "django.core.mail.EmailMultiAlternatives.send",
        lambda self, *a, **k: (_ for _ in ()).throw(OSError("unreachable")),
    )
    [notification, _] = nudge(pair)
    outcomes = [notifications.deliver(notification.pk) for _ in range(6)]

    assert outcomes == ["pending"] * 4 + ["failed", "already failed"]


def test_a_broker_that_is_down_loses_no_email(pair, monkeypatch, after_commit, caplog):
    def down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr("mentorship.tasks.deliver_notifications.delay", down)
    with after_commit():
        nudge(pair)
    assert mail.outbox == []
    assert "the retry sweep will send them" in caplog.text
    monkeypatch.undo()

    later = timezone.now() + notifications.RETRY_AFTER + dt.timedelta(seconds=1)
    assert notifications.retry_pending_emails(now=later) == 2


# Reading, marking read, preferences -------------------------------------------------------


def test_people_see_and_mark_only_their_own_notifications(pair, mentor, mentee, peer_mentee):
    made = {n.recipient: n for n in nudge(pair)}

    assert unread_count(mentee) == 1
    assert list(notifications_for(peer_mentee)) == []
    with pytest.raises(NotFound):
        notification_for(peer_mentee, made[mentee].pk)
    with pytest.raises(NotFound):
        service.mark_read(actor=peer_mentee, notification=made[mentee])

    read = service.mark_read(actor=mentee, notification=made[mentee])
    first_read = read.read_at
    assert first_read is not None
    assert service.mark_read(actor=mentee, notification=made[mentee]).read_at == first_read
    assert unread_count(mentee) == 0
    assert unread_count(mentor) == 1
    assert service.mark_all_read(actor=mentor) == 1
    assert service.mark_all_read(actor=mentor) == 0


def test_preferences_default_to_each_kinds_default_and_changes_are_audited(mentee):
    assert email_preferences(mentee) == {kind: spec.email for kind, spec in KINDS.items()}

    result = service.update_email_preferences(
        actor=mentee, changes={"cadence_due": False, "request_accepted": True}
    )
    again = service.update_email_preferences(actor=mentee, changes={"cadence_due": False})

    assert result["cadence_due"] is False
    assert result["request_accepted"] is True
    assert again == result == email_preferences(mentee)
    assert [p.kind for p in preferences_of(mentee)] == list(KINDS)
    [event] = AuditEvent.objects.filter(action="email_preferences")
    assert (event.actor, event.object_type, event.object_id) == (mentee, "user", mentee.pk)
    assert event.data["changed"] == ["cadence_due"]  # request_accepted was on already
    assert NotificationPreference.objects.filter(user=mentee).count() == 1  # only changes


def test_unknown_kinds_and_non_booleans_are_refused_naming_them(mentee):
    with pytest.raises(ValidationFailed) as error:
        service.update_email_preferences(
            actor=mentee, changes={"cadence_due": False, "spam": True, "ads": False}
        )
    assert set(error.value.fields) == {"ads", "spam"}
    assert "ads, spam" in error.value.detail
    with pytest.raises(ValidationFailed) as error:
        service.update_email_preferences(actor=mentee, changes={"cadence_due": "no"})  # type: ignore[dict-item]
    assert set(error.value.fields) == {"cadence_due"}
    assert not NotificationPreference.objects.exists()


def test_coordinators_of_a_programme_are_who_coordinator_kinds_reach(programme, coordinator):
    second = factories.member(programme, Role.COORDINATOR, username="cora")
    factories.member(programme, Role.MENTOR)

    assert notifications.coordinators_of(programme) == [coordinator, second]
