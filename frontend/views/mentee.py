"""The mentee pages, and everyone's own profile: the profile wizard (about, career history,
skills, preferences), the personality questionnaire, "find a mentor" (the shortlist of the latest
match request) and "my requests"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from frontend.forms.base import add_domain_error
from frontend.forms.mentee import (
    AboutForm,
    PositionForm,
    PreferencesForm,
    QuestionnaireForm,
    RemovePositionForm,
    RequestForm,
    SkillsForm,
)
from frontend.views.base import acted, login_required, signed_in
from mentorship.errors import DomainError
from mentorship.models import Programme, Proposal, User
from mentorship.selectors.navigation import places_of
from mentorship.selectors.profiles import (
    own_personality,
    own_position,
    own_positions,
    position_entry,
    profile_progress,
)
from mentorship.selectors.programmes import own_profile
from mentorship.selectors.proposals import sent_requests
from mentorship.selectors.shortlists import (
    find_mentor as find_mentor_page,
)
from mentorship.selectors.shortlists import (
    mentee_programme,
    mentee_programmes,
    mentee_proposal,
    requests_left,
    suggestion_of,
)
from mentorship.services import profiles, proposals

MENTEE = "frontend/mentee"


def submitted(request: HttpRequest, form: forms.Form, act: Callable[[], None]) -> bool:
    """A POSTed, valid form whose service call succeeded; otherwise the form carries the
    errors (the service's next to their fields) and keeps what was typed."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        act()
    except DomainError as error:
        add_domain_error(form, error)
        return False
    return True


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx asked (for a fragment to swap in) rather than a plain browser."""
    return bool(getattr(request, "htmx", False))


def status_of(form: forms.Form) -> int:
    return 400 if form.errors else 200


# Profile wizard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    url_name: str


STEPS = (
    Step("about", "About you", "profile"),
    Step("positions", "Career history", "profile-positions"),
    Step("skills", "Skills and certifications", "profile-skills"),
    Step("preferences", "Preferences", "profile-preferences"),
    Step("questionnaire", "Questionnaire", "questionnaire"),
)


def wizard(user: User, key: str) -> dict[str, Any]:
    """The progress indicator and the back/next links of step `key`."""
    places = places_of(user)
    done = profile_progress(user, wants_topics=places.is_mentee)
    index = [s.key for s in STEPS].index(key)
    # After the last step: a mentee finds a mentor, a mentor says what they offer.
    after = reverse(
        "find-mentor" if places.is_mentee else "mentor-profile" if places.is_mentor else "home"
    )
    return {
        "steps": [(s, reverse(s.url_name), done[s.key]) for s in STEPS],
        "step": STEPS[index],
        "step_number": index + 1,
        "step_count": len(STEPS),
        "back": reverse(STEPS[index - 1].url_name) if index else None,
        "next": reverse(STEPS[index + 1].url_name) if index + 1 < len(STEPS) else after,
        "is_mentee": places.is_mentee,
        "is_mentor": places.is_mentor,
    }


def step_page(
    request: HttpRequest, key: str, form: forms.Form, *, page: str = "", **extra: Any
) -> HttpResponse:
    context = {**wizard(signed_in(request), key), "form": form, **extra}
    template = f"{MENTEE}/{page or f'profile_{key}'}.html"
    return render(request, template, context, status=status_of(form))


def saved_then(request: HttpRequest, key: str) -> HttpResponse:
    """After a step is saved: on to the next step."""
    messages.success(request, "Saved.")
    return redirect(wizard(signed_in(request), key)["next"])


@login_required
def profile_about(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    initial = AboutForm.initial_for(user, own_profile(user))
    form = AboutForm(request.POST or None, initial=initial)
    if submitted(request, form, lambda: form.submit(user)):
        return saved_then(request, "about")
    return step_page(request, "about", form)


@login_required
def profile_positions(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    positions = list(own_positions(user))
    form = PositionForm(request.POST or None, others=[position_entry(p) for p in positions])
    if submitted(request, form, lambda: form.submit(user)):
        messages.success(request, "Position added to your career history.")
        return redirect("profile-positions")
    return step_page(request, "positions", form, positions=positions)


@login_required
def profile_position(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    position = own_position(user, pk)
    others = [position_entry(p) for p in own_positions(user) if p.pk != position.pk]
    initial = PositionForm.initial_for(position)
    form = PositionForm(request.POST or None, initial=initial, others=others, pk=position.pk)
    if submitted(request, form, lambda: form.submit(user)):
        messages.success(request, "Position saved.")
        return redirect("profile-positions")
    return step_page(request, "positions", form, page="profile_position", position=position)


@require_POST
@login_required
def profile_position_remove(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = RemovePositionForm(request.POST, user=user)
    try:
        form.submit(user)
    except DomainError as error:
        return acted(request, error, done="", to="profile-positions")
    return acted(request, None, done="Position removed.", to="profile-positions")


@login_required
def profile_skills(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = SkillsForm(request.POST or None, initial=SkillsForm.initial_for(own_profile(user)))
    if submitted(request, form, lambda: form.submit(user)):
        return saved_then(request, "skills")
    return step_page(request, "skills", form)


@login_required
def profile_preferences(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    initial = PreferencesForm.initial_for(own_profile(user))
    is_mentee = places_of(user).is_mentee
    form = PreferencesForm(request.POST or None, initial=initial, user=user, wants_topics=is_mentee)
    if submitted(request, form, lambda: form.submit(user)):
        return saved_then(request, "preferences")
    return step_page(request, "preferences", form)


# Questionnaire ----------------------------------------------------------------------------


@login_required
def questionnaire(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    personality = own_personality(user)
    initial = QuestionnaireForm.initial_for(personality.answers if personality else None)
    form = QuestionnaireForm(request.POST or None, initial=initial)
    if submitted(request, form, lambda: form.submit(user)):
        messages.success(request, "Thank you: your answers are saved, with your consent.")
        return redirect(wizard(user, "questionnaire")["next"])
    return step_page(request, "questionnaire", form, personality=personality)


@require_POST
@login_required
def questionnaire_withdraw(request: HttpRequest) -> HttpResponse:
    profiles.withdraw_personality(actor=signed_in(request))
    done = "Your answers are erased; matching no longer uses your personality."
    return acted(request, None, done=done, to="questionnaire")


# Find a mentor ----------------------------------------------------------------------------


def shortlist_url(programme: Programme) -> str:
    return f"{reverse('find-mentor')}?programme={programme.slug}"


def shortlist_context(
    user: User, programme: Programme, *, bound: RequestForm | None = None, pk: int | None = None
) -> dict[str, Any]:
    """The page of one programme; each suggestion still open gets its request form (`bound`
    for the one that was just sent with errors)."""
    page = find_mentor_page(user, programme)
    return {
        "page": page,
        "programmes": list(mentee_programmes(user)),
        "cards": [
            (s, bound if s.proposal.pk == pk and bound else RequestForm(proposal_pk=s.proposal.pk))
            for s in page.suggestions
        ],
    }


def card(
    request: HttpRequest,
    user: User,
    proposal: Proposal,
    *,
    form: RequestForm | None = None,
    note: str = "",
    status: int = 200,
) -> HttpResponse:
    """One suggestion's card (the htmx answer), with the count of requests left."""
    fresh = mentee_proposal(user, proposal.pk)
    context = {
        "s": suggestion_of(fresh),
        "form": form or RequestForm(proposal_pk=fresh.pk),
        "note": note,
        "requests_left": requests_left(user, fresh.programme),
        "oob": True,
    }
    return render(request, f"{MENTEE}/_suggestion.html", context, status=status)


@login_required
def find_mentor(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    programmes = list(mentee_programmes(user))
    if not programmes:
        return render(request, f"{MENTEE}/find_mentor_not_a_mentee.html")
    slug = request.GET.get("programme")
    programme = mentee_programme(user, slug) if slug else programmes[0]
    return render(request, f"{MENTEE}/find_mentor.html", shortlist_context(user, programme))


@require_POST
@login_required
def ask_for_matches(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    programme = mentee_programme(user, request.POST.get("programme", ""))
    try:
        match_request = proposals.create_match_request(actor=user, programme=programme)
    except DomainError as error:
        return acted(request, error, done="", to=shortlist_url(programme))
    found = len(match_request.shortlist)
    done = (
        f"Your shortlist is ready: {found} mentor{'s' if found != 1 else ''}, best first."
        if found
        else match_request.get_empty_reason_display() or "No mentor is available for you now."
    )
    return acted(request, None, done=done, to=shortlist_url(programme))


@require_POST
@login_required
def request_mentor(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    proposal = mentee_proposal(user, pk)
    form = RequestForm(request.POST, proposal_pk=proposal.pk)
    if submitted(request, form, lambda: form.submit(user, proposal)):
        done = f"Your request is on its way to {proposal.mentor.display_name}."
        if is_htmx(request):
            return card(request, user, proposal, note=done)
        return acted(request, None, done=done, to=shortlist_url(proposal.programme))
    if is_htmx(request):
        return card(request, user, proposal, form=form, status=400)
    context = shortlist_context(user, proposal.programme, bound=form, pk=proposal.pk)
    return render(request, f"{MENTEE}/find_mentor.html", context, status=400)


@require_POST
@login_required
def dismiss_mentor(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    proposal = mentee_proposal(user, pk)
    error: DomainError | None = None
    try:
        proposals.dismiss_proposal(actor=user, proposal=proposal)
    except DomainError as caught:
        error = caught
    done = f"{proposal.mentor.display_name} will not be suggested to you again."
    if is_htmx(request):
        return card(request, user, proposal, note=error.detail if error else done)
    return acted(request, error, done=done, to=shortlist_url(proposal.programme))


# My requests ------------------------------------------------------------------------------


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    context = {"requests": list(sent_requests(user)), "programmes": list(mentee_programmes(user))}
    return render(request, f"{MENTEE}/my_requests.html", context)


@require_POST
@login_required
def withdraw_request(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    proposal = mentee_proposal(user, pk)
    error: DomainError | None = None
    try:
        proposals.withdraw_proposal(actor=user, proposal=proposal)
    except DomainError as caught:
        error = caught
    done = f"Your request to {proposal.mentor.display_name} is withdrawn."
    return acted(request, error, done=done, to="my-requests")


urlpatterns = [
    path("profile/", profile_about, name="profile"),
    path("profile/positions/", profile_positions, name="profile-positions"),
    path("profile/positions/<int:pk>/", profile_position, name="profile-position"),
    path("profile/positions/remove/", profile_position_remove, name="profile-position-remove"),
    path("profile/skills/", profile_skills, name="profile-skills"),
    path("profile/preferences/", profile_preferences, name="profile-preferences"),
    path("profile/questionnaire/", questionnaire, name="questionnaire"),
    path("profile/questionnaire/withdraw/", questionnaire_withdraw, name="questionnaire-withdraw"),
    path("find-a-mentor/", find_mentor, name="find-mentor"),
    path("find-a-mentor/ask/", ask_for_matches, name="ask-for-matches"),
    path("find-a-mentor/<int:pk>/request/", request_mentor, name="request-mentor"),
    path("find-a-mentor/<int:pk>/dismiss/", dismiss_mentor, name="dismiss-mentor"),
    path("requests/", my_requests, name="my-requests"),
    path("requests/<int:pk>/withdraw/", withdraw_request, name="withdraw-request"),
]
