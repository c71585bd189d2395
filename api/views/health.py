"""`GET /health/` for load balancers (and its alias under /api/v1/, documented in the schema)."""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mentorship.health import STATUSES, check_health


class CheckSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUSES)
    milliseconds = serializers.FloatField()


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUSES)
    checks = serializers.DictField(
        child=CheckSerializer(),
        help_text="`database` always; `cache` and `broker` when configured.",
    )


class HealthView(APIView):
    """Whether this instance can serve: 200 when the database (and the cache and the broker, when
    configured) answer, 503 otherwise. No secrets: only ok or unavailable per dependency."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = ()

    @extend_schema(
        tags=["health"],
        auth=[],
        responses={
            200: HealthSerializer,
            503: OpenApiResponse(HealthSerializer, description="A dependency is unavailable."),
        },
    )
    def get(self, request: Request) -> Response:
        health = check_health()
        word = "ok" if health.ok else "unavailable"
        response = Response(
            {
                "status": word,
                "checks": {
                    check.name: {
                        "status": "ok" if check.ok else "unavailable",
                        "milliseconds": check.milliseconds,
                    }
                    for check in health.checks
                },
            },
            status=status.HTTP_200_OK if health.ok else status.HTTP_503_SERVICE_UNAVAILABLE,
        )
        add_never_cache_headers(response)
        return response
