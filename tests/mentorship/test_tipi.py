"""TIPI scoring: each Big Five trait is the mean of one item and the reverse of another
(Gosling, Rentfrow & Swann, 2003). No database."""

from __future__ import annotations

import random

import pytest

from mentorship import tipi
from mentorship.models import BIG_FIVE


def by_hand(answers: list[int]) -> dict[str, float]:
    """The published key: items 1-10 are E, A(R), C, ES(R), O, E(R), A, C(R), ES, O(R)."""
    a = dict(enumerate(answers, start=1))
    return {
        "extraversion": (a[1] + 8 - a[6]) / 2,
        "agreeableness": (a[7] + 8 - a[2]) / 2,
        "conscientiousness": (a[3] + 8 - a[8]) / 2,
        "emotional_stability": (a[9] + 8 - a[4]) / 2,
        "openness": (a[5] + 8 - a[10]) / 2,
    }


def test_the_questionnaire_has_ten_items_scored_into_the_big_five() -> None:
    assert len(tipi.ITEMS) == 10
    assert set(tipi.big_five([4] * 10)) == set(BIG_FIVE)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # Neutral everywhere.
        ([4] * 10, dict.fromkeys(BIG_FIVE, 4.0)),
        # Agreeing with every item: straight and reversed items cancel out.
        ([7] * 10, dict.fromkeys(BIG_FIVE, 4.0)),
        ([1] * 10, dict.fromkeys(BIG_FIVE, 4.0)),
        # Straight items 7, reversed items 1: the top of every scale.
        ([7, 1, 7, 1, 7, 1, 7, 1, 7, 1], dict.fromkeys(BIG_FIVE, 7.0)),
        ([1, 7, 1, 7, 1, 7, 1, 7, 1, 7], dict.fromkeys(BIG_FIVE, 1.0)),
        # A worked example: an organised, open, calm introvert who can be critical.
        (
            [2, 5, 7, 2, 6, 6, 4, 1, 6, 2],
            {
                "extraversion": 2.0,  # (2 + 8-6) / 2
                "agreeableness": 3.5,  # (4 + 8-5) / 2
                "conscientiousness": 7.0,  # (7 + 8-1) / 2
                "emotional_stability": 6.0,  # (6 + 8-2) / 2
                "openness": 6.0,  # (6 + 8-2) / 2
            },
        ),
    ],
)
def test_big_five_reverse_scores_the_second_item_of_each_trait(answers, expected) -> None:
    assert tipi.big_five(answers) == expected


def test_random_answers_score_like_the_hand_computation_and_stay_on_the_scale() -> None:
    rng = random.Random(2003)
    for _ in range(500):
        answers = [rng.randint(1, 7) for _ in range(10)]
        scores = tipi.big_five(answers)
        assert scores == by_hand(answers)
        assert all(1 <= value <= 7 and value * 2 == int(value * 2) for value in scores.values())


@pytest.mark.parametrize(
    "answers",
    [[], [4] * 9, [4] * 11, [0] + [4] * 9, [4] * 9 + [8], [-1] * 10],
)
def test_big_five_refuses_anything_but_ten_answers_from_one_to_seven(answers) -> None:
    with pytest.raises(ValueError, match="answers"):
        tipi.big_five(answers)
