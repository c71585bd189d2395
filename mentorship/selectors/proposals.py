from __future__ import annotations

from django.db.models import F, Prefetch, Q, QuerySet

from mentorship import matching_adapter
from mentorship.access import Viewer, require_role
from mentorship.errors import NotFound
from mentorship.models import (
    MatchingRun,
    MatchRequest,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.selectors.people import people_with_careers
from mentorship.selectors.programmes import coordinated_programme, coordinated_programmes


def proposals_for(
    user: Viewer, *, status: str | None = None, programme: Programme | None = None
) -> QuerySet[Proposal]:
    """Mentees see their own proposals except coordinators' drafts; mentors see only what was
    sent to them; coordinators see everything in the programmes they coordinate."""
    if not user.is_authenticated:
        return Proposal.objects.none()
    # A run's proposal reaches its mentee only once sent: drafts withdrawn at discard or at
    # publication were never theirs to see.
    sent_or_not_from_a_run = Q(matching_run__isnull=True) | Q(requested_at__isnull=False)
    visible = (
        Q(mentee=user) & ~Q(status=ProposalStatus.DRAFT) & sent_or_not_from_a_run
        | Q(mentor=user, requested_at__isnull=False)
        | Q(programme__in=coordinated_programmes(user))
    )
    proposals = Proposal.objects.filter(visible).select_related(
        "mentor", "mentee", "programme", "mentor__profile", "mentee__profile"
    )
    if status:
        proposals = proposals.filter(status=status)
    if programme is not None:
        proposals = proposals.filter(programme=programme)
    return proposals.order_by("-created_at", "rank", "id")


def proposal_for(user: User, pk: int) -> Proposal:
    proposal = proposals_for(user).filter(pk=pk).first()
    if proposal is None:
        raise NotFound("No such proposal.")
    return proposal


def match_requests_for(user: Viewer) -> QuerySet[MatchRequest]:
    """The match requests the user may see (their own; all of the programmes they coordinate),
    each with its `shortlist` (SHORTLISTS)."""
    if not user.is_authenticated:
        return MatchRequest.objects.none()
    return (
        MatchRequest.objects.filter(Q(mentee=user) | Q(programme__in=coordinated_programmes(user)))
        .select_related("programme")
        .prefetch_related(*SHORTLISTS)  # type: ignore[no-redef]  # to_attr: MatchRequest.shortlist
    )


def match_request_for(user: User, pk: int) -> MatchRequest:
    request = match_requests_for(user).filter(pk=pk).first()
    if request is None:
        raise NotFound("No such match request.")
    return request


#: What a reader of a run's pairs shows of each beyond its people and profiles (joined by
#: `run_proposals`): their careers, prefetched for the page at once.
RUN_PAIR_CAREERS = ("mentor__profile__positions", "mentee__profile__positions")


#: Match requests with their suggestions, best first, as `shortlist`, and each mentor's summary:
#: proposals, mentors and profiles in one query, careers in a second.
SHORTLISTS = (
    Prefetch(
        "proposals",
        queryset=Proposal.objects.select_related("mentor__profile").order_by("rank", "id"),
        to_attr="shortlist",
    ),
    "shortlist__mentor__profile__positions",
)


def with_shortlist(match_request: MatchRequest) -> MatchRequest:
    """A match request just made, whose `shortlist` its service left on it, with each mentor's
    profile and career (one query): the proposals are not read back. A mentor erased since
    went with their proposals (on delete, cascade): those are left out."""
    mentors = people_with_careers(proposal.mentor_id for proposal in match_request.shortlist)
    match_request.shortlist = [p for p in match_request.shortlist if p.mentor_id in mentors]
    for proposal in match_request.shortlist:
        proposal.mentor = mentors[proposal.mentor_id]
    return match_request


def matching_runs_for(user: User, slug: str) -> QuerySet[MatchingRun]:
    programme = coordinated_programme(user, slug)
    return MatchingRun.objects.filter(programme=programme).select_related(
        "programme", "created_by", "published_by"
    )


def matching_run_for(user: User, slug: str, pk: int) -> MatchingRun:
    """One run of a programme the user coordinates."""
    run = matching_runs_for(user, slug).filter(pk=pk).first()
    if run is None:
        raise NotFound("No such matching run.")
    return run


def run_proposals(*, actor: User, run: MatchingRun) -> QuerySet[Proposal]:
    """The pairs a run drafted, best score first, with what became of each once published."""
    return (
        proposals_for(actor, programme=run.programme)
        .filter(matching_run=run)
        .order_by("-score", "mentee__last_name", "mentee__first_name", "id")
    )


def unmatched_mentees(*, actor: User, run: MatchingRun) -> list[User]:
    """The mentees a run could not place, by name. The run's summary keeps them as the engine's
    ids ("u17"); ids that are not ours are left out."""
    require_role(actor, run.programme, Role.COORDINATOR)
    ids = []
    for person in run.summary.get("unmatched", []):
        try:
            ids.append(matching_adapter.user_id_of(str(person)))
        except ValueError:
            continue
    return list(
        User.objects.filter(pk__in=ids)
        .select_related("profile")
        .order_by("last_name", "first_name", "username", "pk")
    )


def latest_match_request(user: User, programme: Programme) -> MatchRequest | None:
    """The mentee's most recent match request in the programme."""
    return (
        MatchRequest.objects.filter(mentee=user, programme=programme)
        .order_by("-created_at", "-id")
        .first()
    )


def shortlist(user: User, match_request: MatchRequest | None) -> list[Proposal]:
    """The suggestions of one match request, best first: each mentor once, in rank order,
    with what the mentee did about each (suggested, requested, dismissed, …)."""
    if match_request is None or match_request.mentee_id != user.pk:
        return []
    return list(
        proposals_for(user)
        .filter(match_request=match_request)
        .select_related("mentor__profile")
        .prefetch_related("mentor__profile__positions")
        .order_by("rank", "id")
    )


def sent_requests(user: User) -> QuerySet[Proposal]:
    """Every request sent to a mentor on the user's behalf as mentee, newest first: the ones
    they sent from a shortlist and those a published cohort run sent for them. Each row carries
    `mentorship_pk`, the mentorship an accepted request started."""
    return (
        proposals_for(user)
        .filter(mentee=user, requested_at__isnull=False)
        .annotate(mentorship_pk=F("mentorship__id"))
        .order_by("-requested_at", "-id")
    )
