"""The platform path of a match request, measured over HTTP (issue 8, "Done when").

For each database (SQLite, then PostgreSQL) in one run: load a programme of 10,000 mentors and
3,000 mentees with bulk inserts, serve it with gunicorn (the project's gunicorn.conf.py, DEBUG off,
2 workers, loopback) and measure, through the API with one token per person:

- the median single-object authenticated read (`GET /api/v1/me/profile/`): the base of every ratio,
  sampled before, between and after the measured requests (the machine's drift over a run then
  weighs on both sides of each ratio);
- the first match request of each worker (cold), then warm match requests by different mentees
  (`POST /api/v1/match-requests/`), median and p99;
- the match request right after a mentor accepts someone (request + accept over the API);
- the match request right after a mentor edits their matching profile (`PATCH /me/profile/`);
- the coordinator's cohort matching run (`POST …/matching-runs/`), five times one after the
  other (each discarded once done, but the last): the median time to its answer, and to the
  moment GET shows it `draft`; beside it `python -m matching assign` on the same profiles
  (exported from the database as CLI profile lines; the baseline is the CLI's own code run in
  the benchmark's process, modules already imported as in a worker, timed before the run and
  after it and averaged; the wall time of `python -m matching assign` with interpreter start-up
  is printed beside it) plus a bulk write of the same draft rows (run, proposals with the run's
  components and reasons, audit); the run's own start-to-finish time on the server is printed
  too;
- queries per request for the read and the match request (the same calls in-process through
  Django's test client, counted with CaptureQueriesContext, as DEBUG is off in gunicorn).

Targets, as ratios to that run's read: warm median <= 3x, p99 <= 6x; after an accept <= 3x; after
a profile edit <= 10x; the run's 202 <= 3x; the run done within 1.5x of assign + bulk write.

Run: .venv/bin/python -m benchmarks.bench_platform [--db sqlite|postgres|both]
     [--mentors 10000 --mentees 3000] [--warm 200] [--json results.json]
Quick: .venv/bin/python -m benchmarks.bench_platform --mentors 1000 --mentees 400 --warm 50
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.common import machine_line
from benchmarks.harness import (
    REPO,
    Client,
    Gunicorn,
    Loaded,
    Reply,
    expect,
    fresh_database,
    load_programme,
    median,
    percentile,
    setup_django,
)

READ = "/api/v1/me/profile/"
MATCH = "/api/v1/match-requests/"
RUN_TIMEOUT_S = 600

# (key, label, target ratio to the read or None, what the ratio is taken against)
ROWS: tuple[tuple[str, str, float | None], ...] = (
    ("read_ms", "single-object read (GET /me/profile/), median", None),
    ("cold_ms", "first match request of each worker (cold)", None),
    ("warm_median_ms", "warm match request, median", 3.0),
    ("warm_p99_ms", "warm match request, p99", 6.0),
    ("after_accept_ms", "match request right after an accept, median", 3.0),
    ("after_edit_ms", "match request right after a profile edit, median", 10.0),
    ("run_answer_ms", "matching run: POST answered, median", 3.0),
    ("run_done_ms", "matching run: draft ready (poll GET), median", None),
)


# --- one leg: one database, in its own process ---------------------------------------------------


class Mentees:
    """Mentees who have not asked before, in order; each asks at most once unless the cohort runs
    out (then they ask again: a mentee may ask for new suggestions at any time)."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids
        self.used = 0
        self.matched: set[int] = set()

    def __iter__(self) -> Iterator[int]:
        return self

    def __next__(self) -> int:
        for _ in range(len(self.ids)):
            mentee = self.ids[self.used % len(self.ids)]
            self.used += 1
            if mentee not in self.matched:
                return mentee
        raise RuntimeError("every mentee has a mentor")


def _match(client: Client, loaded: Loaded, mentee: int, tag: str = "") -> Reply:
    path = f"{MATCH}?{tag}" if tag else MATCH
    reply = client.call("POST", path, token=loaded.tokens[mentee], body={"programme": loaded.slug})
    return expect(reply, 201, what=f"match request by user {mentee}")


def _cold(server: Gunicorn, client: Client, loaded: Loaded, mentees: Mentees) -> dict[str, Any]:
    """Reads until both workers have answered one (Django loaded in each), then match requests
    until both have answered one: the first of each worker is its cold match request."""
    seen: set[int] = set()
    for n in range(60):
        tag = f"bench-read-{n}"
        expect(
            client.call("GET", f"{READ}?{tag}", token=loaded.tokens[loaded.mentees[0]]),
            200,
            what="warm-up read",
        )
        pid = server.worker_of(tag)
        if pid is not None:
            seen.add(pid)
        if len(seen) >= 2:
            break
    cold: dict[int, float] = {}
    for n in range(60):
        tag = f"bench-cold-{n}"
        reply = _match(client, loaded, next(mentees), tag)
        pid = server.worker_of(tag)
        if pid is not None and pid not in cold:
            cold[pid] = reply.ms
        if len(cold) >= 2:
            break
    return {"cold_each_ms": sorted(cold.values()), "cold_ms": max(cold.values(), default=math.nan)}


def _reads(client: Client, loaded: Loaded, n: int, *, start: int = 0) -> list[float]:
    times = []
    for k in range(start, start + n):
        user = loaded.mentees[k % min(20, len(loaded.mentees))]
        times.append(
            expect(client.call("GET", READ, token=loaded.tokens[user]), 200, what="read").ms
        )
    return times


def _accept_someone(client: Client, loaded: Loaded, mentees: Mentees) -> None:
    """A mentee asks, sends their best suggestion to that mentor, and the mentor accepts."""
    for _ in range(20):
        mentee = next(mentees)
        proposals = _match(client, loaded, mentee).body["proposals"]
        for proposal in proposals:
            sent = client.call(
                "POST",
                f"/api/v1/proposals/{proposal['id']}/request/",
                token=loaded.tokens[mentee],
                body={"message": "Would you mentor me?"},
            )
            if sent.status != 200:
                continue
            accepted = client.call(
                "POST",
                f"/api/v1/proposals/{proposal['id']}/accept/",
                token=loaded.tokens[proposal["mentor"]["id"]],
                body={},
            )
            expect(accepted, 200, 201, what="accept")
            mentees.matched.add(mentee)
            return
    raise RuntimeError("no mentee could send a request to accept")


def _edit_profile(client: Client, loaded: Loaded, mentor: int, n: int) -> None:
    token = loaded.tokens[mentor]
    profile = expect(client.call("GET", READ, token=token), 200, what="mentor profile").body
    about = f"{profile['about']} Lately also coaching new PMO leads ({n})."
    expect(client.call("PATCH", READ, token=token, body={"about": about}), 200, what="profile edit")


def _matching_runs(client: Client, loaded: Loaded, runs: int) -> dict[str, Any]:
    """`runs` cohort runs one after the other, each discarded once done but the last (its draft
    is the baseline's); the medians of their answers and of their times to the draft."""
    token = loaded.tokens[loaded.coordinator]
    base = f"/api/v1/programmes/{loaded.slug}/matching-runs/"
    answers, done, server = [], [], []
    run: dict[str, Any] = {}
    for n in range(runs):
        if n:  # the one before: one run waiting for review per programme
            discarded = client.call("POST", f"{base}{run['id']}/discard/", token=token)
            expect(discarded, 200, what="discard the run")
        start = time.perf_counter()
        posted = expect(
            client.call("POST", base, token=token, body={"mode": "optimal"}),
            200,
            201,
            202,
            what="matching run",
        )
        answers.append(posted)
        run = posted.body
        while run.get("status") not in ("draft", "failed"):
            if time.perf_counter() - start > RUN_TIMEOUT_S:
                raise RuntimeError(f"matching run not done after {RUN_TIMEOUT_S} s: {run}")
            time.sleep(0.1)
            run = expect(
                client.call("GET", f"{base}{run['id']}/", token=token), 200, what="poll run"
            ).body
        done.append((time.perf_counter() - start) * 1e3)
        if run.get("started_at") and run.get("finished_at"):
            from datetime import datetime

            server.append(
                (
                    datetime.fromisoformat(run["finished_at"])
                    - datetime.fromisoformat(run["started_at"])
                ).total_seconds()
                * 1e3
            )
    summary = run.get("summary") or {}
    return {
        "run_status_code": max(reply.status for reply in answers),  # any not 202 shows
        "run_answer_ms": median([reply.ms for reply in answers]),
        "run_answer_all_ms": [reply.ms for reply in answers],
        "run_answer_state": answers[-1].body.get("status"),
        "run_done_ms": median(done),
        "run_done_all_ms": done,
        "run_server_ms": median(server) if server else 0.0,
        "run_final_state": run.get("status"),
        "run_matched": summary.get("matched"),
        "run_mentees": summary.get("mentees"),
        "run_id": run["id"],
        "runs_n": runs,
    }


def _profile_lines(loaded: Loaded) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Mentors with free places and mentees without a mentor or a pending request, as CLI
    profile lines (DESIGN.md "CLI"), read from the database: what a cohort run works on."""
    from django.db.models import Count

    from mentorship.models import (
        SEAT_HOLDING_STATUSES,
        Mentorship,
        Profile,
        Proposal,
        ProposalStatus,
    )

    def line(profile: Any, topics: list[str]) -> dict[str, Any]:
        personality = getattr(profile, "personality", None)
        return {
            "id": f"u{profile.user_id}",
            "positions": [
                {
                    "title": p.title,
                    "organisation": p.organisation,
                    "industry": p.industry,
                    "start": p.start.strftime("%Y-%m"),
                    "end": p.end.strftime("%Y-%m") if p.end else None,
                    "summary": p.summary,
                }
                for p in profile.positions.all()
            ],
            "skills": profile.skills,
            "certifications": profile.certifications,
            "seniority": profile.seniority,
            "topics": topics,
            "about": " ".join(x for x in (profile.headline, profile.about) if x),
            "personality": personality.big_five() if personality else None,
            "languages": profile.languages,
            "timezone": profile.timezone,
            "formats": profile.formats,
        }

    seats = dict(
        Mentorship.objects.filter(status__in=SEAT_HOLDING_STATUSES)
        .values("mentor_id")
        .annotate(n=Count("id"))
        .values_list("mentor_id", "n")
    )
    busy = set(
        Mentorship.objects.filter(status__in=SEAT_HOLDING_STATUSES).values_list(
            "mentee_id", flat=True
        )
    ) | set(
        Proposal.objects.filter(status=ProposalStatus.REQUESTED).values_list("mentee_id", flat=True)
    )
    blocked: dict[int, set[str]] = {}
    for mentee_id, mentor_id in Proposal.objects.filter(
        status__in=(ProposalStatus.DECLINED, ProposalStatus.DISMISSED)
    ).values_list("mentee_id", "mentor_id"):
        blocked.setdefault(mentee_id, set()).add(f"u{mentor_id}")
    profiles = Profile.objects.select_related("personality").prefetch_related("positions")
    mentors = []
    for profile in profiles.filter(user_id__in=loaded.mentors).order_by("user_id"):
        free = profile.capacity - seats.get(profile.user_id, 0)
        if profile.accepting_mentees and free > 0:
            mentors.append({**line(profile, profile.topics_offered), "capacity": free})
    mentee_ids = [m for m in loaded.mentees if m not in busy]
    mentees = [
        {**line(p, p.topics_wanted), "exclude": sorted(blocked.get(p.user_id, ()))}
        for p in profiles.filter(user_id__in=mentee_ids).order_by("user_id")
    ]
    return mentors, mentees


def _export_profiles(loaded: Loaded, work: Path) -> dict[str, Any]:
    """The run's profiles as CLI profile lines in `work`, and the `assign` arguments on them."""
    from django.utils import timezone

    start = time.perf_counter()
    mentors, mentees = _profile_lines(loaded)
    export_s = time.perf_counter() - start
    for name, rows in (("mentors", mentors), ("mentees", mentees)):
        (work / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    argv = [
        "assign",
        "--mentors",
        str(work / "mentors.jsonl"),
        "--mentees",
        str(work / "mentees.jsonl"),
        "--mode",
        "optimal",
        "--as-of",
        timezone.localdate().isoformat(),
    ]
    return {
        "argv": argv,
        "export_ms": export_s * 1e3,
        "assign_mentors": len(mentors),
        "assign_mentees": len(mentees),
    }


def _assign_in_process(argv: list[str]) -> tuple[float, list[dict[str, Any]]]:
    """The CLI's code in this process, modules already imported as in a worker (reading the
    files, computing, writing the lines): seconds, and the assignments."""
    from matching.cli import main as matching_cli

    out = io.StringIO()
    start = time.perf_counter()
    if matching_cli(argv, stdout=out) != 0:
        raise RuntimeError("python -m matching assign failed")
    seconds = time.perf_counter() - start
    return seconds, [json.loads(x) for x in out.getvalue().splitlines() if x.strip()]


def _assign_baseline(
    loaded: Loaded, run_id: int | None, exported: dict[str, Any], before_s: float
) -> dict[str, Any]:
    """`python -m matching assign` on the run's profiles (`exported`), then the run's rows
    written in bulk. The in-process assign is timed before the run (`before_s`) and again
    after it; the baseline takes their mean, so the machine's drift over the run weighs on
    both sides of the ratio."""
    from django.db import transaction

    from mentorship.models import (
        AuditEvent,
        MatchingRun,
        MatchingRunStatus,
        Programme,
        Proposal,
        ProposalStatus,
    )

    argv = exported["argv"]
    # The CLI as a user runs it (interpreter start-up and imports included) ...
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "matching", *argv],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    cli_s = time.perf_counter() - start
    # ... and in this process, the baseline of the target.
    after_s, assigned = _assign_in_process(argv)
    assign_s = (before_s + after_s) / 2
    matched = [a for a in assigned if a["mentor"] is not None]
    # The rows a draft carries: reuse the components and reasons the run wrote for the same
    # mentee (the CLI's assign output has only the score), so the write is the same size.
    explained = {
        mentee: (components, reasons)
        for mentee, components, reasons in Proposal.objects.filter(
            matching_run_id=run_id
        ).values_list("mentee_id", "components", "reasons")
    }
    coordinator = loaded.coordinator
    start = time.perf_counter()
    with transaction.atomic():
        run = MatchingRun.objects.create(
            programme=Programme.objects.get(slug=loaded.slug),
            mode="optimal",
            status=MatchingRunStatus.DISCARDED,
            created_by_id=coordinator,
            summary={"mentees": len(assigned), "matched": len(matched)},
        )
        proposals = Proposal.objects.bulk_create(
            [
                Proposal(
                    programme_id=run.programme_id,
                    mentee_id=int(a["mentee"][1:]),
                    mentor_id=int(a["mentor"][1:]),
                    matching_run=run,
                    rank=1,
                    score=min(max(a["score"], 0.0), 1.0),
                    components=explained.get(int(a["mentee"][1:]), ({}, []))[0],
                    reasons=explained.get(int(a["mentee"][1:]), ({}, []))[1],
                    status=ProposalStatus.DRAFT,
                )
                for a in matched
            ],
            batch_size=1000,
        )
        events = [
            AuditEvent(
                actor_id=coordinator,
                programme_id=run.programme_id,
                object_type="matchingrun",
                object_id=run.pk,
                action="draft",
                to_state="draft",
            )
        ] + [
            AuditEvent(
                actor_id=coordinator,
                programme_id=run.programme_id,
                object_type="proposal",
                object_id=p.pk,
                action="draft",
                to_state="draft",
            )
            for p in proposals
        ]
        AuditEvent.objects.bulk_create(events, batch_size=1000)
    write_s = time.perf_counter() - start
    return {
        "export_ms": exported["export_ms"],
        "assign_ms": assign_s * 1e3,
        "assign_each_ms": [before_s * 1e3, after_s * 1e3],
        "assign_cli_ms": cli_s * 1e3,
        "write_ms": write_s * 1e3,
        "baseline_ms": (assign_s + write_s) * 1e3,
        "assign_mentors": exported["assign_mentors"],
        "assign_mentees": exported["assign_mentees"],
        "assign_matched": len(matched),
    }


def _query_counts(loaded: Loaded, mentees: Mentees) -> dict[str, Any]:
    """The read and the match request once more, in-process, with every query counted."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    def count(method: str, path: str, user: int, body: Any = None) -> int:
        client = DjangoClient(
            HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {loaded.tokens[user]}"
        )
        with CaptureQueriesContext(connection) as queries:
            if method == "GET":
                response = client.get(path)
            else:
                response = client.post(path, data=json.dumps(body), content_type="application/json")
        if response.status_code >= 300:
            raise RuntimeError(f"in-process {method} {path}: {response.status_code}")
        return len(queries.captured_queries)

    body = {"programme": loaded.slug}
    logging.disable(logging.INFO)  # the access log lines of these in-process calls
    try:
        return {
            "queries_read": count("GET", READ, loaded.mentees[0]),
            "queries_match_first": count("POST", MATCH, next(mentees), body),
            "queries_match": count("POST", MATCH, next(mentees), body),
        }
    finally:
        logging.disable(logging.NOTSET)


def run_leg(args: argparse.Namespace, kind: str, env: dict[str, str]) -> dict[str, Any]:
    setup_django(env)
    from django.conf import settings

    result: dict[str, Any] = {"db": kind, "loadavg_start": os.getloadavg()[0]}
    loaded = load_programme(n_mentors=args.mentors, n_mentees=args.mentees)
    result["load_s"] = loaded.seconds
    result["rows"] = loaded.rows
    result["conn_max_age"] = settings.DATABASES["default"].get("CONN_MAX_AGE")
    print(
        f"[{kind}] loaded {args.mentors:,} mentors and {args.mentees:,} mentees in "
        f"{loaded.seconds:.1f} s ({sum(loaded.rows.values()):,} rows)",
        flush=True,
    )
    mentees = Mentees(loaded.mentees)
    log_dir = Path(env["VAR_DIR"])
    work = Path(tempfile.mkdtemp(prefix="bench-assign-"))
    with Gunicorn(env, log_dir=log_dir, workers=2) as server:
        client = Client(server.port)
        result.update(_cold(server, client, loaded, mentees))
        print(f"[{kind}] cold match requests: {result['cold_each_ms']}", flush=True)
        for _ in range(3):  # both workers past their first match request
            _match(client, loaded, next(mentees))
        # The read is sampled before, between and after the measured requests, so that the
        # machine's drift over the run (this kind of machine moves by a third within minutes)
        # weighs on both sides of every ratio.
        reads = _reads(client, loaded, args.reads)
        warm = []
        for n in range(args.warm):
            warm.append(_match(client, loaded, next(mentees)).ms)
            reads += _reads(client, loaded, 1, start=n)
        reads += _reads(client, loaded, args.reads)
        result["read_ms"] = median(reads)
        result["warm_median_ms"] = median(warm)
        result["warm_p99_ms"] = percentile(warm, 99)
        result["warm_n"] = len(warm)
        print(
            f"[{kind}] read {result['read_ms']:.1f} ms; warm match request median "
            f"{result['warm_median_ms']:.1f} ms, p99 {result['warm_p99_ms']:.1f} ms",
            flush=True,
        )
        after_accept = []
        for n in range(args.accepts):
            _accept_someone(client, loaded, mentees)
            after_accept.append(_match(client, loaded, next(mentees)).ms)
            reads += _reads(client, loaded, 3, start=3 * n)
        result["after_accept_ms"] = median(after_accept)
        result["after_accept_all_ms"] = after_accept
        after_edit = []
        for n in range(args.edits):
            _edit_profile(client, loaded, loaded.mentors[(n * 7919) % len(loaded.mentors)], n)
            after_edit.append(_match(client, loaded, next(mentees)).ms)
            reads += _reads(client, loaded, 3, start=3 * n)
        result["after_edit_ms"] = median(after_edit)
        result["after_edit_all_ms"] = after_edit
        result["read_ms"] = median(reads)  # every read of the run
        result["reads_n"] = len(reads)
        print(
            f"[{kind}] after an accept: {result['after_accept_ms']:.1f} ms; after a profile "
            f"edit: {result['after_edit_ms']:.1f} ms",
            flush=True,
        )
        result.update(_query_counts(loaded, mentees))
        # The baseline's profiles are the run's (the run changes none of them): exported and
        # assigned once before the run, assigned again after it.
        exported = _export_profiles(loaded, work)
        before_s, _ = _assign_in_process(exported["argv"])
        result.update(_matching_runs(client, loaded, args.runs))
        answers = ", ".join(f"{ms:.1f}" for ms in result["run_answer_all_ms"])
        print(
            f"[{kind}] {args.runs} matching runs: HTTP {result['run_status_code']} "
            f"({result['run_answer_state']}) after {answers} ms, "
            f"{result['run_final_state']} after {result['run_done_ms']:.0f} ms (median; "
            f"started to finished on the server: {result.get('run_server_ms', 0):.0f} ms)",
            flush=True,
        )
    result.update(_assign_baseline(loaded, result.get("run_id"), exported, before_s))
    shutil.rmtree(work, ignore_errors=True)
    result["loadavg_end"] = os.getloadavg()[0]
    return result


# --- the report ----------------------------------------------------------------------------------


def _fmt_ms(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value / 1e3:.2f} s" if value >= 1000 else f"{value:.1f} ms"


def verdicts(r: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(what, figure, ratio to the read, target, PASS/FAIL) for one database's results."""
    read = r["read_ms"]
    out = []
    for key, label, target in ROWS:
        value = r.get(key)
        ratio = value / read if value is not None and read else math.nan
        verdict, target_text = "", ""
        if target is not None:
            target_text = f"<= {target:g}x"
            ok = ratio <= target
            if key == "run_answer_ms":
                target_text += ", 202"
                ok = ok and r.get("run_status_code") == 202
            verdict = "PASS" if ok else "FAIL"
        figure = _fmt_ms(value)
        if key == "cold_ms":
            figure = " / ".join(_fmt_ms(v) for v in r.get("cold_each_ms", [])) or "-"
        if key == "run_answer_ms":
            figure += f" (HTTP {r.get('run_status_code')}, {r.get('run_answer_state')})"
        ratio_text = "" if key == "read_ms" else f"{ratio:.1f}x"
        out.append((label, figure, ratio_text, target_text, verdict))
    baseline = r.get("baseline_ms")
    if baseline:
        ratio = r["run_done_ms"] / baseline
        out.append(
            (
                "matching run done vs assign + bulk write",
                f"{_fmt_ms(r['run_done_ms'])} vs {_fmt_ms(r['assign_ms'])} + "
                f"{_fmt_ms(r['write_ms'])} (assign before/after the run: "
                f"{' / '.join(_fmt_ms(ms) for ms in r.get('assign_each_ms', []))}; CLI with "
                f"start-up: {_fmt_ms(r['assign_cli_ms'])})",
                f"{ratio:.2f}x",
                "<= 1.5x, draft",
                "PASS" if ratio <= 1.5 and r.get("run_final_state") == "draft" else "FAIL",
            )
        )
    out.append(
        (
            "queries per request: read / match request",
            f"{r['queries_read']} / {r['queries_match']} (first in-process: "
            f"{r['queries_match_first']})",
            "",
            "",
            "",
        )
    )
    return out


def print_report(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    print()
    print(
        f"Platform benchmark: {args.mentors:,} mentors, {args.mentees:,} mentees; gunicorn, "
        "DEBUG off, 2 workers, loopback"
    )
    for r in results:
        print()
        print(
            f"== {r['db']} (load {r['load_s']:.1f} s, CONN_MAX_AGE {r['conn_max_age']}; machine "
            f"load average {r['loadavg_start']:.1f} at start, {r['loadavg_end']:.1f} at end; "
            f"{r['warm_n']} warm requests; run: {r.get('run_mentees')} mentees, "
            f"{r.get('run_matched')} matched; assign CLI: {r['assign_mentees']} mentees x "
            f"{r['assign_mentors']} mentors, {r['assign_matched']} matched)"
        )
        rows = verdicts(r)
        widths = [max(len(row[i]) for row in rows) for i in range(5)]
        header = ("what", "figure", "ratio to read", "target", "")
        widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
        for row in (header, *rows):
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        fails = sum(row[4] == "FAIL" for row in rows)
        print(f"{fails} of {sum(bool(row[4]) for row in rows)} targets missed on {r['db']}")


# --- the parent: one child process per database --------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--mentors", type=int, default=10_000)
    parser.add_argument("--mentees", type=int, default=3_000)
    parser.add_argument("--warm", type=int, default=200, help="warm match requests")
    parser.add_argument("--reads", type=int, default=150, help="reads before and after them")
    parser.add_argument("--accepts", type=int, default=20)
    parser.add_argument("--edits", type=int, default=9)
    parser.add_argument(
        "--runs", type=int, default=5, help="cohort runs, each discarded but the last"
    )
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--leg", help=argparse.SUPPRESS)  # internal: run one database here
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.leg:  # the parent put this database's settings in our environment
        Path(args.result).write_text(json.dumps(run_leg(args, args.leg, dict(os.environ))))
        return

    print(machine_line(), flush=True)
    kinds = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    results = []
    for kind in kinds:
        with fresh_database(kind) as db:
            result_file = db.var_dir / "result.json"
            child = [
                sys.executable,
                "-m",
                "benchmarks.bench_platform",
                "--leg",
                kind,
                "--result",
                str(result_file),
            ]
            for name in ("mentors", "mentees", "warm", "reads", "accepts", "edits", "runs"):
                child += [f"--{name}", str(getattr(args, name))]
            started = time.perf_counter()
            done = subprocess.run(child, cwd=REPO, env={**os.environ, **db.env()})
            if done.returncode != 0:
                log = db.var_dir / "gunicorn-error.log"
                if log.exists():
                    print(f"--- tail of {log}", file=sys.stderr)
                    print("\n".join(log.read_text().splitlines()[-30:]), file=sys.stderr)
                raise SystemExit(f"the {kind} leg failed (exit {done.returncode})")
            result = json.loads(result_file.read_text())
            result["leg_s"] = time.perf_counter() - started
            print(f"[{kind}] leg took {result['leg_s']:.0f} s", flush=True)
            results.append(result)
    print_report(results, args)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
