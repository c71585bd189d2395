from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api import fields
from api.serializers.common import (
    MenteeSummarySerializer,
    MentorSummarySerializer,
    PersonSerializer,
)
from mentorship.models import (
    EmptyReason,
    MatchingRun,
    MatchingRunMode,
    MatchingRunStage,
    MatchingRunStatus,
    MatchRequest,
    Proposal,
    ProposalStatus,
)

COMPONENTS_HELP = (
    "Per-factor scores in [0, 1]: topic_fit, career_relevance, career_variety, seniority, "
    "personality, logistics."
)


class ProposalSerializer(serializers.ModelSerializer):
    programme = fields.CharField(source="programme.slug", read_only=True)
    mentor = MentorSummarySerializer(read_only=True)
    mentee = MenteeSummarySerializer(read_only=True)
    components = serializers.DictField(child=fields.FloatField(), help_text=COMPONENTS_HELP)
    reasons = serializers.ListField(
        child=fields.CharField(), help_text="Why this mentor, in plain words."
    )
    status = serializers.ChoiceField(choices=ProposalStatus.choices, read_only=True)

    class Meta:
        model = Proposal
        fields = (
            "id",
            "programme",
            "status",
            "rank",
            "score",
            "components",
            "reasons",
            "mentor",
            "mentee",
            "message",
            "decline_reason",
            "match_request",
            "matching_run",
            "requested_at",
            "expires_at",
            "responded_at",
            "created_at",
        )
        read_only_fields = fields


class SuggestionSerializer(serializers.ModelSerializer):
    """A proposal inside its match request: the mentee's ranked shortlist."""

    mentor = MentorSummarySerializer(read_only=True)
    components = serializers.DictField(child=fields.FloatField(), help_text=COMPONENTS_HELP)
    reasons = serializers.ListField(child=fields.CharField())
    status = serializers.ChoiceField(choices=ProposalStatus.choices, read_only=True)

    class Meta:
        model = Proposal
        fields = ("id", "mentor", "rank", "score", "components", "reasons", "status")
        read_only_fields = fields

    def to_representation(self, instance: Proposal) -> dict[str, Any]:
        # The fields above without DRF's walk over them: every match request answers with these.
        return {
            "id": instance.pk,
            "mentor": self.fields["mentor"].to_representation(instance.mentor),
            "rank": instance.rank,
            "score": float(instance.score),
            "components": {name: float(value) for name, value in instance.components.items()},
            "reasons": [str(reason) for reason in instance.reasons],
            "status": str(instance.status),
        }


class MatchRequestSerializer(serializers.ModelSerializer):
    programme = fields.CharField(source="programme.slug", read_only=True)
    proposals = SuggestionSerializer(source="shortlist", many=True, read_only=True)
    empty_reason = serializers.ChoiceField(
        choices=[("", ""), *EmptyReason.choices],
        read_only=True,
        help_text="Why nobody was suggested (`no_mentors`, `none_available`, `no_profile`, "
        "`none_eligible`); empty when there are proposals.",
    )
    empty_reason_detail = fields.CharField(
        source="get_empty_reason_display",
        read_only=True,
        help_text="The same reason in plain words; empty when there are proposals.",
    )

    class Meta:
        model = MatchRequest
        fields = (
            "id",
            "programme",
            "created_at",
            "proposals",
            "empty_reason",
            "empty_reason_detail",
        )
        read_only_fields = fields


class MatchRequestCreateSerializer(serializers.Serializer):
    programme = fields.SlugField(max_length=60, help_text="The programme's slug.")


class RequestProposalSerializer(serializers.Serializer):
    message = fields.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AcceptProposalSerializer(serializers.Serializer):
    cadence_days = fields.IntegerField(
        min_value=1,
        max_value=365,
        required=False,
        allow_null=True,
        default=None,
        help_text="Target days between sessions; the programme's default when omitted.",
    )
    goals = fields.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = fields.CharField(max_length=1000)


class DraftProposalSerializer(serializers.ModelSerializer):
    mentor = MentorSummarySerializer(read_only=True)
    mentee = MenteeSummarySerializer(read_only=True)
    components = serializers.DictField(child=fields.FloatField(), help_text=COMPONENTS_HELP)
    reasons = serializers.ListField(child=fields.CharField())
    status = serializers.ChoiceField(choices=ProposalStatus.choices, read_only=True)

    class Meta:
        model = Proposal
        fields = ("id", "mentee", "mentor", "score", "components", "reasons", "status")
        read_only_fields = fields

    def to_representation(self, instance: Proposal) -> dict[str, Any]:
        # The fields above without DRF's walk over them: a run's detail holds thousands.
        return {
            "id": instance.pk,
            "mentee": self.fields["mentee"].to_representation(instance.mentee),
            "mentor": self.fields["mentor"].to_representation(instance.mentor),
            "score": float(instance.score),
            "components": {name: float(value) for name, value in instance.components.items()},
            "reasons": [str(reason) for reason in instance.reasons],
            "status": str(instance.status),
        }


class MatchingRunProgressSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(
        choices=MatchingRunStage.choices,
        help_text="queued, loading, scoring, writing while running; done once drafted or failed.",
    )
    percent = serializers.IntegerField(min_value=0, max_value=100)


class MatchingRunSerializer(serializers.ModelSerializer):
    programme = fields.CharField(source="programme.slug", read_only=True)
    created_by = PersonSerializer(read_only=True, allow_null=True)
    published_by = PersonSerializer(read_only=True, allow_null=True)
    summary = serializers.DictField(
        help_text=(
            "mentees, matched (the drafted pairs, listed at `…/pairs/`), unmatched (ids), "
            "mean_score; after publication also sent and withdrawn_at_publication."
        )
    )
    progress = MatchingRunProgressSerializer(source="stage_and_percent", read_only=True)
    status = serializers.ChoiceField(
        choices=MatchingRunStatus.choices,
        read_only=True,
        help_text=(
            "running (computing in the background), then draft (to review) or failed (see "
            "failure_reason); a draft is then published or discarded."
        ),
    )

    class Meta:
        model = MatchingRun
        fields = (
            "id",
            "programme",
            "mode",
            "status",
            "progress",
            "started_at",
            "finished_at",
            "failure_reason",
            "created_by",
            "created_at",
            "published_by",
            "published_at",
            "summary",
        )
        read_only_fields = fields


class MatchingRunCreateSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=MatchingRunMode.choices)
