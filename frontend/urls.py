"""The pages' URLconf: one module of views per area, each listing its own URL patterns."""

from django.urls import re_path

from frontend.views import (
    account,
    coordinator,
    engagement,
    mentee,
    mentor,
    network,
    notifications,
    pairs,
    privacy,
)
from frontend.views.errors import not_found

urlpatterns = [
    *account.urlpatterns,
    *mentee.urlpatterns,
    *mentor.urlpatterns,
    *pairs.urlpatterns,
    *coordinator.urlpatterns,
    *notifications.urlpatterns,
    *engagement.urlpatterns,
    *network.urlpatterns,
    *privacy.urlpatterns,
    # Anything else is the site's own 404 page (also with DEBUG on).
    re_path(r"", not_found),
]
