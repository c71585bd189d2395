"""The coordinator's pages: the programme dashboard, the cadence table, cohort matching, matching
settings, members and the CSV exports.

Every page takes the programme's slug and reads through selectors scoped to the coordinator:
an outsider gets the 404 page, a member without the coordinator role the 403 page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from frontend.charts import dashboard_charts
from frontend.forms.base import add_domain_error
from frontend.forms.coordinator import CadenceFilterForm, MatchingRunForm, ProgrammeSettingsForm
from frontend.views.base import acted, login_required, partial_or_page, signed_in
from frontend.views.network import programme_network_context
from mentorship.errors import DomainError
from mentorship.matching_adapter import programme_weights
from mentorship.models import (
    OPEN_RUN_STATUSES,
    MatchingRun,
    MatchingRunStage,
    Role,
    User,
)
from mentorship.selectors.cadence import programme_cadence
from mentorship.selectors.exports import Export, cadence_export, csv_lines, members_export
from mentorship.selectors.mentorships import introductions_for
from mentorship.selectors.programmes import (
    MEMBER_ROLES,
    coordinated_programme,
    programme_members,
)
from mentorship.selectors.proposals import (
    matching_run_for,
    matching_runs_for,
    run_proposals,
    unmatched_mentees,
)
from mentorship.selectors.stats import programme_charts, programme_stats
from mentorship.services.matching_runs import (
    discard_matching_run,
    publish_matching_run,
    start_matching_run,
)
from mentorship.services.programmes import update_programme

T = "frontend/coordinator"
NEEDS_ATTENTION = ("overdue", "never_met")
NEEDS_ATTENTION_SHOWN = 10
LATEST_INTRODUCTIONS = 5
CADENCE_PAGE_SIZE = 25
MEMBERS_PAGE_SIZE = 50
RUN_PAIRS_PAGE_SIZE = 50


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in(request)
    today = timezone.localdate()
    programme, rows, summary = programme_cadence(actor=user, slug=slug, today=today)
    attention = [r for r in rows if r.cadence.status in NEEDS_ATTENTION]
    context = {
        "programme": programme,
        "section": "dashboard",
        "summary": summary,
        "stats": programme_stats(actor=user, slug=slug),
        "charts": dashboard_charts(programme_charts(actor=user, slug=slug, today=today), summary),
        "attention": attention[:NEEDS_ATTENTION_SHOWN],
        "attention_total": len(attention),
        "introductions": introductions_for(user)
        .filter(mentorship__programme=programme)
        .select_related("mentorship__mentor", "mentorship__mentee")[:LATEST_INTRODUCTIONS],
        # The run computing or waiting for review (one at most).
        "draft": matching_runs_for(user, slug).filter(status__in=OPEN_RUN_STATUSES).first(),
        **programme_network_context(user, slug),
    }
    return render(request, f"{T}/dashboard.html", context)


def _cadence_filters(request: HttpRequest, user: User, slug: str) -> CadenceFilterForm:
    mentors = programme_members(actor=user, slug=slug, role=Role.MENTOR).members
    return CadenceFilterForm(request.GET, mentors=[m.user for m in mentors])


@login_required
def cadence(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in(request)
    form = _cadence_filters(request, user, slug)
    programme, rows, summary = programme_cadence(actor=user, slug=slug, **form.filters())
    context = {
        "programme": programme,
        "section": "cadence",
        "form": form,
        "summary": summary,
        "page": Paginator(rows, CADENCE_PAGE_SIZE).get_page(request.GET.get("page")),
        "query": form.query(),
    }
    template = partial_or_page(request, f"{T}/cadence.html", f"{T}/_cadence_table.html")
    return render(request, template, context, status=400 if form.errors else 200)


def _attachment(export: Export) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(export.rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
def export_cadence(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The cadence table as CSV, with the table's filters; a wrong filter shows the table's
    page with the error next to the filter."""
    user = signed_in(request)
    form = _cadence_filters(request, user, slug)
    if form.is_bound and not form.is_valid():
        return cadence(request, slug)
    return _attachment(cadence_export(actor=user, slug=slug, **form.filters()))


@login_required
def export_members(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    return _attachment(members_export(actor=signed_in(request), slug=slug))


@login_required
def settings(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in(request)
    programme = coordinated_programme(user, slug)
    form = ProgrammeSettingsForm.for_programme(
        programme, programme_weights(programme), request.POST or None
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_programme(actor=user, programme=programme, **form.changes())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The matching settings are saved.")
            return redirect("programme-settings", slug)
    context = {"programme": programme, "section": "settings", "form": form}
    return render(request, f"{T}/settings.html", context, status=400 if form.errors else 200)


@login_required
def matching(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in(request)
    programme = coordinated_programme(user, slug)
    form = MatchingRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = start_matching_run(actor=user, programme=programme, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("programme-run", slug, run.pk)
    runs = list(matching_runs_for(user, slug))
    context = {
        "programme": programme,
        "section": "matching",
        "form": form,
        "runs": runs,
        "open_run": next((r for r in runs if r.status in OPEN_RUN_STATUSES), None),
    }
    return render(request, f"{T}/matching.html", context, status=400 if form.errors else 200)


@login_required
def run(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One run: its status panel with the progress while it runs, then the pairs it drafted
    with their scores and reasons and the mentees it could not place. The page's body is the
    partial an htmx request gets: a running run's page polls it until the run is done."""
    user = signed_in(request)
    matching_run = matching_run_for(user, slug, pk)
    pairs = run_proposals(actor=user, run=matching_run)
    context = {
        "programme": matching_run.programme,
        "section": "matching",
        "run": matching_run,
        "progress": (progress := matching_run.stage_and_percent),
        "stage": MatchingRunStage(progress["stage"]).label,
        "pairs": Paginator(pairs, RUN_PAIRS_PAGE_SIZE).get_page(request.GET.get("page")),
        "unmatched": unmatched_mentees(actor=user, run=matching_run),
    }
    template = partial_or_page(request, f"{T}/run.html", f"{T}/_run.html")
    return render(request, template, context)


RunService = Callable[..., MatchingRun]


def _act_on_run(
    request: HttpRequest,
    slug: str,
    pk: int,
    service: RunService,
    done: Callable[[MatchingRun], str],
) -> HttpResponse:
    user = signed_in(request)
    matching_run = matching_run_for(user, slug, pk)
    try:
        matching_run = service(actor=user, run=matching_run)
    except DomainError as error:
        return acted(request, error, done="", to=reverse("programme-run", args=[slug, pk]))
    return acted(
        request, None, done=done(matching_run), to=reverse("programme-run", args=[slug, pk])
    )


@require_POST
@login_required
def publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def done(published: MatchingRun) -> str:
        sent = published.summary.get("sent", 0)
        withdrawn = published.summary.get("withdrawn_at_publication", 0)
        overtaken = f" {withdrawn} overtaken since drafting were withdrawn." if withdrawn else ""
        return f"Published: {sent} requests sent to their mentors.{overtaken}"

    return _act_on_run(request, slug, pk, publish_matching_run, done)


@require_POST
@login_required
def discard(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _act_on_run(
        request, slug, pk, discard_matching_run, lambda _: "Discarded: nobody was sent anything."
    )


@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    role = request.GET.get("role") or None
    if role is not None and role not in Role.values:
        raise Http404
    listing = programme_members(actor=signed_in(request), slug=slug, role=role)
    context = {
        "programme": listing.programme,
        "section": "members",
        "role": role,
        "roles": [(r.value, r.label, listing.counts[r]) for r in MEMBER_ROLES],
        "total": sum(listing.counts.values()),
        "query": f"role={role}" if role else "",
        "page": Paginator(listing.members, MEMBERS_PAGE_SIZE).get_page(request.GET.get("page")),
    }
    return render(request, f"{T}/members.html", context)


urlpatterns = [
    path("programmes/<slug:slug>/", dashboard, name="programme-dashboard"),
    path("programmes/<slug:slug>/cadence/", cadence, name="programme-cadence"),
    path(
        "programmes/<slug:slug>/exports/cadence.csv",
        export_cadence,
        name="programme-export-cadence",
    ),
    path(
        "programmes/<slug:slug>/exports/members.csv",
        export_members,
        name="programme-export-members",
    ),
    path("programmes/<slug:slug>/settings/", settings, name="programme-settings"),
    path("programmes/<slug:slug>/matching/", matching, name="programme-matching"),
    path("programmes/<slug:slug>/matching/<int:pk>/", run, name="programme-run"),
    path(
        "programmes/<slug:slug>/matching/<int:pk>/publish/", publish, name="programme-run-publish"
    ),
    path(
        "programmes/<slug:slug>/matching/<int:pk>/discard/", discard, name="programme-run-discard"
    ),
    path("programmes/<slug:slug>/members/", members, name="programme-members"),
]
