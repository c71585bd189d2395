"""The pair's pages: one's mentorships, and the mentorship page (goals, cadence, the session log
and history, introductions and their outcome, pause/resume/complete/end). The programme's
coordinators open the page too: read, lifecycle and introductions, never private notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_POST

from frontend.forms.base import add_domain_error
from frontend.forms.pairs import EndForm, GoalsForm, IntroductionForm, OutcomeForm, SessionForm
from frontend.views.base import acted, login_required, partial_or_page, signed_in
from frontend.views.network import mentorship_network_context
from mentorship.errors import Conflict, InvalidTransition, ValidationFailed
from mentorship.models import Introduction, Mentorship, Session, User
from mentorship.selectors.mentorships import introduction_for
from mentorship.selectors.pairs import (
    PairPage,
    introduction_contacts,
    lifecycle_actions,
    my_mentorships,
    pair_mentorship,
    pair_page,
)
from mentorship.selectors.people import topic_choices
from mentorship.services.mentorships import (
    complete_mentorship,
    end_mentorship,
    log_session,
    pause_mentorship,
    record_introduction,
    resume_mentorship,
    update_introduction,
    update_mentorship,
)

PAIRS = "frontend/pairs"
PAGE = f"{PAIRS}/mentorship.html"
SESSIONS_PARTIAL = f"{PAIRS}/_sessions_update.html"
# What a form or a button shows as its error. NotFound and PermissionDenied are not refusals of
# this input: they become the site's 404 and 403 pages (the page offers no such form anyway).
REFUSALS = (ValidationFailed, InvalidTransition, Conflict)


def page_url(pk: int, anchor: str = "") -> str:
    return reverse("mentorship", args=[pk]) + (f"#{anchor}" if anchor else "")


@login_required
def mentorships(request: HttpRequest) -> HttpResponse:
    mine = my_mentorships(signed_in(request), today=timezone.localdate())
    return render(request, f"{PAIRS}/list.html", {"mine": mine})


def session_form(mentorship: Mentorship, data: Any = None) -> SessionForm:
    initial = {"date": timezone.localdate(), "duration_minutes": 60, "format": "video"}
    return SessionForm(data, initial=initial, topics=topic_choices(mentorship.mentee))


def page_context(
    user: User,
    pk: int,
    *,
    goals: GoalsForm | None = None,
    session: SessionForm | None = None,
    introduction: IntroductionForm | None = None,
    outcome: OutcomeForm | None = None,
) -> dict[str, Any]:
    """The page as `user` sees it, with the forms their side has. A form given (bound, with its
    errors) takes the place of the fresh one, and shows even where the page would offer none
    (the mentorship closed meanwhile), so its error is read where it was typed."""
    pair = pair_page(user, pk, today=timezone.localdate())
    m = pair.mentorship
    context: dict[str, Any] = {"pair": pair, "m": m}
    if goals is not None or pair.can_edit_goals:
        initial = {"goals": m.goals, "cadence_days": m.cadence_days}
        context["goals_form"] = goals or GoalsForm(initial=initial)
    if session is not None or pair.can_log_sessions:
        context["session_form"] = session or session_form(m)
    if introduction is not None or pair.can_introduce:
        contacts = introduction_contacts(m)
        context["introduction_form"] = introduction or IntroductionForm(contacts=contacts)
    context["introductions"] = [
        (
            intro,
            outcome
            if outcome is not None and outcome.pk == intro.pk
            else outcome_form(pair, intro),
        )
        for intro in pair.introductions
    ]
    context.update(mentorship_network_context(user, m))
    return context


def outcome_form(pair: PairPage, introduction: Introduction) -> OutcomeForm | None:
    """The mentee's form to confirm an introduction and say how it went."""
    if not pair.can_answer_introductions:
        return None
    initial = {
        "confirmed": introduction.confirmed_at is not None,
        "outcome": introduction.outcome,
        "outcome_note": introduction.outcome_note,
    }
    return OutcomeForm(pk=introduction.pk, initial=initial)


@login_required
def mentorship(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, PAGE, page_context(signed_in(request), pk))


def refused(request: HttpRequest, pk: int, **forms: Any) -> HttpResponse:
    """The page again with the form that failed: errors next to fields, input kept."""
    return render(request, PAGE, page_context(signed_in(request), pk, **forms), status=400)


@login_required
@require_POST
def goals(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    mentorship = pair_mentorship(user, pk)
    form = GoalsForm(request.POST)
    if form.is_valid():
        try:
            update_mentorship(actor=user, mentorship=mentorship, **form.cleaned_data)
        except REFUSALS as error:
            add_domain_error(form, error)
        else:
            return acted(request, None, done="Goals and rhythm saved.", to=page_url(pk, "goals"))
    return refused(request, pk, goals=form)


@login_required
@require_POST
def log(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    mentorship = pair_mentorship(user, pk)
    form = session_form(mentorship, request.POST)
    if form.is_valid():
        try:
            session = log_session(actor=user, mentorship=mentorship, **form.cleaned_data)
        except REFUSALS as error:
            add_domain_error(form, error)
        else:
            return session_logged(request, session)
    template = partial_or_page(request, PAGE, SESSIONS_PARTIAL)
    return render(request, template, page_context(user, pk, session=form), status=400)


def session_logged(request: HttpRequest, session: Session) -> HttpResponse:
    """htmx gets a fresh form, the history and the cadence (out of band); a plain browser
    goes back to the page."""
    pk = session.mentorship_id
    done = f"Session of {date_format(session.date, 'j M Y')} logged."
    if not getattr(request, "htmx", False):
        return acted(request, None, done=done, to=page_url(pk, "sessions"))
    context = {**page_context(signed_in(request), pk), "done": done, "oob": True}
    return render(request, SESSIONS_PARTIAL, context)


@login_required
@require_POST
def introduce(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    mentorship = pair_mentorship(user, pk)
    form = IntroductionForm(request.POST, contacts=introduction_contacts(mentorship))
    if form.is_valid():
        try:
            record_introduction(actor=user, mentorship=mentorship, **form.cleaned_data)
        except REFUSALS as error:
            add_domain_error(form, error)
        else:
            done = f"Introduction recorded. {mentorship.mentee.display_name} can confirm it."
            return acted(request, None, done=done, to=page_url(pk, "introductions"))
    return refused(request, pk, introduction=form)


@login_required
@require_POST
def introduction_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    introduction = introduction_for(user, pk)
    form = OutcomeForm(request.POST, pk=pk)
    if form.is_valid():
        try:
            update_introduction(actor=user, introduction=introduction, **form.cleaned_data)
        except REFUSALS as error:
            add_domain_error(form, error)
        else:
            to = page_url(introduction.mentorship_id, f"introduction-{pk}")
            return acted(request, None, done="Thank you: the outcome is recorded.", to=to)
    return refused(request, introduction.mentorship_id, outcome=form)


def lifecycle_button(
    service: Callable[..., Mentorship], *, done: str
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A POST-only button (pause, resume): the service's refusal becomes the message."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        user = signed_in(request)
        mentorship = pair_mentorship(user, pk)
        error = None
        try:
            service(actor=user, mentorship=mentorship)
        except REFUSALS as refused_by:
            error = refused_by
        return acted(request, error, done=done, to=page_url(pk))

    return view


pause = lifecycle_button(
    pause_mentorship, done="Paused. The mentor's place stays taken; resume when you are ready."
)
resume = lifecycle_button(resume_mentorship, done="Resumed: welcome back.")


@login_required
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page first (GET), then the POST that completes."""
    user = signed_in(request)
    mentorship = pair_mentorship(user, pk)
    if request.method == "POST":
        error = None
        try:
            complete_mentorship(actor=user, mentorship=mentorship)
        except REFUSALS as refused_by:
            error = refused_by
        return acted(
            request, error, done="Completed: congratulations to you both.", to=page_url(pk)
        )
    context = {"m": mentorship, "allowed": "complete" in lifecycle_actions(mentorship)}
    return render(request, f"{PAIRS}/complete.html", context)


@login_required
def end(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page asking why (GET), then the POST that ends; no reason, no end."""
    user = signed_in(request)
    mentorship = pair_mentorship(user, pk)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            end_mentorship(actor=user, mentorship=mentorship, **form.cleaned_data)
        except REFUSALS as error:
            add_domain_error(form, error)
        else:
            return acted(request, None, done="The mentorship has ended.", to=page_url(pk))
    context = {"m": mentorship, "form": form, "allowed": "end" in lifecycle_actions(mentorship)}
    return render(request, f"{PAIRS}/end.html", context, status=400 if form.errors else 200)


urlpatterns = [
    path("mentorships/", mentorships, name="mentorships"),
    path("mentorships/<int:pk>/", mentorship, name="mentorship"),
    path("mentorships/<int:pk>/goals/", goals, name="mentorship-goals"),
    path("mentorships/<int:pk>/sessions/", log, name="mentorship-log-session"),
    path("mentorships/<int:pk>/introductions/", introduce, name="mentorship-introduce"),
    path("introductions/<int:pk>/", introduction_outcome, name="introduction-outcome"),
    path("mentorships/<int:pk>/pause/", pause, name="mentorship-pause"),
    path("mentorships/<int:pk>/resume/", resume, name="mentorship-resume"),
    path("mentorships/<int:pk>/complete/", complete, name="mentorship-complete"),
    path("mentorships/<int:pk>/end/", end, name="mentorship-end"),
]
