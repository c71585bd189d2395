"""The network plan pages: "my network" for the mentee (contacts by network group with their
status, quick touchpoint logging, the coverage chart, the share toggle), a contact's page, and
the context of the panels other pages include (the mentorship page, the coordinator's
dashboard)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, register_converter, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from frontend.forms.base import add_domain_error
from frontend.forms.network import ContactForm, OutcomeForm, TouchpointForm
from frontend.views.base import acted, login_required, partial_or_page, signed_in
from mentorship.errors import DomainError, ValidationFailed
from mentorship.models import Contact, Mentorship, Programme, User
from mentorship.selectors.network import (
    ContactRow,
    NetworkSummary,
    contact_for,
    contact_rows,
    contacts_for,
    mentee_programmes,
    network_panel,
    own_summary,
    plan_programme,
    touchpoints_for,
)
from mentorship.selectors.network_programme import programme_network_aggregates
from mentorship.services import mentorships, network

PAGES = "frontend/network"


class ContactId:
    """A contact's id in a page's URL: at most 18 digits, so it always fits the database's
    64-bit integers (a longer one is simply no page: 404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(ContactId, "contact")


def _programme(user: User, slug: str | None) -> Programme:
    """The programme of the plan a page shows: the one named, or the first; a name that is not
    one of the user's plans is a 404, like any foreign id."""
    try:
        return plan_programme(user, slug or None, first_by_default=True)
    except ValidationFailed:
        raise Http404 from None


def plan_url(programme: Programme, user: User) -> str:
    url = reverse("my-network")
    return url if len(mentee_programmes(user)) == 1 else f"{url}?programme={programme.slug}"


def _touchpoint_form(contact: Contact, data: Any = None) -> TouchpointForm:
    return TouchpointForm(data, prefix=f"c{contact.pk}")


def _page(
    request: HttpRequest, summary: NetworkSummary, bound: TouchpointForm | None = None
) -> dict[str, Any]:
    """The "my network" page: each group's contacts with their touchpoint form (`bound`, the
    one just submitted with errors, keeps what was typed)."""
    user = signed_in(request)

    def form_for(row: ContactRow) -> TouchpointForm:
        if bound is not None and bound.prefix == f"c{row.contact.pk}":
            return bound
        return _touchpoint_form(row.contact)

    return {
        "summary": summary,
        "programmes": mentee_programmes(user),
        "groups": [(g, [(r, form_for(r)) for r in rows]) for g, rows in summary.by_group()],
        "archived": contacts_for(user, programme=summary.programme, archived=True),
        "plan_url": plan_url(summary.programme, user),
    }


@login_required
def my_network(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    summary = own_summary(user, _programme(user, request.GET.get("programme")))
    return render(request, f"{PAGES}/my_network.html", _page(request, summary))


@login_required
@require_POST
def log_touchpoint(request: HttpRequest, pk: int) -> HttpResponse:
    """Quick logging from a contact's card (htmx swaps the card, the summary and the coverage;
    without JavaScript, back to the page)."""
    user = signed_in(request)
    contact = contact_for(user, pk)
    form = _touchpoint_form(contact, request.POST)
    if form.is_valid():
        try:
            network.log_touchpoint(actor=user, contact=contact, **form.cleaned_data)
        except ValidationFailed as error:
            add_domain_error(form, error)
        except DomainError as error:  # an archived contact
            return acted(request, error, done="", to=reverse("network-contact", args=[pk]))
    summary = own_summary(user, contact.plan.programme)
    context = _page(request, summary, bound=form if form.errors else None)
    [context["row"]] = contact_rows([contact_for(user, pk)], today=summary.today)
    context["form"] = form if form.errors else _touchpoint_form(contact)
    if form.errors:
        template = partial_or_page(request, f"{PAGES}/my_network.html", f"{PAGES}/_contact.html")
        return render(request, template, context, status=400)
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, f"{PAGES}/_touchpoint_logged.html", context)
        # The chart's new numbers (htmx drops <script> elements, json_script's too, from swaps).
        return trigger_client_event(response, "network-coverage", summary.chart(), after="settle")
    messages.success(request, f"Touchpoint with {contact.name} logged.")
    if request.POST.get("from") == "contact":
        return redirect("network-contact", pk=pk)
    return redirect(f"{plan_url(contact.plan.programme, user)}#contact-{contact.pk}")


@login_required
@require_POST
def share(request: HttpRequest) -> HttpResponse:
    """The plan's share toggle: off by default; on, the mentor sees the summary."""
    user = signed_in(request)
    programme = _programme(user, request.POST.get("programme"))
    choice = request.POST.get("shared")
    if choice not in ("on", "off"):
        messages.error(request, "Choose whether to share the plan.")
        return redirect(plan_url(programme, user))
    plan = network.share_plan(actor=user, programme=programme, shared=choice == "on")
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, f"{PAGES}/_share.html", {"plan": plan})
    done = (
        "Your mentor can now see your plan." if plan.shared_with_mentor else "Your plan is private."
    )
    messages.success(request, done)
    return redirect(plan_url(programme, user))


@login_required
def add_contact(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    programme = _programme(user, request.POST.get("programme") or request.GET.get("programme"))
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = network.add_contact(actor=user, programme=programme, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{contact.name} is in your plan.")
            return redirect(f"{plan_url(programme, user)}#contact-{contact.pk}")
    context = {"form": form, "programme": programme, "plan_url": plan_url(programme, user)}
    status = 400 if form.errors else 200
    return render(request, f"{PAGES}/contact_add.html", context, status=status)


def _contact_page(
    request: HttpRequest,
    contact: Contact,
    *,
    form: ContactForm | None = None,
    outcome: OutcomeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = signed_in(request)
    [row] = contact_rows([contact], today=timezone.localdate())
    initial = {f: getattr(contact, f) for f in network.CONTACT_FIELDS}
    introduction = contact.introduction
    context = {
        "row": row,
        "contact": contact,
        "form": form or ContactForm(initial=initial),
        "touchpoint_form": _touchpoint_form(contact),
        "outcome_form": outcome
        or OutcomeForm(initial={"outcome": getattr(introduction, "outcome", None)}),
        "touchpoints": touchpoints_for(user, contact),
        "plan_url": plan_url(contact.plan.programme, user),
    }
    return render(request, f"{PAGES}/contact.html", context, status=status)


@login_required
def contact_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A contact: its details to edit, its touchpoints, and the introduction it came from."""
    user = signed_in(request)
    contact = contact_for(user, pk)
    form = ContactForm(request.POST or None) if request.method == "POST" else None
    if form is not None and form.is_valid():
        try:
            network.update_contact(actor=user, contact=contact, **form.cleaned_data)
        except ValidationFailed as error:
            add_domain_error(form, error)
        except DomainError as error:  # archived meanwhile (another tab)
            return acted(request, error, done="", to=reverse("network-contact", args=[pk]))
        else:
            messages.success(request, f"{form.cleaned_data['name']} is up to date.")
            return redirect("network-contact", pk=pk)
    return _contact_page(request, contact, form=form, status=400 if form and form.errors else 200)


@login_required
@require_POST
def archive_contact(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    contact = contact_for(user, pk)
    was_archived = contact.archived_at is not None
    network.archive_contact(actor=user, contact=contact)
    done = "already archived" if was_archived else "archived; its touchpoints are kept"
    return acted(
        request, None, done=f"{contact.name} is {done}.", to=plan_url(contact.plan.programme, user)
    )


@login_required
@require_POST
def restore_contact(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    contact = contact_for(user, pk)
    try:
        network.restore_contact(actor=user, contact=contact)
    except DomainError as error:
        return acted(request, error, done="", to=reverse("network-contact", args=[pk]))
    return acted(
        request,
        None,
        done=f"{contact.name} is back in your plan.",
        to=reverse("network-contact", args=[pk]),
    )


@login_required
@require_POST
def record_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """What came of the introduction a contact came from: recorded once, on the introduction."""
    user = signed_in(request)
    contact = contact_for(user, pk)
    if contact.introduction is None:
        raise Http404
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            mentorships.update_introduction(
                actor=user, introduction=contact.introduction, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The introduction's outcome is recorded.")
            return redirect("network-contact", pk=pk)
    return _contact_page(request, contact, outcome=form, status=400)


# Panels that other pages include ---------------------------------------------------------------


def mentorship_network_context(user: User, mentorship: Mentorship) -> dict[str, Any]:
    """Context of `pairs/_network_coverage.html` on the mentorship page: the mentee's plan
    summary for the mentee, and for the mentor while it is shared (their read is audited)."""
    return {"network_panel": network_panel(user, mentorship)}


def programme_network_context(user: User, slug: str) -> dict[str, Any]:
    """Context of `coordinator/_network_aggregates.html` on the programme dashboard."""
    return {"network": programme_network_aggregates(actor=user, slug=slug)}


urlpatterns = [
    path("network/", my_network, name="my-network"),
    path("network/share/", share, name="network-share"),
    path("network/contacts/new/", add_contact, name="network-contact-add"),
    path("network/contacts/<contact:pk>/", contact_page, name="network-contact"),
    path("network/contacts/<contact:pk>/touchpoints/", log_touchpoint, name="network-touchpoint"),
    path("network/contacts/<contact:pk>/archive/", archive_contact, name="network-contact-archive"),
    path("network/contacts/<contact:pk>/restore/", restore_contact, name="network-contact-restore"),
    path("network/contacts/<contact:pk>/outcome/", record_outcome, name="network-contact-outcome"),
]
