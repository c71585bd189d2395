"""The matching engine: explainable scores, top-k proposals and cohort assignment.

A pure library (numpy, scipy, scikit-learn, OR-Tools): no Django, no database, no clock. The CLI
(``python -m matching``) is the only part that reads files.
"""

from matching import solvers
from matching.engine import Assignment, MentorIndex, Proposal, assign, propose
from matching.features import FeatureModel
from matching.profiles import tipi_traits, validate_profile
from matching.scoring import COMPONENTS, DEFAULT_WEIGHTS, validate_weights

solve = solvers.solve

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
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
