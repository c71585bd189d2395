"""Built-in vocabularies: topics, industries, job functions, formats and seniority words.

Industries and functions are recognised in free text (position fields, ``about``) by keyword, so
that career relevance can weigh industry and role alignment explicitly instead of relying on one
bag of words. A programme may use industries outside this list: the feature model adds every
industry it sees in positions as its own label (see :mod:`matching.features`).
"""

from __future__ import annotations

from collections.abc import Mapping

TOPICS: tuple[str, ...] = (
    "career_progression",
    "leadership",
    "communication",
    "networking",
    "stakeholder_management",
    "industry_knowledge",
    "certification",
    "risk_management",
    "agile_delivery",
    "pmo_governance",
    "change_management",
    "people_management",
    "career_change",
    "confidence",
    "work_life_balance",
    "technical_skills",
)

TOPIC_LABELS: Mapping[str, str] = {
    "career_progression": "career progression",
    "leadership": "leadership",
    "communication": "communication",
    "networking": "networking",
    "stakeholder_management": "stakeholder management",
    "industry_knowledge": "industry knowledge",
    "certification": "certification",
    "risk_management": "risk management",
    "agile_delivery": "agile delivery",
    "pmo_governance": "PMO governance",
    "change_management": "change management",
    "people_management": "people management",
    "career_change": "a career change",
    "confidence": "confidence",
    "work_life_balance": "work-life balance",
    "technical_skills": "technical skills",
}

FORMATS: tuple[str, ...] = ("video", "in_person", "phone", "chat")

FORMAT_LABELS: Mapping[str, str] = {
    "video": "video",
    "in_person": "in person",
    "phone": "phone",
    "chat": "chat",
}

# canonical industry -> (label used in reasons, keywords recognised in text)
INDUSTRIES: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "healthcare": (
        "healthcare",
        ("healthcare", "health care", "health", "hospital", "hospitals", "nhs", "medical"),
    ),
    "pharmaceuticals": (
        "pharmaceuticals",
        (
            "pharmaceuticals",
            "pharmaceutical",
            "pharma",
            "life sciences",
            "biotech",
            "biotechnology",
        ),
    ),
    "financial_services": (
        "financial services",
        (
            "financial services",
            "banking",
            "bank",
            "banks",
            "fintech",
            "insurance",
            "investment",
            "asset management",
        ),
    ),
    "technology": (
        "technology",
        ("technology", "tech", "software", "saas", "it services", "information technology"),
    ),
    "telecommunications": (
        "telecommunications",
        ("telecommunications", "telecoms", "telecom", "telco", "mobile networks"),
    ),
    "construction": (
        "construction",
        ("construction", "infrastructure", "civil engineering", "built environment"),
    ),
    "energy": (
        "energy",
        (
            "energy",
            "oil and gas",
            "oil & gas",
            "utilities",
            "utility",
            "renewables",
            "renewable energy",
            "nuclear",
        ),
    ),
    "public_sector": (
        "the public sector",
        ("public sector", "government", "civil service", "local government", "local council"),
    ),
    "defence_aerospace": (
        "defence and aerospace",
        ("defence", "defense", "aerospace", "aviation", "airline", "airlines"),
    ),
    "education": (
        "education",
        ("education", "higher education", "university", "universities", "schools", "edtech"),
    ),
    "retail": (
        "retail",
        ("retail", "e-commerce", "ecommerce", "consumer goods", "fmcg"),
    ),
    "manufacturing": (
        "manufacturing",
        ("manufacturing", "industrial", "factory", "factories"),
    ),
    "automotive": ("automotive", ("automotive", "car industry", "motor industry")),
    "transport_logistics": (
        "transport and logistics",
        ("transport", "transportation", "logistics", "rail", "railways", "shipping"),
    ),
    "consulting": (
        "consulting",
        ("consulting", "consultancy", "professional services"),
    ),
    "media": (
        "media",
        ("media", "publishing", "entertainment", "broadcasting", "advertising"),
    ),
    "nonprofit": (
        "the non-profit sector",
        ("nonprofit", "non-profit", "charity", "charities", "ngo", "third sector"),
    ),
    "hospitality": (
        "hospitality",
        ("hospitality", "hotels", "tourism", "travel industry"),
    ),
    "real_estate": ("real estate", ("real estate", "property")),
    "legal_services": ("legal services", ("legal services", "law firm", "law firms")),
    "agriculture": ("agriculture", ("agriculture", "farming", "agritech")),
    "mining": ("mining", ("mining", "metals")),
}

# canonical function -> (phrase "worked in ...", phrase "led ...", title keywords)
FUNCTIONS: Mapping[str, tuple[str, str, tuple[str, ...]]] = {
    "pmo": (
        "PMO roles",
        "a PMO",
        (
            "pmo",
            "portfolio office",
            "project management office",
            "programme office",
            "program office",
            "portfolio manager",
            "portfolio management",
            "governance",
        ),
    ),
    "project_management": (
        "project and programme management",
        "projects and programmes",
        (
            "project manager",
            "project management",
            "project lead",
            "programme manager",
            "program manager",
            "delivery manager",
            "delivery lead",
            "project coordinator",
            "scrum master",
            "agile coach",
            "release manager",
        ),
    ),
    "product_management": (
        "product management",
        "product teams",
        ("product manager", "product owner", "product management", "product lead"),
    ),
    "engineering": (
        "engineering",
        "engineering teams",
        (
            "engineer",
            "engineering",
            "developer",
            "software",
            "devops",
            "programmer",
            "architect",
        ),
    ),
    "data": (
        "data and analytics",
        "data teams",
        (
            "data scientist",
            "data science",
            "data analyst",
            "data engineer",
            "analytics",
            "machine learning",
            "statistician",
            "business intelligence",
        ),
    ),
    "design": ("design", "design teams", ("designer", "ux", "user research")),
    "finance": (
        "finance",
        "finance teams",
        (
            "finance",
            "accountant",
            "accounting",
            "controller",
            "cfo",
            "financial analyst",
            "treasury",
            "auditor",
            "audit",
        ),
    ),
    "sales": (
        "sales",
        "sales teams",
        ("sales", "account manager", "account executive", "business development"),
    ),
    "marketing": (
        "marketing and communications",
        "marketing teams",
        ("marketing", "brand", "communications", "public relations"),
    ),
    "hr": (
        "HR and people roles",
        "HR teams",
        (
            "hr",
            "human resources",
            "people partner",
            "talent",
            "recruiter",
            "recruitment",
            "people operations",
        ),
    ),
    "operations": (
        "operations",
        "operations teams",
        ("operations", "supply chain", "procurement", "coo"),
    ),
    "consulting": ("consulting", "consulting teams", ("consultant", "advisor", "adviser")),
    "risk_compliance": (
        "risk and compliance",
        "risk and compliance teams",
        ("risk", "compliance", "regulatory"),
    ),
    "legal": ("legal work", "legal teams", ("lawyer", "solicitor", "counsel", "paralegal")),
    "clinical": (
        "clinical practice",
        "clinical teams",
        ("nurse", "doctor", "physician", "clinician", "surgeon", "pharmacist"),
    ),
    "research": ("research", "research teams", ("researcher", "scientist", "research")),
    "teaching": ("teaching", "teaching teams", ("teacher", "lecturer", "professor", "tutor")),
    "change_management": (
        "change and transformation",
        "change programmes",
        ("change manager", "transformation", "change lead", "change management"),
    ),
    "general_management": (
        "general management",
        "organisations",
        ("ceo", "managing director", "general manager", "chief executive", "founder"),
    ),
    "customer_success": (
        "customer success",
        "customer teams",
        ("customer service", "customer success", "customer support"),
    ),
}

# Words in a title that mark leading a function ("Head of PMO", "PMO Lead"); "manager" is left
# out on purpose: an account manager does not lead a sales team.
LEAD_WORDS: tuple[str, ...] = ("lead", "head", "director", "chief", "vp", "vice president")

# A mentee topic that names a function they want to grow into, with the weight of that aim.
TOPIC_FUNCTIONS: Mapping[str, tuple[str, float]] = {
    "pmo_governance": ("pmo", 1.0),
    "agile_delivery": ("project_management", 0.6),
    "change_management": ("change_management", 0.6),
    "risk_management": ("risk_compliance", 0.3),
}

# Words in ``about`` that turn a following industry or function mention into an aim.
ASPIRATION_WORDS: tuple[str, ...] = (
    "want",
    "wants",
    "wish",
    "hope",
    "hoping",
    "aim",
    "aiming",
    "grow",
    "growing",
    "move",
    "moving",
    "transition",
    "become",
    "interested",
    "like to",
    "looking to",
    "plan",
    "aspire",
    "switch",
    "step into",
)

# Title words implying a seniority level (used only when the profile gives none).
SENIORITY_WORDS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        6,
        (
            "chief",
            "ceo",
            "cfo",
            "coo",
            "cto",
            "cio",
            "vp",
            "vice president",
            "partner",
            "executive director",
        ),
    ),
    (5, ("head", "director")),
    (4, ("senior", "lead", "principal")),
    (1, ("junior", "graduate", "intern", "trainee", "apprentice", "assistant")),
    (2, ("analyst", "coordinator", "officer", "associate")),
)

TRAITS: tuple[str, ...] = (
    "openness",
    "conscientiousness",
    "extraversion",
    "agreeableness",
    "emotional_stability",
)

TRAIT_LABELS: Mapping[str, str] = {
    "openness": "openness",
    "conscientiousness": "conscientiousness",
    "extraversion": "extraversion",
    "agreeableness": "agreeableness",
    "emotional_stability": "emotional stability",
}

LANGUAGE_LABELS: Mapping[str, str] = {
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "ar": "Arabic",
    "hi": "Hindi",
    "zh": "Chinese",
    "ja": "Japanese",
}

# The five groups of a professional network (PMO network practice); a mentor's reach counts the
# introductions they made into each, a mentee's gaps name the groups where their network is thin.
NETWORK_GROUPS: tuple[str, ...] = (
    "delivery_teams",
    "senior_leadership",
    "wider_business",
    "external_influencers",
    "industry_acquaintances",
)

# What a mentor introduced mentees to, per group ("Has introduced 3 mentees to senior leaders").
NETWORK_GROUP_NOUNS: Mapping[str, str] = {
    "delivery_teams": "delivery teams",
    "senior_leadership": "senior leaders",
    "wider_business": "people across the wider business",
    "external_influencers": "external influencers",
    "industry_acquaintances": "industry acquaintances",
}
