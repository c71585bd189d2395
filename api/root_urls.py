"""The API's routes outside /api/v1/, included by the root URLconf: the health endpoint load
balancers probe."""

from django.urls import path

from api.views.health import HealthView

urlpatterns = [path("health/", HealthView.as_view(), name="health")]
