from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentorship.models.programmes import Programme


class EmptyReason(models.TextChoices):
    """Why a match request found nobody to suggest, in the words the mentee reads."""

    NO_MENTORS = "no_mentors", "This programme has no mentors yet."
    NONE_AVAILABLE = (
        "none_available",
        "Every mentor of this programme is full or not taking new mentees right now.",
    )
    NO_PROFILE = "no_profile", "Fill in your profile first, so mentors can be matched to you."
    NONE_ELIGIBLE = (
        "none_eligible",
        "No available mentor fits you now (shared language, not already asked or declined).",
    )


class MatchRequest(models.Model):
    """A mentee asking for suggestions in a programme; its proposals are the ranked answer."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="match_requests"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_requests"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    empty_reason = models.CharField(
        max_length=20,
        choices=EmptyReason.choices,
        blank=True,
        help_text="Why nobody was suggested; empty when there are suggestions.",
    )

    #: Its proposals best first, where they were fetched with it (selectors.proposals.SHORTLISTS)
    #: or just written (services.proposals.create_match_request); not a column.
    shortlist: list[Proposal]

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(empty_reason="") | Q(empty_reason__in=EmptyReason.values),
                name="match_request_empty_reason_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Match request #{self.pk} by {self.mentee}"


class MatchingRunMode(models.TextChoices):
    OPTIMAL = "optimal", "Optimal (most mentees matched, then best total score)"
    STABLE = "stable", "Stable (no pair would rather swap)"
    GREEDY = "greedy", "Greedy (best pairs first)"


class MatchingRunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    FAILED = "failed", "Failed"
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    DISCARDED = "discarded", "Discarded"


#: A run in one of these blocks the programme's next run: computing, or waiting for review.
OPEN_RUN_STATUSES = (MatchingRunStatus.RUNNING, MatchingRunStatus.DRAFT)


class MatchingRunStage(models.TextChoices):
    """Where a running run is: queued for a worker, loading the profiles, scoring and
    assigning, writing its draft; done once it is a draft or failed."""

    QUEUED = "queued", "Queued"
    LOADING = "loading", "Loading the profiles"
    SCORING = "scoring", "Scoring and assigning"
    WRITING = "writing", "Writing the draft"
    DONE = "done", "Done"


class MatchingRun(models.Model):
    """A coordinator's whole-cohort assignment: computed in the background (running), then a
    draft to review, published or discarded; or failed, with the reason."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="matching_runs")
    mode = models.CharField(max_length=16, choices=MatchingRunMode.choices)
    status = models.CharField(
        max_length=16, choices=MatchingRunStatus.choices, default=MatchingRunStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    #: {"stage": MatchingRunStage, "percent": 0-100} while running; stage "done" after.
    progress = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)  # a worker began computing
    finished_at = models.DateTimeField(null=True, blank=True)  # drafted or failed
    failure_reason = models.TextField(blank=True, max_length=1000)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mode__in=MatchingRunMode.values), name="matching_run_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MatchingRunStatus.values), name="matching_run_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=MatchingRunStatus.PUBLISHED, published_at__isnull=False)
                | (~Q(status=MatchingRunStatus.PUBLISHED) & Q(published_at__isnull=True)),
                name="matching_run_published_at_iff_published",
            ),
            models.CheckConstraint(
                condition=Q(status=MatchingRunStatus.FAILED) & ~Q(failure_reason="")
                | ~Q(status=MatchingRunStatus.FAILED) & Q(failure_reason=""),
                name="matching_run_failure_reason_iff_failed",
            ),
            # One run computing or waiting for review per programme, so two coordinators cannot
            # start rival runs nor publish rival drafts.
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(status__in=OPEN_RUN_STATUSES),
                name="matching_run_one_open_per_programme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display().split(' (')[0]} run #{self.pk} ({self.status})"

    @property
    def stage_and_percent(self) -> dict[str, Any]:
        """`progress` with both keys, also for runs made before runs had progress (done)."""
        running = self.status == MatchingRunStatus.RUNNING
        return {
            "stage": self.progress.get(
                "stage", MatchingRunStage.QUEUED if running else MatchingRunStage.DONE
            ),
            "percent": self.progress.get("percent", 0 if running else 100),
        }


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUGGESTED = "suggested", "Suggested"
    REQUESTED = "requested", "Requested"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DISMISSED = "dismissed", "Dismissed"


OPEN_PROPOSAL_STATUSES = (ProposalStatus.SUGGESTED, ProposalStatus.REQUESTED)


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def open(self) -> ProposalQuerySet:
        return self.filter(status__in=OPEN_PROPOSAL_STATUSES)

    def involving(self, user: Any) -> ProposalQuerySet:
        return self.filter(Q(mentee=user) | Q(mentor=user))


class Proposal(models.Model):
    """One (mentee, mentor) suggestion with its score, per-factor components and reasons."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposals_as_mentee"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposals_as_mentor"
    )
    match_request = models.ForeignKey(
        MatchRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="proposals"
    )
    matching_run = models.ForeignKey(
        MatchingRun, null=True, blank=True, on_delete=models.CASCADE, related_name="proposals"
    )
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    components = models.JSONField(default=dict)
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=ProposalStatus.choices)
    message = models.TextField(blank=True, max_length=2000)
    decline_reason = models.TextField(blank=True, max_length=1000)
    requested_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["rank", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(mentee=models.F("mentor")), name="proposal_not_self"
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="proposal_rank_positive"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=1), name="proposal_score_unit_range"
            ),
            # Every proposal answers exactly one match request or one matching run.
            models.CheckConstraint(
                condition=Q(match_request__isnull=False, matching_run__isnull=True)
                | Q(match_request__isnull=True, matching_run__isnull=False),
                name="proposal_one_origin",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.DECLINED) | ~Q(decline_reason=""),
                name="proposal_decline_has_reason",
            ),
            # Withdrawn is reachable from draft and suggested (never sent) as well as requested.
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        ProposalStatus.DRAFT,
                        ProposalStatus.SUGGESTED,
                        ProposalStatus.DISMISSED,
                        ProposalStatus.WITHDRAWN,
                    ]
                )
                | Q(requested_at__isnull=False),
                name="proposal_requested_at_once_sent",
            ),
            models.UniqueConstraint(
                fields=["match_request", "mentor"], name="proposal_once_per_request_and_mentor"
            ),
            models.UniqueConstraint(
                fields=["matching_run", "mentee"], name="proposal_once_per_run_and_mentee"
            ),
            # A mentor has at most one pending request from the same mentee in a programme.
            models.UniqueConstraint(
                fields=["programme", "mentee", "mentor"],
                condition=Q(status=ProposalStatus.REQUESTED),
                name="proposal_one_pending_request_per_pair",
            ),
        ]
        indexes = [
            # The mentor's inbox: requests addressed to them by status.
            models.Index(fields=["mentor", "status"], name="proposal_mentor_status"),
            # The expiry sweep: requested proposals past their deadline.
            models.Index(fields=["status", "expires_at"], name="proposal_status_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} → {self.mentor} ({self.status})"


__all__ = [
    "OPEN_PROPOSAL_STATUSES",
    "EmptyReason",
    "MatchRequest",
    "MatchingRun",
    "MatchingRunMode",
    "MatchingRunStatus",
    "Proposal",
    "ProposalStatus",
]
