"""Everyone's notifications: the list with mark-as-read, which kinds are e-mailed, and the
calendar feed's secret link."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from frontend.forms.notifications import EmailPreferencesForm
from frontend.views.base import login_required, signed_in
from mentorship.selectors.navigation import places_of
from mentorship.selectors.notifications import (
    calendar_feed_of,
    notification_for,
    notifications_for,
    preferences_of,
    unread_count,
)
from mentorship.services import notifications as service

PER_PAGE = 20
AREA = "frontend/notifications"


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(notifications_for(user, unread=True if unread_only else None), PER_PAGE)
    context = {
        "page": page.get_page(request.GET.get("page")),
        "unread_only": unread_only,
        "unread": unread_count(user),
    }
    return render(request, f"{AREA}/list.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    notification = service.mark_read(actor=user, notification=notification_for(user, pk))
    if not getattr(request, "htmx", False):
        return redirect(_back(request))
    # htmx swaps the item in place, and the navigation's count along with it (out of band).
    context = {"n": notification, "count": unread_count(user), "oob": True}
    return render(request, f"{AREA}/_item.html", context)


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = service.mark_all_read(actor=signed_in(request))
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return redirect("notifications")


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification to the page where the person acts, marking it read on the way."""
    user = signed_in(request)
    notification = service.mark_read(actor=user, notification=notification_for(user, pk))
    return redirect(notification.link)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("notifications")


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = EmailPreferencesForm(
        request.POST or None, preferences=preferences_of(user), places=places_of(user)
    )
    if request.method == "POST" and form.is_valid():
        service.update_email_preferences(actor=user, changes=form.cleaned_data)
        messages.success(request, "Your e-mail preferences are saved.")
        return redirect("notification-preferences")
    status = 400 if form.errors else 200
    return render(request, f"{AREA}/preferences.html", {"form": form}, status=status)


@login_required
def calendar_feed(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            revoked = service.revoke_calendar_feed(actor=user)
            done = "The calendar link is revoked." if revoked else "There was no link to revoke."
        else:
            service.create_calendar_feed(actor=user)
            done = "Your calendar link is ready. Any earlier link stopped working."
        messages.success(request, done)
        return redirect("calendar-feed")
    feed = calendar_feed_of(user)
    url = (
        request.build_absolute_uri(reverse("api-sessions-feed")) + f"?key={feed.key}"
        if feed
        else ""
    )
    return render(request, f"{AREA}/calendar.html", {"feed": feed, "feed_url": url})


urlpatterns = [
    path("notifications/", notifications, name="notifications"),
    path("notifications/read-all/", notifications_read_all, name="notifications-read-all"),
    path("notifications/<int:pk>/read/", notification_read, name="notification-read"),
    path("notifications/<int:pk>/open/", notification_open, name="notification-open"),
    path("notifications/preferences/", notification_preferences, name="notification-preferences"),
    path("calendar/", calendar_feed, name="calendar-feed"),
]
