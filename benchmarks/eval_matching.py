"""Synthetic evaluation: recall@10 and nDCG@10 of the engine against a plain TF-IDF baseline.

Cohorts come from ``matching.synthetic`` (mentees growing inside a niche; the right mentors hold
that niche among distractors sharing part of it). The baseline ranks mentors by the cosine of
TF-IDF vectors of the whole concatenated profile text, under the same hard rules.

With ``--grid`` it also scores a coarse grid of weights (each >= 0.05) and prints the best ones:
that is how DEFAULT_WEIGHTS were chosen.

Run: .venv/bin/python -m benchmarks.eval_matching [--grid] [--seeds 3]
"""

from __future__ import annotations

import argparse
import itertools
import time
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from benchmarks.common import machine_line
from matching.engine import _cohort_topk, _prepare
from matching.scoring import COMPONENTS, DEFAULT_WEIGHTS
from matching.synthetic import SyntheticCohort, synthetic_cohort

K = 10
AS_OF = "2026-01-01"


def profile_text(p: dict[str, Any]) -> str:
    parts: list[str] = []
    for pos in p.get("positions", []):
        parts.extend(
            str(pos.get(k) or "") for k in ("title", "organisation", "industry", "summary")
        )
    parts.extend(p.get("skills", []))
    parts.extend(p.get("certifications", []))
    parts.extend(str(t).replace("_", " ") for t in p.get("topics", []))
    parts.append(str(p.get("about", "")))
    return " ".join(parts)


def metrics(top: np.ndarray, relevance: np.ndarray) -> tuple[float, float]:
    """Mean recall@K and nDCG@K over mentees with at least one relevant mentor."""
    recalls, ndcgs = [], []
    discounts = 1.0 / np.log2(np.arange(2, K + 2))
    for i in range(top.shape[0]):
        rel = relevance[i]
        n_rel = int((rel > 0).sum())
        if n_rel == 0:
            continue
        picked = top[i][top[i] >= 0]
        gains = rel[picked].astype(np.float64)
        recalls.append(float((gains > 0).sum()) / min(K, n_rel))
        dcg = float(((2.0**gains - 1.0) * discounts[: len(gains)]).sum())
        ideal = np.sort(rel)[::-1][:K].astype(np.float64)
        idcg = float(((2.0**ideal - 1.0) * discounts[: len(ideal)]).sum())
        ndcgs.append(dcg / idcg)
    return float(np.mean(recalls)), float(np.mean(ndcgs))


def baseline_top(cohort: SyntheticCohort, eligible: np.ndarray) -> np.ndarray:
    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    x = vec.fit_transform([profile_text(p) for p in cohort.mentors + cohort.mentees])
    n_m = len(cohort.mentors)
    sims = (x[n_m:] @ x[:n_m].T).toarray()
    sims[~eligible] = -np.inf
    return np.argsort(-sims, axis=1, kind="stable")[:, :K]


def evaluate(
    seed: int, n_mentors: int, n_mentees: int, grid: list[dict[str, float]]
) -> dict[str, tuple[float, float]]:
    cohort = synthetic_cohort(
        n_mentors=n_mentors, n_mentees=n_mentees, random_state=seed, as_of=AS_OF
    )
    relevance = cohort.relevance()
    c = _prepare(
        cohort.mentors,
        cohort.mentees,
        weights=None,
        as_of=AS_OF,
        seniority_band=(1, 3),
        random_state=seed,
    )
    rows = np.arange(n_mentees, dtype=np.int64)
    eligible = np.stack([c.rules.eligible(c.mentee_features.languages[i]) for i in rows])
    # Only mentors the hard rules allow can be found: the answer is restricted to them.
    relevance = np.where(eligible, relevance, 0)
    results = {"tfidf baseline": metrics(baseline_top(cohort, eligible), relevance)}
    for weights in grid:
        w = np.array([weights[k] for k in COMPONENTS])
        w = w / w.sum()
        c.weights = w
        c.query = c.model.query(c.u, c.const, w)
        idx, _ = _cohort_topk(c, rows, k=K)
        results[_name(weights)] = metrics(idx, relevance)
    return results


def _name(weights: dict[str, float]) -> str:
    return " ".join(f"{k[:5]}={weights[k]:.2f}" for k in COMPONENTS)


def weight_grid() -> list[dict[str, float]]:
    """A coarse grid, then a finer one around its best corner; every weight >= 0.05."""
    coarse = itertools.product(
        (0.1, 0.25, 0.4),
        (0.2, 0.35, 0.5),
        (0.05, 0.15),
        (0.05, 0.15, 0.25),
        (0.05, 0.1),
        (0.05, 0.1),
    )
    fine = itertools.product(
        (0.05, 0.1, 0.15), (0.45, 0.55, 0.65), (0.05,), (0.1, 0.15, 0.2), (0.05, 0.1), (0.05, 0.1)
    )
    seen = set()
    out = []
    for combo in itertools.chain(coarse, fine):
        if combo not in seen:
            seen.add(combo)
            out.append(dict(zip(COMPONENTS, combo, strict=True)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grid", action="store_true", help="also search a grid of weights")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--mentors", type=int, default=3000)
    parser.add_argument("--mentees", type=int, default=600)
    args = parser.parse_args()
    print(machine_line())
    defaults = dict(DEFAULT_WEIGHTS)
    equal = dict.fromkeys(COMPONENTS, 1.0)
    career_only = {k: (1.0 if k == "career_relevance" else 0.0) for k in COMPONENTS}
    topic_only = {k: (1.0 if k == "topic_fit" else 0.0) for k in COMPONENTS}
    grid = [defaults, equal, career_only, topic_only]
    if args.grid:
        grid += weight_grid()
    start = time.perf_counter()
    totals: dict[str, list[tuple[float, float]]] = {}
    for seed in range(args.seeds):
        for name, figures in evaluate(seed, args.mentors, args.mentees, grid).items():
            totals.setdefault(name, []).append(figures)
    mean = {name: tuple(np.mean(v, axis=0)) for name, v in totals.items()}
    print(
        f"{args.seeds} synthetic cohorts of {args.mentors} mentors x {args.mentees} mentees, "
        f"{time.perf_counter() - start:.1f} s"
    )
    labels = {
        "tfidf baseline": "TF-IDF cosine baseline",
        _name(defaults): "engine, DEFAULT_WEIGHTS",
        _name(equal): "engine, equal weights",
        _name(career_only): "engine, career relevance only",
        _name(topic_only): "engine, topic fit only",
    }
    print(f"{'ranking':<34} recall@10  nDCG@10")
    for name, label in labels.items():
        r, n = mean[name]
        print(f"{label:<34} {r:9.3f} {n:8.3f}")
    if args.grid:
        best = sorted(((v[1], v[0], k) for k, v in mean.items() if k not in labels), reverse=True)
        print("best weights on the grid (by nDCG@10):")
        for ndcg, recall, name in best[:8]:
            print(f"  {name}  recall@10 {recall:.3f}  nDCG@10 {ndcg:.3f}")


if __name__ == "__main__":
    main()
