"""E-mails sent after a transition commits (never from inside the transaction)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from mentorship.models import Proposal


@dataclass(frozen=True)
class Notice:
    recipient: str  # "mentor" or "mentee" of the proposal
    subject: str
    body: str


NOTICES: dict[str, Notice] = {
    "proposal_requested": Notice(
        "mentor",
        "{mentee} would like you as their mentor",
        "{mentee} asked you to mentor them in {programme}.\n\n{message}\n"
        "Please accept or decline by {deadline}: {site}/\n",
    ),
    "proposal_accepted": Notice(
        "mentee",
        "{mentor} accepted your request",
        "Good news: {mentor} accepted to mentor you in {programme}. "
        "Plan your first session soon: {site}/\n",
    ),
    "proposal_declined": Notice(
        "mentee",
        "{mentor} cannot mentor you right now",
        "{mentor} declined your request in {programme}: {reason}\n"
        "Your other suggestions are waiting for you: {site}/\n",
    ),
    "proposal_expired": Notice(
        "mentee",
        "Your request to {mentor} expired",
        "{mentor} did not answer your request in {programme} in time. "
        "If you had further suggestions, your next choice has been asked: {site}/\n",
    ),
}


def notify(kind: str, proposal: Proposal) -> None:
    """Queue the e-mail `kind` about `proposal` once the current transaction commits."""
    if kind not in NOTICES:
        raise ValueError(f"Unknown notification {kind!r}.")
    from mentorship.tasks import send_notification

    transaction.on_commit(lambda: send_notification.delay(kind, proposal.pk))


def deliver(kind: str, proposal_id: int) -> bool:
    """Render and send one notification. Returns False when there is nobody to tell."""
    proposal = (
        Proposal.objects.select_related("mentor", "mentee", "programme")
        .filter(pk=proposal_id)
        .first()
    )
    notice = NOTICES[kind]
    if proposal is None:
        return False
    recipient = proposal.mentor if notice.recipient == "mentor" else proposal.mentee
    if not recipient.email:
        return False
    context = {
        "mentor": proposal.mentor.display_name,
        "mentee": proposal.mentee.display_name,
        "programme": proposal.programme.name,
        "message": proposal.message,
        "reason": proposal.decline_reason,
        "deadline": proposal.expires_at.date().isoformat() if proposal.expires_at else "",
        "site": settings.SITE_URL.rstrip("/"),
    }
    send_mail(
        notice.subject.format(**context),
        notice.body.format(**context),
        settings.DEFAULT_FROM_EMAIL,
        [recipient.email],
    )
    return True
