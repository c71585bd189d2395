"""The platform's own categories of personal data, registered with mentorship.privacy: what
`GET /me/export/` gives a person and what erasing them deletes or pseudonymises.

Rule for text: what the person wrote about or for themselves (profile, career, answers, their
session notes, messages, goals, outcome notes, decline and end reasons) is removed: blank, or
"[erased]" where a record must say something. What someone else wrote stays theirs, with the
person's names and e-mail replaced by "Former participant". Introductions the person made stay
with the mentee as the record of whom they met and why (that text is about the contact and the
mentee), without the person's names. Records the other side relies on (mentorships, sessions,
introductions, answered requests) stay, pointing at the pseudonymised account; open ones close.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session as BrowserSession
from django.db.models import Q
from django.utils import timezone
from rest_framework.authtoken.models import Token

from mentorship import matching_adapter
from mentorship.models import (
    OPEN_PROPOSAL_STATUSES,
    SEAT_HOLDING_STATUSES,
    AuditEvent,
    CalendarFeed,
    Contact,
    Exclusion,
    Export,
    IdempotencyKey,
    Introduction,
    LoginAttempts,
    MatchingRun,
    MatchRequest,
    Membership,
    MentorAvailability,
    Mentorship,
    MentorshipStatus,
    NetworkPlan,
    Notification,
    NotificationPreference,
    Personality,
    Position,
    Profile,
    Programme,
    Proposal,
    ProposalStatus,
    Session,
    Touchpoint,
    User,
)
from mentorship.privacy import ERASED_TEXT, PSEUDONYM, Erasure, register
from mentorship.selectors.mentorships import own_rating, private_notes
from mentorship.selectors.proposals import proposals_for
from mentorship.services import auth
from mentorship.services._common import record, set_status
from mentorship.services.mentor_availability import mentor_changed
from mentorship.services.profiles import format_month

LEFT = "A participant left the platform and their data was erased."


def _person(user: User | None, viewer: User) -> dict[str, Any] | None:
    """Someone else as the viewer sees them anywhere: an id and a display name."""
    if user is None:
        return None
    return {"id": user.pk, "name": "you" if user.pk == viewer.pk else user.display_name}


def _programme(programme: Programme) -> dict[str, str]:
    return {"slug": programme.slug, "name": programme.name}


# The account -------------------------------------------------------------------------------


def export_account(person: User) -> dict[str, Any]:
    return {
        "id": person.pk,
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "date_joined": person.date_joined,
        "last_login": person.last_login,
        "is_staff": person.is_staff,
        "has_api_token": Token.objects.filter(user=person).exists(),
    }


def erase_access(erasure: Erasure) -> int:
    """Tokens and browser sessions end at once; sign-in counters and idempotency keys go."""
    person = erasure.person
    tokens, _ = Token.objects.filter(user=person).delete()
    open_sessions = [
        session.session_key
        for session in BrowserSession.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(person.pk)
    ]
    sessions, _ = BrowserSession.objects.filter(session_key__in=open_sessions).delete()
    keys, _ = IdempotencyKey.objects.filter(user=person).delete()
    return tokens + sessions + keys + auth.forget_counters(user=person)


def erase_account(erasure: Erasure) -> int:
    """Last: the row stays (the other side's records point at it), pseudonymised."""
    person = erasure.person
    person.username = f"former-participant-{person.pk}"
    person.first_name, person.last_name = PSEUDONYM.split(" ", 1)
    person.email = ""
    person.set_unusable_password()  # also ends every session still signed with the old hash
    person.is_active = person.is_staff = person.is_superuser = False
    person.last_login = None
    person.erased_at = timezone.now()
    person.save()
    person.groups.clear()
    person.user_permissions.clear()
    return 1


# Profile and questionnaire ----------------------------------------------------------------


def export_profile(person: User) -> dict[str, Any] | None:
    profile = Profile.objects.filter(user=person).prefetch_related("positions").first()
    if profile is None:
        return None
    return {
        "headline": profile.headline,
        "about": profile.about,
        "skills": profile.skills,
        "certifications": profile.certifications,
        "seniority": profile.seniority,
        "topics_wanted": profile.topics_wanted,
        "topics_offered": profile.topics_offered,
        "languages": profile.languages,
        "timezone": profile.timezone,
        "formats": profile.formats,
        "capacity": profile.capacity,
        "accepting_mentees": profile.accepting_mentees,
        "updated_at": profile.updated_at,
        "positions": [
            {
                "title": p.title,
                "organisation": p.organisation,
                "industry": p.industry,
                "start": format_month(p.start),
                "end": format_month(p.end),
                "summary": p.summary,
            }
            for p in profile.positions.all()
        ],
    }


def export_questionnaire(person: User) -> dict[str, Any] | None:
    personality = Personality.objects.filter(profile__user=person).first()
    if personality is None:
        return None
    return {
        "answers": personality.answers,
        "big_five": personality.big_five(),
        "consented_at": personality.consented_at,
    }


def erase_questionnaire(erasure: Erasure) -> int:
    deleted, _ = Personality.objects.filter(profile__user=erasure.person).delete()
    return deleted


def erase_profile(erasure: Erasure) -> int:
    """Profile, career history and questionnaire answers are deleted (not kept anywhere else:
    a mentor's row leaves the stored matching index, older versions of it deleted, as soon as
    the erasure commits)."""
    deleted, _ = Profile.objects.filter(user=erasure.person).delete()
    matching_adapter.forget_mentor(mentor_id=erasure.person.pk)
    return deleted


# Memberships, exclusions, match requests ---------------------------------------------------


def export_memberships(person: User) -> list[dict[str, Any]]:
    return [
        {"programme": _programme(m.programme), "role": m.role, "joined_at": m.joined_at}
        for m in Membership.objects.filter(user=person).select_related("programme")
    ]


def erase_memberships(erasure: Erasure) -> int:
    deleted, _ = Membership.objects.filter(user=erasure.person).delete()
    matching_adapter.forget_mentor(mentor_id=erasure.person.pk)
    return deleted


def erase_exclusions(erasure: Erasure) -> int:
    """Coordinators' notes about pairs (not exported: they name the other person and are not
    shown to members)."""
    person = erasure.person
    deleted, _ = Exclusion.objects.filter(Q(mentee=person) | Q(mentor=person)).delete()
    return deleted


def export_match_requests(person: User) -> list[dict[str, Any]]:
    return [
        {"id": r.pk, "programme": _programme(r.programme), "created_at": r.created_at}
        for r in MatchRequest.objects.filter(mentee=person).select_related("programme")
    ]


# Proposals ---------------------------------------------------------------------------------


def export_proposals(person: User) -> list[dict[str, Any]]:
    """The person's proposals as they see them: as a mentee, and as a mentor once sent to them."""
    mine = proposals_for(person).filter(Q(mentee=person) | Q(mentor=person))
    return [
        {
            "id": p.pk,
            "programme": _programme(p.programme),
            "as": "mentee" if p.mentee_id == person.pk else "mentor",
            "mentor": _person(p.mentor, person),
            "mentee": _person(p.mentee, person),
            "rank": p.rank,
            "score": p.score,
            "components": p.components,
            "reasons": p.reasons,
            "status": p.status,
            "message": p.message,
            "decline_reason": p.decline_reason,
            "requested_at": p.requested_at,
            "expires_at": p.expires_at,
            "responded_at": p.responded_at,
            "created_at": p.created_at,
        }
        for p in mine
    ]


def erase_proposals(erasure: Erasure) -> int:
    """Open ones are withdrawn (the mentor no longer waits on a former participant); the person's
    message or decline reason goes; the reasons (drawn from both profiles) go."""
    person = erasure.person
    changed = 0
    involving = Proposal.objects.select_for_update().filter(Q(mentee=person) | Q(mentor=person))
    for proposal in involving:
        if proposal.status in (*OPEN_PROPOSAL_STATUSES, ProposalStatus.DRAFT):
            set_status(
                proposal,
                to=ProposalStatus.WITHDRAWN,
                actor=None,
                action="withdraw",
                because="participant erased",
            )
        if proposal.mentee_id == person.pk:
            proposal.message = ""
            erasure.scrub_fields(proposal, "decline_reason")
        else:
            if proposal.decline_reason:
                proposal.decline_reason = ERASED_TEXT
            erasure.scrub_fields(proposal, "message")
        proposal.reasons = []
        proposal.save(update_fields=["message", "decline_reason", "reasons"])
        changed += 1
    return changed


# Mentorships, sessions, introductions ------------------------------------------------------


def _mentorships(person: User) -> Any:
    return Mentorship.objects.filter(Q(mentor=person) | Q(mentee=person)).select_related(
        "programme", "mentor", "mentee"
    )


def export_mentorships(person: User) -> list[dict[str, Any]]:
    return [
        {
            "id": m.pk,
            "programme": _programme(m.programme),
            "as": "mentor" if m.mentor_id == person.pk else "mentee",
            "mentor": _person(m.mentor, person),
            "mentee": _person(m.mentee, person),
            "status": m.status,
            "cadence_days": m.cadence_days,
            "goals": m.goals,
            "started_on": m.started_on,
            "ended_on": m.ended_on,
            "end_reason": m.end_reason,
        }
        for m in _mentorships(person)
    ]


def erase_mentorships(erasure: Erasure) -> int:
    """Open mentorships end (the mentor's place is freed); a mentee's goals go; an end reason the
    person gave becomes "[erased]"; others' text loses the person's names."""
    person = erasure.person
    ended_by_person = set(
        AuditEvent.objects.filter(object_type="mentorship", action="end", actor=person).values_list(
            "object_id", flat=True
        )
    )
    changed = 0
    for mentorship in _mentorships(person).select_for_update(of=("self",)):
        if mentorship.status in SEAT_HOLDING_STATUSES:
            before = mentorship.status
            mentorship.status = MentorshipStatus.ENDED
            mentorship.ended_on = max(timezone.localdate(), mentorship.started_on)
            mentorship.end_reason = LEFT
            mentorship.save()
            record(
                actor=None,
                obj=mentorship,
                action="end",
                from_state=before,
                to_state=MentorshipStatus.ENDED,
                because="participant erased",
            )
            mentor_changed(user_id=mentorship.mentor_id)  # their seat is free again
        elif mentorship.pk in ended_by_person:
            mentorship.end_reason = ERASED_TEXT
        if mentorship.mentee_id == person.pk:
            mentorship.goals = ""
        erasure.scrub_fields(mentorship, "goals", "end_reason")
        mentorship.save(update_fields=["goals", "end_reason"])
        changed += 1
    return changed


def export_sessions(person: User) -> list[dict[str, Any]]:
    """Sessions of the person's mentorships with their own notes and rating only."""
    sessions = Session.objects.filter(mentorship__in=_mentorships(person)).select_related(
        "mentorship"
    )
    return [
        {
            "id": s.pk,
            "mentorship": s.mentorship_id,
            "date": s.date,
            "duration_minutes": s.duration_minutes,
            "format": s.format,
            "topics": s.topics,
            "my_notes": private_notes(s, person),
            "my_rating": own_rating(s, person),
            "logged_by_me": s.logged_by_id == person.pk,
        }
        for s in sessions
    ]


def erase_sessions(erasure: Erasure) -> int:
    person = erasure.person
    changed = 0
    sessions = Session.objects.select_for_update(of=("self",)).select_related("mentorship")
    for session in sessions.filter(mentorship__in=_mentorships(person)):
        side, other = ("mentor", "mentee")
        if session.mentorship.mentee_id == person.pk:
            side, other = other, side
        setattr(session, f"{side}_notes", "")
        setattr(session, f"{side}_rating", None)
        erasure.scrub_fields(session, f"{other}_notes")
        session.save()
        changed += 1
    return changed


def _introductions(person: User) -> Any:
    return Introduction.objects.filter(
        Q(mentorship__mentee=person) | Q(mentorship__mentor=person) | Q(introducer=person)
    ).select_related("mentorship", "introducer")


def export_introductions(person: User) -> list[dict[str, Any]]:
    return [
        {
            "id": i.pk,
            "mentorship": i.mentorship_id,
            "introducer": _person(i.introducer, person),
            "contact_member": i.contact_member_id,
            "contact_name": i.contact_name,
            "contact_organisation": i.contact_organisation,
            "contact_role": i.contact_role,
            "network_group": i.network_group,
            "connection_type": i.connection_type,
            "purpose": i.purpose,
            "follow_up_on": i.follow_up_on,
            "confirmed_at": i.confirmed_at,
            "outcome": i.outcome,
            "outcome_note": i.outcome_note,
            "created_at": i.created_at,
        }
        for i in _introductions(person)
    ]


def erase_introductions(erasure: Erasure) -> int:
    """The mentee's outcome note goes; the introduction stays the other side's record (who was
    introduced to whom, and why), without the person's names."""
    person = erasure.person
    changed = 0
    introductions = Introduction.objects.select_for_update(of=("self",)).filter(
        Q(mentorship__mentee=person)
        | Q(mentorship__mentor=person)
        | Q(introducer=person)
        | Q(contact_member=person)
    )
    for introduction in introductions.select_related("mentorship"):
        if introduction.mentorship.mentee_id == person.pk:
            introduction.outcome_note = ""
        erasure.scrub_fields(
            introduction,
            "contact_name",
            "contact_organisation",
            "contact_role",
            "purpose",
            "outcome_note",
        )
        if not introduction.contact_name and not introduction.contact_member_id:
            introduction.contact_name = PSEUDONYM
        introduction.save()
        changed += 1
    return changed


# Notifications, calendar feeds and exports (issue 9) ------------------------------------------


def export_notifications(person: User) -> dict[str, Any]:
    return {
        "notifications": [
            {
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "created_at": n.created_at,
                "read_at": n.read_at,
                "email_state": n.email_state,
            }
            for n in Notification.objects.filter(recipient=person).order_by("created_at", "pk")
        ],
        "email_preferences": {
            p.kind: p.email for p in NotificationPreference.objects.filter(user=person)
        },
        "calendar_feed": CalendarFeed.objects.filter(user=person).exists(),
    }


def _written_in_requests(person: User) -> set[str]:
    """What the person wrote that notifications to others quote: their request messages (as a
    mentee) and decline reasons (as a mentor). Erased before the proposals themselves are."""
    texts = (
        Proposal.objects.filter(mentee=person).exclude(message="").values_list("message", flat=True)
    )
    reasons = Proposal.objects.filter(mentor=person).exclude(decline_reason="")
    return {*texts, *reasons.values_list("decline_reason", flat=True)}


def erase_notifications(erasure: Erasure) -> int:
    """The person's own notifications, preferences and calendar key go; notifications telling
    others about them ("Tom would like you as their mentor: …") lose the person's names and
    what the person wrote."""
    person = erasure.person
    changed = Notification.objects.filter(recipient=person).delete()[0]
    changed += NotificationPreference.objects.filter(user=person).delete()[0]
    changed += CalendarFeed.objects.filter(user=person).delete()[0]
    written = sorted(_written_in_requests(person), key=len, reverse=True)
    mentioning = Q(pk__in=[])
    for text in (*erasure.identifiers, *written):
        mentioning |= Q(title__icontains=text) | Q(body__icontains=text)
    for notification in Notification.objects.filter(mentioning):
        for text in written:
            notification.body = notification.body.replace(text, ERASED_TEXT)
        erasure.scrub_fields(notification, "title", "body")
        notification.save(update_fields=["title", "body"])
        changed += 1
    return changed


def erase_exports(erasure: Erasure) -> int:
    """CSV exports (kept a week) made by the person are deleted; others' exports lose the
    person's names."""
    changed = Export.objects.filter(requested_by=erasure.person).delete()[0]
    mentioning = Q(pk__in=[])
    for identifier in erasure.identifiers:
        mentioning |= Q(content__icontains=identifier)
    for export in Export.objects.filter(mentioning):
        if erasure.scrub_fields(export, "content"):
            export.save(update_fields=["content"])
            changed += 1
    return changed


# The network plan (issue 10) -------------------------------------------------------------------


def export_network_plans(person: User) -> list[dict[str, Any]]:
    plans = NetworkPlan.objects.filter(owner=person).select_related("programme")
    return [
        {
            "programme": plan.programme.slug,
            "shared_with_mentor": plan.shared_with_mentor,
            "contacts": [
                {
                    "name": c.name,
                    "organisation": c.organisation,
                    "role": c.role,
                    "network_group": c.network_group,
                    "connection_type": c.connection_type,
                    "tier": c.tier,
                    "why": c.why,
                    "introduction": c.introduction_id,
                    "added_on": c.added_on,
                    "archived": c.archived_at is not None,
                    "touchpoints": [
                        {"date": t.date, "vehicle": t.vehicle, "note": t.note}
                        for t in c.touchpoints.all()
                    ],
                }
                for c in plan.contacts.prefetch_related("touchpoints").order_by("pk")
            ],
        }
        for plan in plans
    ]


def erase_network_plans(erasure: Erasure) -> int:
    """The person's plans (contacts and touchpoints) are deleted; a contact in someone else's
    plan that names the person (introduced to them, say) loses their names."""
    changed = NetworkPlan.objects.filter(owner=erasure.person).delete()[0]
    contacts, touchpoints = Q(pk__in=[]), Q(pk__in=[])
    for identifier in erasure.identifiers:
        contacts |= (
            Q(name__icontains=identifier)
            | Q(organisation__icontains=identifier)
            | Q(role__icontains=identifier)
            | Q(why__icontains=identifier)
        )
        touchpoints |= Q(note__icontains=identifier)
    for contact in Contact.objects.filter(contacts):
        if erasure.scrub_fields(contact, "name", "organisation", "role", "why"):
            contact.save(update_fields=["name", "organisation", "role", "why"])
            changed += 1
    for touchpoint in Touchpoint.objects.filter(touchpoints):
        if erasure.scrub_fields(touchpoint, "note"):
            touchpoint.save(update_fields=["note"])
            changed += 1
    return changed


# The admin's log and the audit trail -------------------------------------------------------


def erase_admin_log(erasure: Erasure) -> int:
    """django_admin_log names objects by their text ("Profile of Tom Smith"): every entry that
    names the person is rewritten, and entries about their account say "Former participant"."""
    user_type = ContentType.objects.get_for_model(User)
    changed = 0
    named = Q(content_type=user_type, object_id=str(erasure.person.pk))
    for identifier in erasure.identifiers:
        named |= Q(object_repr__icontains=identifier) | Q(change_message__icontains=identifier)
    for entry in LogEntry.objects.filter(named):
        entry.object_repr = erasure.scrub(entry.object_repr)
        entry.change_message = erasure.scrub(entry.change_message)
        if entry.content_type_id == user_type.pk and entry.object_id == str(erasure.person.pk):
            entry.object_repr = PSEUDONYM
        entry.save(update_fields=["object_repr", "change_message"])
        changed += 1
    return changed


def export_audit(person: User) -> list[dict[str, Any]]:
    """Events about the person: what they did, what was done to their records, who read their
    sensitive fields (as "someone else": the export names nobody they cannot see)."""
    about = Q(actor=person) | Q(object_type="user", object_id=person.pk)
    owned = {
        "profile": Profile.objects.filter(user=person).values_list("pk", flat=True),
        "membership": Membership.objects.filter(user=person).values_list("pk", flat=True),
        "matchrequest": MatchRequest.objects.filter(mentee=person).values_list("pk", flat=True),
        "proposal": proposals_for(person)
        .filter(Q(mentee=person) | Q(mentor=person))
        .values_list("pk", flat=True),
        "mentorship": _mentorships(person).values_list("pk", flat=True),
        "session": Session.objects.filter(mentorship__in=_mentorships(person)).values_list(
            "pk", flat=True
        ),
        "introduction": _introductions(person).values_list("pk", flat=True),
    }
    for object_type, ids in owned.items():
        about |= Q(object_type=object_type, object_id__in=list(ids))
    events = AuditEvent.objects.filter(about).order_by("created_at", "id")
    return [
        {
            "at": e.created_at,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "by": "you" if e.actor_id == person.pk else "system" if e.actor_id is None else "other",
            "data": e.data,
        }
        for e in events
    ]


register(
    "account",
    export=export_account,
    erase=erase_account,
    models=[User],
    order=1000,
    label="Your account (name, e-mail, sign-in)",
)
register(
    "access",
    export=None,
    erase=erase_access,
    models=[Token, BrowserSession, IdempotencyKey, LoginAttempts],
    order=10,
)
register(
    "profile",
    export=export_profile,
    erase=erase_profile,
    models=[Profile, Position],
    order=70,
    label="Profile and career history",
)
register(
    "questionnaire",
    export=export_questionnaire,
    erase=erase_questionnaire,
    models=[Personality],
    order=65,
    label="Personality questionnaire (kept only with your consent)",
)
register(
    "memberships", export=export_memberships, erase=erase_memberships, models=[Membership], order=80
)
register("exclusions", export=None, erase=erase_exclusions, models=[Exclusion], order=20)
# A matching run names its coordinators by id and holds scores: it stays, pointing at the
# pseudonymised account (its draft proposals are in "proposals").
register("matching_runs", export=None, erase=None, models=[MatchingRun])
# A mentor's availability for the matching mask is a flag and two counters, no content: it
# stays, pointing at the pseudonymised account, and the erasure sets it unavailable
# (matching_adapter.forget_mentor, through erase_profile and erase_memberships).
register("matching_availability", export=None, erase=None, models=[MentorAvailability])
# Match requests hold no text: they stay, pointing at the pseudonymised account.
register("match_requests", export=export_match_requests, erase=None, models=[MatchRequest])
register("proposals", export=export_proposals, erase=erase_proposals, models=[Proposal], order=30)
register(
    "mentorships", export=export_mentorships, erase=erase_mentorships, models=[Mentorship], order=40
)
register(
    "sessions",
    export=export_sessions,
    erase=erase_sessions,
    models=[Session],
    order=50,
    label="Sessions, with your own notes and ratings",
)
register(
    "introductions",
    export=export_introductions,
    erase=erase_introductions,
    models=[Introduction],
    order=60,
)
register(
    "notifications",
    export=export_notifications,
    erase=erase_notifications,
    models=[Notification, NotificationPreference, CalendarFeed],
    order=25,
    label="Notifications, e-mail preferences and your calendar feed",
)
register("exports", export=None, erase=erase_exports, models=[Export], order=26)
register(
    "network_plan",
    export=export_network_plans,
    erase=erase_network_plans,
    models=[NetworkPlan, Contact, Touchpoint],
    order=55,
    label="Your network plan: contacts and touchpoints",
)
register("admin_log", export=None, erase=erase_admin_log, models=[LogEntry], order=90)
# Audit events are append-only and hold ids and states, never names or free text; their actor
# is the pseudonymised account. Exported, never erased.
register(
    "audit_events",
    export=export_audit,
    erase=None,
    models=[AuditEvent],
    order=95,
    label="Audit events about you (what was done, and who read your sensitive data)",
)
