"""The mentor's pages: what I offer (topics, capacity, accepting) and the inbox of requests
(accept with a cadence, or decline with a reason; htmx swaps the answered card in place)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from frontend.forms.base import add_domain_error
from frontend.forms.mentor import AcceptForm, DeclineForm, OfferForm
from frontend.views.base import acted, login_required, partial_or_page, signed_in
from mentorship.errors import DomainError
from mentorship.models import User
from mentorship.selectors.mentoring import (
    InboxItem,
    answered_of,
    inbox_item,
    inbox_of,
    require_mentor,
    seats_of,
)
from mentorship.selectors.people import topic_choices
from mentorship.selectors.programmes import own_profile
from mentorship.services.profiles import update_profile
from mentorship.services.proposals import accept_proposal, decline_proposal

MENTOR = "frontend/mentor"
INBOX_PAGE = f"{MENTOR}/inbox.html"
ANSWER_PARTIAL = f"{MENTOR}/_answer.html"


@login_required
def offer(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    require_mentor(user)
    seats = seats_of(user)
    profile = own_profile(user)
    initial = {
        "topics_offered": profile.topics_offered,
        "capacity": profile.capacity,
        "accepting_mentees": profile.accepting_mentees,
    }
    form = OfferForm(
        request.POST or None, initial=initial, topics=topic_choices(user), limit=seats.limit
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_profile(actor=user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Saved: this is what mentees are matched on now.")
            return redirect("mentor-profile")
    status = 400 if form.errors else 200
    context = {"form": form, "seats": seats}
    return render(request, f"{MENTOR}/offer.html", context, status=status)


@dataclass(frozen=True)
class RequestCard:
    """One request in the inbox with its two answers (bound to what was sent, after an error)."""

    item: InboxItem
    accept: AcceptForm
    decline: DeclineForm

    @property
    def pk(self) -> int:
        return self.item.proposal.pk


def card(
    item: InboxItem, *, accept: AcceptForm | None = None, decline: DeclineForm | None = None
) -> RequestCard:
    pk = item.proposal.pk
    cadence = {"cadence_days": item.proposal.programme.default_cadence_days}
    return RequestCard(
        item, accept or AcceptForm(pk=pk, initial=cadence), decline or DeclineForm(pk=pk)
    )


def inbox_context(user: User, acted_on: RequestCard | None = None) -> dict[str, Any]:
    """The inbox; the card just acted on replaces its fresh one (or comes first, when it is no
    longer waiting: answered twice, or answered in another tab)."""
    cards = [card(item) for item in inbox_of(user)]
    if acted_on is not None:
        others = [c for c in cards if c.pk != acted_on.pk]
        at = next((i for i, c in enumerate(cards) if c.pk == acted_on.pk), 0)
        cards = [*others[:at], acted_on, *others[at:]]
    return {
        "cards": cards,
        "card": acted_on,
        "answered": answered_of(user),
        "seats": seats_of(user),
    }


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    require_mentor(user)
    return render(request, INBOX_PAGE, inbox_context(user))


def answer_given(request: HttpRequest, pk: int, *, done: str) -> HttpResponse:
    """After an answer: htmx gets the card showing the outcome (and the seats, out of band); a
    plain browser goes back to the inbox with a message."""
    if not getattr(request, "htmx", False):
        return acted(request, None, done=done, to="inbox")
    user = signed_in(request)
    context = {"card": card(inbox_item(user, pk)), "seats": seats_of(user), "done": done}
    return render(request, ANSWER_PARTIAL, context)


def answer_refused(request: HttpRequest, acted_on: RequestCard) -> HttpResponse:
    """The card again with the form's errors next to their fields, what was typed kept."""
    template = partial_or_page(request, INBOX_PAGE, ANSWER_PARTIAL)
    return render(request, template, inbox_context(signed_in(request), acted_on), status=400)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    item = inbox_item(user, pk)
    form = AcceptForm(request.POST, pk=pk)
    if form.is_valid():
        try:
            accept_proposal(actor=user, proposal=item.proposal, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return answer_given(request, pk, done=f"Accepted: you now mentor {item.mentee.name}.")
    return answer_refused(request, card(inbox_item(user, pk), accept=form))


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    item = inbox_item(user, pk)
    form = DeclineForm(request.POST, pk=pk)
    if form.is_valid():
        try:
            decline_proposal(actor=user, proposal=item.proposal, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            done = f"Declined. {item.mentee.name} can read your reason."
            return answer_given(request, pk, done=done)
    return answer_refused(request, card(inbox_item(user, pk), decline=form))


urlpatterns = [
    path("mentor/profile/", offer, name="mentor-profile"),
    path("inbox/", inbox, name="inbox"),
    path("inbox/<int:pk>/accept/", accept, name="inbox-accept"),
    path("inbox/<int:pk>/decline/", decline, name="inbox-decline"),
]
