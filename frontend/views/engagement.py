"""Engagement pages: a mentor's "I am available again", the pair's calendar file, and for
coordinators the mentors' responsiveness, pairs that stopped meeting, the nudge button and the
background CSV exports."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from frontend.views.base import acted, login_required, signed_in
from mentorship.errors import DomainError, NotFound
from mentorship.selectors.calendar import mentorship_calendar
from mentorship.selectors.engagement import availability_of, inactive_pairs
from mentorship.selectors.exports import export_for, exports_of
from mentorship.selectors.mentorships import mentorship_for
from mentorship.selectors.programmes import programme_for
from mentorship.selectors.responsiveness import programme_responsiveness
from mentorship.services import engagement, exports
from mentorship.services.availability import confirm_availability

AREA = "frontend/engagement"


@login_required
def mentor_availability(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    memberships = availability_of(user)
    if not memberships:
        raise NotFound("You are not a mentor of any programme.")
    if request.method == "POST":
        error = None
        try:
            programme = programme_for(user, request.POST.get("programme", ""))
            confirm_availability(actor=user, programme=programme)
        except DomainError as refused:
            error = refused
        return acted(
            request,
            error,
            done="Thank you: mentees can send you requests again.",
            to="mentor-availability",
        )
    return render(request, f"{AREA}/availability.html", {"memberships": memberships})


@login_required
def mentorship_ics(request: HttpRequest, pk: int) -> HttpResponse:
    filename, ics = mentorship_calendar(user=signed_in(request), pk=pk)
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@login_required
@require_POST
def mentorship_nudge(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinators' nudge button (frontend/coordinator/_nudge_button.html)."""
    user = signed_in(request)
    mentorship = mentorship_for(user, pk)
    error = None
    try:
        engagement.nudge_pair(actor=user, mentorship=mentorship)
    except DomainError as refused:
        error = refused
    done = f"Nudged {mentorship.mentor.display_name} and {mentorship.mentee.display_name}."
    if getattr(request, "htmx", False):
        context = {"mentorship": mentorship, "nudge_error": error, "nudge_done": done}
        return render(request, "frontend/coordinator/_nudge_button.html", context)
    default = reverse("programme-engagement", args=[mentorship.programme.slug])
    return acted(request, error, done=done, to=_safe_next(request, default))


@login_required
def programme_engagement(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in(request)
    programme, mentors = programme_responsiveness(actor=user, slug=slug)
    today = timezone.localdate()
    context = {
        "programme": programme,
        "mentors": mentors,
        "paused": [row for row in mentors if row.paused_at],
        "inactive": inactive_pairs(actor=user, slug=slug, today=today),
        "today": today,
    }
    return render(request, f"{AREA}/programme.html", {**context, "section": "engagement"})


@login_required
def programme_exports(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in(request)
    programme, made = exports_of(actor=user, slug=slug)
    if request.method == "POST":
        error = None
        try:
            exports.request_export(
                actor=user, programme=programme, kind=request.POST.get("kind", "cadence")
            )
        except DomainError as refused:
            error = refused
        done = "Your export is being prepared; you will be notified when it is ready."
        return acted(request, error, done=done, to=reverse("programme-exports", args=[slug]))
    context = {"programme": programme, "exports": made[:20], "section": "exports"}
    return render(request, f"{AREA}/exports.html", context)


@login_required
def export_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = signed_in(request)
    export = export_for(actor=user, slug=slug, pk=pk)
    try:
        export = exports.download_export(actor=user, export=export)
    except DomainError as refused:
        return acted(request, refused, done="", to=reverse("programme-exports", args=[slug]))
    response = HttpResponse(export.content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


urlpatterns = [
    path("mentor/availability/", mentor_availability, name="mentor-availability"),
    path("mentorships/<int:pk>/calendar.ics", mentorship_ics, name="mentorship-ics"),
    path("mentorships/<int:pk>/nudge/", mentorship_nudge, name="mentorship-nudge"),
    path("programmes/<slug:slug>/engagement/", programme_engagement, name="programme-engagement"),
    path("programmes/<slug:slug>/exports/", programme_exports, name="programme-exports"),
    path(
        "programmes/<slug:slug>/exports/<int:pk>/download/",
        export_download,
        name="export-download",
    ),
]
