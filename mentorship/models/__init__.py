"""The domain model. Import models from here: `from mentorship.models import Proposal`."""

from mentorship.models.audit import AuditEvent
from mentorship.models.engagement import (
    CalendarFeed,
    EmailState,
    Export,
    ExportKind,
    ExportStatus,
    Notification,
    NotificationPreference,
)
from mentorship.models.idempotency import IdempotencyKey
from mentorship.models.index import MentorAvailability, MentorIndexState
from mentorship.models.matching import (
    OPEN_PROPOSAL_STATUSES,
    OPEN_RUN_STATUSES,
    EmptyReason,
    MatchingRun,
    MatchingRunMode,
    MatchingRunStage,
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
from mentorship.models.network import (
    KEY_CONTACTS_MAX,
    SHORT_LIST,
    WHY_MAX_LENGTH,
    Contact,
    ContactTier,
    NetworkPlan,
    Touchpoint,
    TouchpointVehicle,
)
from mentorship.models.profiles import BIG_FIVE, Personality, Position, Profile
from mentorship.models.programmes import Exclusion, Membership, Programme, Role
from mentorship.models.security import LoginAttempts
from mentorship.models.users import User

__all__ = [
    "BIG_FIVE",
    "KEY_CONTACTS_MAX",
    "OPEN_PROPOSAL_STATUSES",
    "OPEN_RUN_STATUSES",
    "SEAT_HOLDING_STATUSES",
    "SHORT_LIST",
    "WHY_MAX_LENGTH",
    "AuditEvent",
    "CalendarFeed",
    "Contact",
    "ContactTier",
    "EmailState",
    "EmptyReason",
    "Exclusion",
    "Export",
    "ExportKind",
    "ExportStatus",
    "IdempotencyKey",
    "Introduction",
    "IntroductionOutcome",
    "LoginAttempts",
    "MatchRequest",
    "MatchingRun",
    "MatchingRunMode",
    "MatchingRunStage",
    "MatchingRunStatus",
    "Membership",
    "MentorAvailability",
    "MentorIndexState",
    "Mentorship",
    "MentorshipStatus",
    "NetworkPlan",
    "Notification",
    "NotificationPreference",
    "Personality",
    "Position",
    "Profile",
    "Programme",
    "Proposal",
    "ProposalStatus",
    "Role",
    "Session",
    "Touchpoint",
    "TouchpointVehicle",
    "User",
]
