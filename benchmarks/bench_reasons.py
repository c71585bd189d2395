"""Reasons at batch scale: 20,000 mentees x 5,000 mentors, top-10 (200,000 proposals).

Prints, as ``python -m matching propose`` runs them: the time of scoring (the exact top-k
pass), of the component values of the 200,000 chosen pairs, of the reasons' per-profile arrays
(``BatchReasons``, built once per cohort like the scoring's own features, so it scales with
profiles, not pairs) and of writing the pairs' reasons with them (shares on arrays, words
written once per distinct key; ``--jobs 2``, propose's default, splits the pairs over two
forked processes sharing the arrays); then the ratios writing / scoring (target < 1) and
(arrays + writing) / scoring. For comparison it also times the per-pair ``pair_reasons`` path
that ``propose`` used before, on a sample of pairs, extrapolated to all of them.

Run: .venv/bin/python -m benchmarks.bench_reasons [--mentees 20000] [--mentors 5000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from benchmarks.common import machine_line, peak_rss_mb
from matching.batch_reasons import batch_reasons
from matching.engine import _cohort_topk, _named, _pair_components, _prepare
from matching.reasons import pair_reasons
from matching.scoring import COMPONENTS
from matching.synthetic import synthetic_cohort

K = 10
AS_OF = "2026-01-01"
SAMPLE = 5_000  # pairs timed on the per-pair path


def former_path_seconds(c, e_rows, m_rows, comps) -> float:
    """Estimated seconds of the former path over all pairs: each mentee and each proposed
    mentor derived once more, then ``pair_reasons`` per pair (both timed on samples)."""
    rng = np.random.default_rng(0)
    pick = rng.choice(len(e_rows), min(SAMPLE, len(e_rows)), replace=False)
    weights = dict(zip(COMPONENTS, c.weights, strict=True))
    facts_e = {i: c.model.derive(c.mentees[i], as_of=c.as_of) for i in set(e_rows[pick].tolist())}
    facts_m = {j: c.model.derive(c.mentors[j], as_of=c.as_of) for j in set(m_rows[pick].tolist())}
    start = time.perf_counter()
    for i in pick.tolist():
        e, j = int(e_rows[i]), int(m_rows[i])
        pair_reasons(
            mentee=c.mentees[e],
            mentee_facts=facts_e[e],
            mentor=c.mentors[j],
            mentor_facts=facts_m[j],
            components=_named(comps[i]),
            weights=weights,
        )
    per_pair = (time.perf_counter() - start) / len(pick)
    sample = list(facts_e)[:1000]
    start = time.perf_counter()
    for i in sample:
        c.model.derive(c.mentees[i], as_of=c.as_of)
    per_profile = (time.perf_counter() - start) / len(sample)
    derived = len(np.unique(e_rows)) + len(np.unique(m_rows))
    return per_pair * len(e_rows) + per_profile * derived


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mentees", type=int, default=20_000)
    parser.add_argument("--mentors", type=int, default=5_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2, help="processes writing reasons")
    parser.add_argument("--no-per-pair", action="store_true", help="skip the former path")
    args = parser.parse_args()
    print(machine_line())
    cohort = synthetic_cohort(n_mentors=args.mentors, n_mentees=args.mentees, random_state=0)
    start = time.perf_counter()
    c = _prepare(
        cohort.mentors,
        cohort.mentees,
        weights=None,
        as_of=AS_OF,
        seniority_band=(1, 3),
        random_state=0,
        n_jobs=2,
    )
    print(
        f"{args.mentees:,} mentees x {args.mentors:,} mentors, top-{K}; featurising (not "
        f"compared below): {time.perf_counter() - start:.2f} s"
    )
    everyone = np.arange(len(c.mentees), dtype=np.int64)
    scoring, values, arrays, reasons, ratios, totals = [], [], [], [], [], []
    for _ in range(args.repeats):
        # scoring and reasons alternate, so each ratio compares runs made under the same load
        start = time.perf_counter()
        idx, _ = _cohort_topk(c, everyone, k=K)
        scoring.append(time.perf_counter() - start)
        e_rows, slot = np.nonzero(idx >= 0)
        m_rows = idx[e_rows, slot]
        start = time.perf_counter()
        comps = _pair_components(c, e_rows, m_rows)
        values.append(time.perf_counter() - start)
        c.reasons = None  # built again each time, as each propose does once
        start = time.perf_counter()
        writer = c.writer()
        arrays.append(time.perf_counter() - start)
        start = time.perf_counter()
        texts = batch_reasons(
            mentees=c.mentees,
            mentee_facts=c.mentee_features.facts,
            mentors=c.mentors,
            mentor_facts=c.mentor_features.facts,
            mentee_rows=e_rows,
            mentor_rows=m_rows,
            components=comps,
            weights=c.weights,
            n_jobs=args.jobs,
            writer=writer,
        )
        reasons.append(time.perf_counter() - start)
        ratios.append(reasons[-1] / scoring[-1])
        totals.append((arrays[-1] + reasons[-1]) / scoring[-1])
    assert len(texts) == len(e_rows)
    print(
        f"scoring (exact top-{K}, two threads): best {min(scoring):.2f} s, "
        f"median {statistics.median(scoring):.2f} s"
    )
    print(
        f"component values of the {len(e_rows):,} proposals: best {min(values):.2f} s, "
        f"median {statistics.median(values):.2f} s"
    )
    print(
        f"reasons' per-profile arrays ({args.mentees + args.mentors:,} profiles, once per "
        f"cohort): best {min(arrays):.2f} s, median {statistics.median(arrays):.2f} s"
    )
    print(
        f"reasons of the {len(e_rows):,} proposals ({args.jobs} processes): "
        f"best {min(reasons):.2f} s, median {statistics.median(reasons):.2f} s"
    )
    median = statistics.median(ratios)
    print(
        f"ratio reasons / scoring: best {min(ratios):.2f}, median {median:.2f} "
        f"(target < 1: {'meets' if median < 1 else 'MISSES'}); with the per-profile arrays: "
        f"median {statistics.median(totals):.2f}"
    )
    if not args.no_per_pair:
        total = former_path_seconds(c, e_rows, m_rows, comps)
        print(
            f"former path (derive again + pair_reasons per pair, timed on {SAMPLE:,} pairs): "
            f"about {total:.1f} s for all, {total / statistics.median(scoring):.1f}x scoring"
        )
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
