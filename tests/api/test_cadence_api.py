"""The cadence endpoint is paginated (50 pairs a page, most urgent first); the summary covers the
whole programme and the CSV export every pair."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mentorship import factories
from mentorship.models import Programme, User
from tests.api.conftest import Api, assert_error

pytestmark = pytest.mark.django_db
PAIRS = 60


@pytest.fixture
def pairs(programme: Programme) -> list[int]:
    """60 active pairs: 5 never met (the most urgent), the rest met yesterday."""
    today = timezone.localdate()
    ids = []
    for n in range(PAIRS):
        pair = factories.MentorshipFactory.create(
            programme=programme, started_on=today - dt.timedelta(days=30), cadence_days=14
        )
        if n >= 5:
            factories.SessionFactory.create(mentorship=pair, date=today - dt.timedelta(days=1))
        ids.append(pair.pk)
    return ids


def test_the_cadence_comes_50_pairs_a_page_with_the_whole_programmes_summary(
    api: type[Api], programme: Programme, coordinator: User, pairs: list[int]
) -> None:
    url = f"programmes/{programme.slug}/cadence/"

    first = api(coordinator).get(url).json()
    second = api(coordinator).get(f"{url}?page=2").json()

    assert (first["count"], len(first["mentorships"])) == (PAIRS, 50)
    assert first["previous"] is None
    assert first["next"].endswith(f"/api/v1/{url}?page=2")
    assert [r["status"] for r in first["mentorships"][:5]] == ["never_met"] * 5
    assert (second["count"], len(second["mentorships"]), second["next"]) == (PAIRS, 10, None)
    assert first["summary"] == second["summary"]
    assert first["summary"]["active"] == PAIRS
    seen = [r["mentorship"] for r in first["mentorships"] + second["mentorships"]]
    assert sorted(seen) == sorted(pairs)

    export = api(coordinator).get(f"{url}export/")
    lines = b"".join(export.streaming_content).decode().strip().splitlines()
    assert len(lines) == PAIRS + 1  # the header and every pair


def test_the_filter_and_the_page_size_go_together(
    api: type[Api], programme: Programme, coordinator: User, pairs: list[int]
) -> None:
    url = f"programmes/{programme.slug}/cadence/"

    never_met = api(coordinator).get(f"{url}?status=never_met&page_size=2").json()

    assert (never_met["count"], len(never_met["mentorships"])) == (5, 2)
    assert "status=never_met" in never_met["next"]
    assert never_met["summary"]["active"] == PAIRS


@pytest.mark.parametrize("query", ["page=0", "page=x", "page_size=101", "page=4"])
def test_a_wrong_page_is_a_4xx(
    api: type[Api], programme: Programme, coordinator: User, pairs: list[int], query: str
) -> None:
    response = api(coordinator).get(f"programmes/{programme.slug}/cadence/?{query}")

    assert_error(response, 404 if query == "page=4" else 400)
