"""Root URLconf: the one place allowed to know both interface apps."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Mentorship administration"
admin.site.site_title = "Mentorship admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include("frontend.urls")),
]
