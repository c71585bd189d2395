from __future__ import annotations

from typing import Any

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.pagination import CadencePagination
from api.serializers.matching import (
    DraftProposalSerializer,
    MatchingRunCreateSerializer,
    MatchingRunSerializer,
)
from api.serializers.programmes import (
    CadenceSerializerOut,
    ProgrammeCreateSerializer,
    ProgrammeSerializer,
    ProgrammeUpdateSerializer,
    StatsSerializer,
)
from api.views.base import ListView, caller, choice_param, validated
from mentorship.selectors.cadence import STATUSES, programme_cadence
from mentorship.selectors.exports import cadence_export, csv_lines
from mentorship.selectors.programmes import programme_for, programmes_with_roles_for
from mentorship.selectors.proposals import (
    RUN_PAIR_CAREERS,
    matching_run_for,
    matching_runs_for,
    run_proposals,
)
from mentorship.selectors.stats import programme_stats
from mentorship.services import matching_runs, programmes

STATUS_PARAM = OpenApiParameter(
    "status", str, enum=list(STATUSES), description="Only mentorships with this cadence status."
)

PAGE_PARAMS = [
    OpenApiParameter(p["name"], p["schema"], description=p["description"])
    for p in CadencePagination().get_schema_operation_parameters(None)
]


class ProgrammeListView(ListView):
    """Programmes you belong to (staff: all); staff create programmes and coordinate them."""

    serializer_class = ProgrammeSerializer
    error_codes = (409,)  # the slug is taken

    def get_queryset(self) -> Any:
        return programmes_with_roles_for(caller(self.request)).order_by("name", "pk")

    @extend_schema(tags=["programmes"])
    def get(self, request: Request) -> Response:
        return self.list(request)

    @extend_schema(
        tags=["programmes"], request=ProgrammeCreateSerializer, responses={201: ProgrammeSerializer}
    )
    def post(self, request: Request) -> Response:
        data = validated(request, ProgrammeCreateSerializer)
        programme = programmes.create_programme(actor=caller(request), **data)
        return Response(self.get_serializer(programme).data, status=status.HTTP_201_CREATED)


class ProgrammeDetailView(APIView):
    """One programme; coordinators change its settings."""

    @extend_schema(tags=["programmes"], responses=ProgrammeSerializer)
    def get(self, request: Request, slug: str) -> Response:
        programme = programme_for(caller(request), slug)
        return Response(ProgrammeSerializer(programme, context={"request": request}).data)

    @extend_schema(
        tags=["programmes"], request=ProgrammeUpdateSerializer, responses=ProgrammeSerializer
    )
    def patch(self, request: Request, slug: str) -> Response:
        programme = programme_for(caller(request), slug)
        data = validated(request, ProgrammeUpdateSerializer, partial=True)
        programme = programmes.update_programme(actor=caller(request), programme=programme, **data)
        return Response(ProgrammeSerializer(programme, context={"request": request}).data)


def _cadence(request: Request, slug: str) -> tuple[Any, list[Any], Any]:
    return programme_cadence(
        actor=caller(request), slug=slug, status=choice_param(request, "status", STATUSES)
    )


class CadenceView(APIView):
    """Per active mentorship: sessions, last session, days since, expected interval, status;
    50 a page, most urgent first (`?page=`, `?page_size=` up to 100). The CSV export has them
    all."""

    error_codes = (400,)  # an unknown ?status=, a wrong ?page=
    pagination = CadencePagination

    @extend_schema(
        tags=["coordination"],
        parameters=[STATUS_PARAM, *PAGE_PARAMS],
        responses=CadenceSerializerOut,
    )
    def get(self, request: Request, slug: str) -> Response:
        programme, rows, summary = _cadence(request, slug)
        paginator = self.pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return Response(
            CadenceSerializerOut(
                {
                    "programme": programme.slug,
                    "today": timezone.localdate(),
                    "summary": summary,
                    "count": len(rows),
                    "next": paginator.get_next_link(),
                    "previous": paginator.get_previous_link(),
                    "mentorships": page,
                }
            ).data
        )


class CadenceExportView(APIView):
    """The cadence table as CSV, for spreadsheets."""

    error_codes = (400,)  # an unknown ?status=

    @extend_schema(
        tags=["coordination"],
        parameters=[STATUS_PARAM],
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="CSV, one row per mentorship"
            )
        },
    )
    def get(self, request: Request, slug: str) -> StreamingHttpResponse:
        export = cadence_export(
            actor=caller(request), slug=slug, status=choice_param(request, "status", STATUSES)
        )
        response = StreamingHttpResponse(
            csv_lines(export.rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response


class StatsView(APIView):
    """Funnel, match rate, time to match, answers and decline reasons, introductions by group."""

    @extend_schema(tags=["coordination"], responses=StatsSerializer)
    def get(self, request: Request, slug: str) -> Response:
        return Response(StatsSerializer(programme_stats(actor=caller(request), slug=slug)).data)


class MatchingRunListView(ListView):
    """Whole-cohort matching: start a run for every unmatched mentee (202: it is computed in the
    background; follow its progress on the run), review its drafted pairs (`…/pairs/`), then
    publish. A second run while one is running or a draft waits answers 409."""

    serializer_class = MatchingRunSerializer
    error_codes = (409,)

    def get_queryset(self) -> Any:
        return matching_runs_for(caller(self.request), self.kwargs["slug"])

    @extend_schema(tags=["coordination"])
    def get(self, request: Request, slug: str) -> Response:
        return self.list(request)

    @extend_schema(
        tags=["coordination"],
        request=MatchingRunCreateSerializer,
        responses={202: MatchingRunSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        programme = programme_for(caller(request), slug)
        data = validated(request, MatchingRunCreateSerializer)
        run = matching_runs.start_matching_run(
            actor=caller(request), programme=programme, mode=data["mode"]
        )
        headers = {"Location": reverse("api-matching-run", args=[slug, run.pk])}
        return Response(
            MatchingRunSerializer(run).data, status=status.HTTP_202_ACCEPTED, headers=headers
        )


class MatchingRunDetailView(APIView):
    """One run: its status and progress while running, then its summary (or why it failed)."""

    @extend_schema(tags=["coordination"], responses=MatchingRunSerializer)
    def get(self, request: Request, slug: str, pk: int) -> Response:
        return Response(MatchingRunSerializer(matching_run_for(caller(request), slug, pk)).data)


class MatchingRunPairsView(ListView):
    """The pairs a run drafted, best score first, with each pair's scores, reasons and what
    became of it once published: none while the run is running or when it failed."""

    serializer_class = DraftProposalSerializer

    def get_queryset(self) -> Any:
        run = matching_run_for(caller(self.request), self.kwargs["slug"], self.kwargs["pk"])
        return run_proposals(actor=caller(self.request), run=run).prefetch_related(
            *RUN_PAIR_CAREERS
        )

    @extend_schema(tags=["coordination"])
    def get(self, request: Request, slug: str, pk: int) -> Response:
        return self.list(request)


class MatchingRunPublishView(APIView):
    """Send every draft proposal of the run to its mentor. Publishing twice answers 409."""

    error_codes = (409,)

    @extend_schema(tags=["coordination"], request=None, responses=MatchingRunSerializer)
    def post(self, request: Request, slug: str, pk: int) -> Response:
        run = matching_runs.publish_matching_run(
            actor=caller(request), run=matching_run_for(caller(request), slug, pk)
        )
        return Response(MatchingRunSerializer(run).data)


class MatchingRunDiscardView(APIView):
    error_codes = (409,)

    @extend_schema(tags=["coordination"], request=None, responses=MatchingRunSerializer)
    def post(self, request: Request, slug: str, pk: int) -> Response:
        run = matching_runs.discard_matching_run(
            actor=caller(request), run=matching_run_for(caller(request), slug, pk)
        )
        return Response(MatchingRunSerializer(run).data)
