"""Feature model: shapes, determinism, pickling, the fast one-profile path, parallel transform."""

from __future__ import annotations

import datetime as dt
import pickle

import numpy as np
import pytest

from matching import COMPONENTS, features, validate_profile
from matching.features import FeatureModel, ProfileFeatures
from matching.synthetic import synthetic_profiles

DAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def profiles() -> list[dict[str, object]]:
    return synthetic_profiles(600, random_state=1)


def _same(a: ProfileFeatures, b: ProfileFeatures, atol: float = 0.0) -> None:
    for name in ProfileFeatures.__dataclass_fields__:
        x, y = getattr(a, name), getattr(b, name)
        if isinstance(x, tuple):
            assert x == y, name
        else:
            np.testing.assert_allclose(x, y, atol=atol, err_msg=name)


def test_features_have_the_documented_shapes(profiles):
    model, f = FeatureModel.fit_transform(profiles, as_of=DAY)
    n, lay = len(profiles), model.layout
    assert len(f) == n
    assert f.topics.shape == (n, lay.topics.stop - lay.topics.start)
    assert f.industry_experience.shape == f.industry_aims.shape == (n, len(model.industries))
    assert f.function_experience.shape == (n, len(model.functions))
    assert f.text.shape == (n, model.text_dims)
    norms = np.linalg.norm(f.text, axis=1)
    np.testing.assert_allclose(norms[norms > 0], 1.0, atol=1e-5)
    mentor = model.mentor_matrix(f)
    u, const = model.mentee_matrix(f)
    assert mentor.shape == u.shape == (n, lay.width)
    assert mentor.dtype == u.dtype == np.float32
    assert const.shape == (n, len(COMPONENTS))
    assert lay.width % 16 == 0
    aims = f.industry_aims.sum(axis=1)
    assert ((aims <= 1 + 1e-6) & (aims >= 0)).all()


def test_the_same_seed_gives_the_same_features(profiles):
    a = FeatureModel.fit_transform(profiles, as_of=DAY, random_state=3)[1]
    b = FeatureModel.fit_transform(profiles, as_of=DAY, random_state=3)[1]
    _same(a, b)


def test_a_pickled_model_transforms_exactly_like_the_original(profiles):
    model = FeatureModel.fit(profiles, random_state=0)
    again = pickle.loads(pickle.dumps(model))
    _same(model.transform(profiles[:50], as_of=DAY), again.transform(profiles[:50], as_of=DAY))


def test_the_fast_single_profile_text_path_equals_scikit_learn(profiles):
    model = FeatureModel.fit(profiles)
    batch = model.transform(profiles[:40], as_of=DAY)
    for i, p in enumerate(profiles[:40]):
        facts = model.derive(validate_profile(p), as_of=DAY)
        np.testing.assert_allclose(model.embed_one(facts.tokens), batch.text[i], atol=1e-5)


def test_fitting_on_a_sample_and_transforming_in_two_processes_is_consistent(profiles, monkeypatch):
    monkeypatch.setattr(features, "FIT_SAMPLE", 200)
    monkeypatch.setattr(features, "PARALLEL_MIN", 100)
    model, together = FeatureModel.fit_transform(profiles, as_of=DAY, n_jobs=2)
    serial = model.transform(profiles, as_of=DAY, n_jobs=1)
    _same(together, serial)
    assert model.text_dims > 0
    # the fit itself does not depend on how many processes read the sample
    alone = FeatureModel.fit(profiles, n_jobs=1)
    _same(alone.transform(profiles, as_of=DAY), serial)


def test_a_bad_profile_in_a_worker_process_is_reported_with_its_position(profiles, monkeypatch):
    monkeypatch.setattr(features, "PARALLEL_MIN", 100)
    model = FeatureModel.fit(profiles)
    broken = [*profiles[:500], {"id": "x", "seniority": 9}]
    with pytest.raises(ValueError, match=r"profiles\[500\]: seniority"):
        model.transform(broken, as_of=DAY, n_jobs=2)


def test_profiles_without_any_text_still_get_features():
    model, f = FeatureModel.fit_transform(
        [{"id": "a"}, {"id": "b", "topics": ["leadership"]}], as_of=DAY
    )
    assert f.text.shape == (2, 0)
    assert model.mentor_matrix(f).shape == (2, model.layout.width)


def test_an_unknown_industry_becomes_its_own_label():
    people: list[dict[str, object]] = [
        {"id": "a", "positions": [{"title": "Pilot", "industry": "Quantum widgets"}]},
        {"id": "b", "about": "I want to work in quantum widgets"},
    ]
    model, f = FeatureModel.fit_transform(people, as_of=DAY)
    col = model.industries.index("quantum_widgets")
    assert f.industry_experience[0, col] > 0
    assert f.industry_aims[1, col] == pytest.approx(1.0)
