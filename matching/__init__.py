"""The matching engine: explainable scores, top-k proposals and cohort assignment.

A pure library (numpy, scipy, scikit-learn, OR-Tools): no Django, no database, no clock. The CLI
(``python -m matching``) is the only part that reads files.

The names below load on first use (PEP 562), so ``import matching.solvers`` alone does not pull in
scikit-learn and pandas (about 130 MB of resident memory a cohort solve does not need).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matching import solvers
    from matching.engine import Assignment, Proposal, assign, propose
    from matching.features import FeatureModel
    from matching.index import MentorIndex
    from matching.profiles import tipi_traits, validate_profile
    from matching.scoring import COMPONENTS, DEFAULT_WEIGHTS, validate_weights
    from matching.solvers import solve
    from matching.vocab import NETWORK_GROUPS

_WHERE = {
    "COMPONENTS": "matching.scoring",
    "DEFAULT_WEIGHTS": "matching.scoring",
    "validate_weights": "matching.scoring",
    "Assignment": "matching.engine",
    "MentorIndex": "matching.index",
    "NETWORK_GROUPS": "matching.vocab",
    "Proposal": "matching.engine",
    "assign": "matching.engine",
    "propose": "matching.engine",
    "FeatureModel": "matching.features",
    "tipi_traits": "matching.profiles",
    "validate_profile": "matching.profiles",
    "solve": "matching.solvers",
}

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "NETWORK_GROUPS",
    "Assignment",
    "FeatureModel",
    "MentorIndex",
    "Proposal",
    "assign",
    "propose",
    "solve",
    "solvers",
    "tipi_traits",
    "validate_profile",
    "validate_weights",
]


def __getattr__(name: str) -> object:
    if name == "solvers":
        return importlib.import_module("matching.solvers")
    if name not in _WHERE:
        raise AttributeError(f"module 'matching' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
