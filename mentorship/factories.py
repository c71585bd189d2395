"""factory_boy factories for the domain: the demo data and the tests build people with them.

Careers are realistic project-management paths across industries, so the matching engine has
something real to work on in the demo.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from mentorship import tipi
from mentorship.models import (
    Contact,
    ContactTier,
    Introduction,
    MatchRequest,
    Membership,
    Mentorship,
    NetworkPlan,
    Personality,
    Position,
    Profile,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    Session,
    Touchpoint,
    TouchpointVehicle,
    User,
)
from mentorship.services.mentor_availability import mentor_changed
from mentorship.taxonomy import TOPICS, ConnectionType, MeetingFormat, NetworkGroup

DEFAULT_PASSWORD = "mentoring-demo-2026"

INDUSTRIES = (
    "construction",
    "healthcare",
    "financial services",
    "government",
    "software",
    "energy",
    "telecommunications",
    "pharmaceuticals",
    "retail",
    "defence",
    "education",
    "manufacturing",
    "transport",
    "consulting",
    "charity",
)
TITLES_BY_SENIORITY: dict[int, tuple[str, ...]] = {
    1: ("Project Coordinator", "PMO Analyst", "Project Support Officer", "Junior Project Manager"),
    2: ("Project Manager", "Scrum Master", "PMO Officer", "Delivery Lead"),
    3: ("Senior Project Manager", "Programme Manager", "Agile Delivery Manager", "PMO Manager"),
    4: ("Programme Director", "PMO Lead", "Head of Delivery", "Portfolio Manager"),
    5: ("Head of PMO", "Portfolio Director", "Director of Transformation", "Head of Change"),
    6: (
        "Chief Delivery Officer",
        "VP Transformation",
        "Chief Operating Officer",
        "Managing Partner",
    ),
}
ORGANISATIONS: dict[str, tuple[str, ...]] = {
    "construction": ("Balfour Works", "Kier & Lane", "Northbuild", "Arcstone Civil"),
    "healthcare": ("NHS Lothian", "St Anne's Trust", "CareBridge", "MedPath Clinics"),
    "financial services": ("Harbour Bank", "Crestline Insurance", "Ledgerwise", "Sterling Mutual"),
    "government": ("Department for Transport", "City Council", "HM Revenue Service", "Home Office"),
    "software": ("Cloudnine Labs", "Brightwave", "Stackhouse", "Nimbus Systems"),
    "energy": ("Gridline Power", "North Sea Renewables", "Solaris Energy", "Voltway"),
    "telecommunications": ("Telwave", "Fibrenet", "Orbital Mobile", "LinkUp Telecom"),
    "pharmaceuticals": ("Helix Pharma", "Novagen", "BioCrest", "Meridian Therapeutics"),
    "retail": ("Marlow & Co", "ShopRight", "Greengrocer Group", "Urban Outfitters UK"),
    "defence": ("Aegis Systems", "Sentinel Defence", "Northstar Aerospace", "Ironclad"),
    "education": ("University of Leeds", "OpenLearn College", "Academy Trust", "EduServe"),
    "manufacturing": ("Precision Parts", "Midlands Motors", "Forge & Steel", "Axis Components"),
    "transport": ("RailConnect", "Metro Lines", "Skyport Airports", "Harbour Logistics"),
    "consulting": (
        "Bridgewater Consulting",
        "Clearpath Advisory",
        "Keystone Partners",
        "PMO Works",
    ),
    "charity": ("Hope Foundation", "Shelter Together", "Green Futures Trust", "Youth Forward"),
}
SKILLS = (
    "risk management",
    "stakeholder engagement",
    "budgeting",
    "scheduling",
    "MS Project",
    "Jira",
    "Scrum",
    "SAFe",
    "Kanban",
    "benefits realisation",
    "change management",
    "vendor management",
    "contract management",
    "resource planning",
    "portfolio governance",
    "status reporting",
    "Power BI",
    "earned value",
    "procurement",
    "requirements gathering",
    "business cases",
    "PMO set-up",
    "programme assurance",
    "team leadership",
    "facilitation",
    "dependency mapping",
)
CERTIFICATIONS = (
    "PMP",
    "PRINCE2 Practitioner",
    "PRINCE2 Foundation",
    "APM PMQ",
    "APM PFQ",
    "MSP",
    "CSM",
    "PSM I",
    "SAFe Agilist",
    "PMI-ACP",
    "P3O",
    "MoP",
    "ChPP",
    "ITIL 4",
)
TIMEZONES = (
    "Europe/London",
    "Europe/London",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Dubai",
    "Asia/Singapore",
    "Australia/Sydney",
)
SUMMARIES = (
    "Led delivery of a {money} {industry} programme across {n} workstreams.",
    "Set up the PMO, introduced stage gates and monthly portfolio reporting.",
    "Ran agile delivery for {n} squads and coached product owners.",
    "Turned around a failing {industry} project: re-baselined scope, budget and plan.",
    "Managed vendors and contracts worth {money}; cut change requests by a third.",
    "Built the risk register and dependency map for a {industry} transformation.",
)


def career(
    rng: random.Random, *, seniority: int, today: dt.date, varied: bool
) -> list[dict[str, Any]]:
    """A plausible career history ending at `seniority`, newest last."""
    home = rng.choice(INDUSTRIES)
    steps = max(1, seniority + rng.randint(-1, 1 if not varied else 2))
    months_back = steps * rng.randint(20, 40)
    start = dt.date(today.year, today.month, 1) - dt.timedelta(days=months_back * 30)
    positions = []
    for step in range(steps):
        level = max(1, min(6, seniority - (steps - 1 - step) // 2))
        industry = rng.choice(INDUSTRIES) if varied and rng.random() < 0.6 else home
        length = rng.randint(14, 48)
        end = start + dt.timedelta(days=length * 30)
        current = step == steps - 1
        positions.append(
            {
                "title": rng.choice(TITLES_BY_SENIORITY[level]),
                "organisation": rng.choice(ORGANISATIONS[industry]),
                "industry": industry,
                "start": start.replace(day=1),
                "end": None if current else min(end, today).replace(day=1),
                "summary": rng.choice(SUMMARIES).format(
                    industry=industry, n=rng.randint(2, 9), money=f"£{rng.randint(2, 90)}m"
                ),
            }
        )
        start = min(end, today).replace(day=1)
    return positions


class ProgrammeFactory(DjangoModelFactory[Programme]):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    join_code = factory.Sequence(lambda n: f"JOIN-{n:04d}")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def saved(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create:
            obj.save()


class ProfileFactory(DjangoModelFactory[Profile]):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    headline = ""
    seniority = 2
    languages = factory.LazyFunction(lambda: ["en"])
    timezone = "Europe/London"
    formats = factory.LazyFunction(lambda: [MeetingFormat.VIDEO])
    capacity = 2


class PositionFactory(DjangoModelFactory[Position]):
    class Meta:
        model = Position

    profile = factory.SubFactory(ProfileFactory)
    title = "Project Manager"
    organisation = "Acme"
    industry = "construction"
    start = dt.date(2019, 4, 1)
    end = None


class PersonalityFactory(DjangoModelFactory[Personality]):
    class Meta:
        model = Personality

    profile = factory.SubFactory(ProfileFactory)
    answers = factory.LazyFunction(lambda: [random.randint(1, 7) for _ in range(10)])
    consented_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class: type[Personality], *args: Any, **kwargs: Any) -> Personality:
        kwargs.update(tipi.big_five(kwargs["answers"]))
        return super()._create(model_class, *args, **kwargs)


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership
        django_get_or_create = ("user", "programme", "role")

    user = factory.SubFactory(UserFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    role = Role.MENTEE


def member(programme: Programme, role: str, **user_fields: Any) -> User:
    """A user with a profile holding `role` in `programme`."""
    profile_fields = {
        key: user_fields.pop(key)
        for key in list(user_fields)
        if key in {f.name for f in Profile._meta.get_fields()}
    }
    user = UserFactory.create(**user_fields)
    ProfileFactory.create(user=user, **profile_fields)
    MembershipFactory.create(user=user, programme=programme, role=role)
    if role == Role.MENTOR:  # as sign-up does: the mentor is available and due in the index
        mentor_changed(user_id=user.pk, programme_ids=[programme.pk], profile=True)
    return user


class ProposalFactory(DjangoModelFactory[Proposal]):
    class Meta:
        model = Proposal

    programme = factory.SubFactory(ProgrammeFactory)
    mentee = factory.LazyAttribute(lambda p: member(p.programme, Role.MENTEE))
    mentor = factory.LazyAttribute(lambda p: member(p.programme, Role.MENTOR))
    match_request = factory.LazyAttribute(
        lambda p: (
            None
            if p.matching_run
            else MatchRequest.objects.create(programme=p.programme, mentee=p.mentee)
        )
    )
    matching_run = None
    rank = 1
    score = 0.8
    components = factory.LazyFunction(lambda: {"topic_fit": 0.9})
    reasons = factory.LazyFunction(lambda: ["Offers help with leadership, which you asked for"])
    status = ProposalStatus.SUGGESTED
    requested_at = factory.LazyAttribute(
        lambda p: (
            None
            if p.status
            in (ProposalStatus.DRAFT, ProposalStatus.SUGGESTED, ProposalStatus.DISMISSED)
            else timezone.now()
        )
    )
    expires_at = factory.LazyAttribute(
        lambda p: p.requested_at + dt.timedelta(days=7) if p.requested_at else None
    )


class MentorshipFactory(DjangoModelFactory[Mentorship]):
    class Meta:
        model = Mentorship
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    mentor = factory.LazyAttribute(lambda m: member(m.programme, Role.MENTOR))
    mentee = factory.LazyAttribute(lambda m: member(m.programme, Role.MENTEE))
    cadence_days = 14
    started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))

    @factory.post_generation
    def seat(self: Mentorship, create: bool, extracted: Any, **kwargs: Any) -> None:
        """As the services do: the mentor's seat is counted in their availability."""
        if create:
            mentor_changed(user_id=self.mentor_id)


class SessionFactory(DjangoModelFactory[Session]):
    class Meta:
        model = Session

    mentorship = factory.SubFactory(MentorshipFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    duration_minutes = 45
    format = MeetingFormat.VIDEO
    topics = factory.LazyFunction(lambda: [TOPICS[1]])
    logged_by = factory.LazyAttribute(lambda s: s.mentorship.mentee)


class IntroductionFactory(DjangoModelFactory[Introduction]):
    class Meta:
        model = Introduction

    mentorship = factory.SubFactory(MentorshipFactory)
    introducer = factory.LazyAttribute(lambda i: i.mentorship.mentor)
    contact_name = factory.Faker("name")
    contact_organisation = "Gridline Power"
    contact_role = "Head of PMO"
    network_group = NetworkGroup.SENIOR_LEADERSHIP
    connection_type = ConnectionType.STRATEGIC
    purpose = "Talk about moving into PMO governance."


# The network plan -----------------------------------------------------------------------------


class NetworkPlanFactory(DjangoModelFactory[NetworkPlan]):
    class Meta:
        model = NetworkPlan
        django_get_or_create = ("owner", "programme")

    programme = factory.SubFactory(ProgrammeFactory)
    owner = factory.LazyAttribute(lambda p: member(p.programme, Role.MENTEE))


class ContactFactory(DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    plan = factory.SubFactory(NetworkPlanFactory)
    name = factory.Faker("name")
    organisation = "Gridline Power"
    role = "Head of PMO"
    network_group = NetworkGroup.WIDER_BUSINESS
    connection_type = ConnectionType.OPERATIONAL
    tier = ContactTier.REGULAR
    why = "Knows how the finance PMO works."
    added_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))


class TouchpointFactory(DjangoModelFactory[Touchpoint]):
    class Meta:
        model = Touchpoint

    contact = factory.SubFactory(ContactFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    vehicle = TouchpointVehicle.CALL
