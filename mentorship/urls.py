"""Root URLconf: the one place allowed to know both interface apps."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Mentorship administration"
admin.site.site_title = "Mentorship admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include("api.root_urls")),  # /health/ for load balancers
    path("", include("frontend.urls")),
]

# The site's own error pages (with DEBUG off; frontend.middleware covers the pages with it on).
handler403 = "frontend.views.errors.handler403"
handler404 = "frontend.views.errors.handler404"
handler500 = "frontend.views.errors.handler500"
