"""Work every web process would otherwise do on its first requests, done once before the workers
are forked (gunicorn.conf.py, `when_ready`): the forked workers share the result.

Without it, each new or recycled worker pays on its first requests for importing the matching
engine (numpy, scipy, scikit-learn: seconds), the background tasks, and for compiling every URL
pattern and the reverse lookup table (about 50 ms, on the first answer that names a URL, such as
the 202 of a matching run with its `Location`).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

from django.urls import URLResolver, get_resolver, reverse

#: Imported on first use elsewhere (a match request, a matching run, a background task).
MODULES = (
    "matching.engine",
    "matching.features",
    "mentorship.mentor_index",
    "mentorship.tasks",
)


def warm_up() -> None:
    for module in MODULES:
        importlib.import_module(module)
    _compile(get_resolver().url_patterns)
    reverse("api-health")  # fills the reverse lookup table every later lookup reads


def _compile(patterns: Iterable[Any]) -> None:
    """Compile the regular expression of every URL pattern (Django compiles each on first use
    and keeps it on the pattern)."""
    for pattern in patterns:
        pattern.pattern.regex  # noqa: B018
        if isinstance(pattern, URLResolver):
            _compile(pattern.url_patterns)
