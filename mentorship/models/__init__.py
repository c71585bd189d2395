"""The domain model. Import models from here: `from mentorship.models import Proposal`."""

from mentorship.models.audit import AuditEvent
from mentorship.models.idempotency import IdempotencyKey
from mentorship.models.matching import (
    OPEN_PROPOSAL_STATUSES,
    MatchingRun,
    MatchingRunMode,
    MatchingRunStatus,
    MatchRequest,
    Proposal,
    ProposalStatus,
)
from mentorship.models.mentorships import (
    SEAT_HOLDING_STATUSES,
    Introduction,
    IntroductionOutcome,
    Mentorship,
    MentorshipStatus,
    Session,
)
from mentorship.models.profiles import BIG_FIVE, Personality, Position, Profile
from mentorship.models.programmes import Exclusion, Membership, Programme, Role
from mentorship.models.security import LoginAttempts
from mentorship.models.users import User

__all__ = [
    "BIG_FIVE",
    "OPEN_PROPOSAL_STATUSES",
    "SEAT_HOLDING_STATUSES",
    "AuditEvent",
    "Exclusion",
    "IdempotencyKey",
    "Introduction",
    "IntroductionOutcome",
    "LoginAttempts",
    "MatchRequest",
    "MatchingRun",
    "MatchingRunMode",
    "MatchingRunStatus",
    "Membership",
    "Mentorship",
    "MentorshipStatus",
    "Personality",
    "Position",
    "Profile",
    "Programme",
    "Proposal",
    "ProposalStatus",
    "Role",
    "Session",
    "User",
]
