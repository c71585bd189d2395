"""Load test of the API with `hey` against gunicorn on PostgreSQL (issue 8, "Done when").

Loads the programme of bench_platform (10,000 mentors, 3,000 mentees, bulk inserts) plus 1,500
active mentorships with two sessions each, serves it with gunicorn (gunicorn.conf.py, DEBUG off,
2 workers, loopback) and runs `hey` on the same machine:

1. a 20-row list, the coordinator's `GET /api/v1/mentorships/?page_size=20`, at a fixed 100
   requests per second for 20 s (hey's rate is per connection: `-c 20 -q 5`): p99, errors and
   the rate achieved (successful answers per second).
   Target: p99 <= 150 ms, 0 errors, and the rate held.
2. a single-object read, `GET /api/v1/me/profile/`, as fast as it goes with 2, 4, 8 and 16
   connections: the best requests per second. Target: >= 350 rps.

Needs `hey` (Debian: `apt-get install -y hey`).

Run: .venv/bin/python -m benchmarks.bench_load [--db postgres|sqlite] [--mentors 10000
     --mentees 3000 --pairs 1500] [--rate 100 --duration 20]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import machine_line
from benchmarks.harness import (
    Client,
    Gunicorn,
    expect,
    fresh_database,
    load_programme,
    setup_django,
)

LIST = "/api/v1/mentorships/?page_size=20"
READ = "/api/v1/me/profile/"
LIST_P99_MS, READ_RPS = 150.0, 350.0


@dataclass
class HeyResult:
    sent: int
    ok: int  # 2xx answers
    non_2xx: int
    errors: int  # connection errors and timeouts: no answer at all
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        """Successful answers per second."""
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def failed(self) -> int:
        return self.non_2xx + self.errors


def _hey(url: str, token: str, options: list[str]) -> str:
    command = ["hey", *options, "-t", "20", "-H", f"Authorization: Token {token}"]
    command += ["-H", "Accept: application/json", url]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def hey_for(
    url: str, token: str, *, seconds: int, connections: int, rate: int | None = None
) -> HeyResult:
    """Calls from `connections` connections for `seconds` (at `rate` per connection, or as fast as
    they go), from hey's text summary. hey 0.1.4 gives a percentile only once it has 100
    answers; below that the p99 is the slowest answer."""
    options = ["-z", f"{seconds}s", "-c", str(connections)]
    if rate is not None:
        options += ["-q", str(rate)]
    text = _hey(url, token, options)

    def secs(pattern: str) -> float:
        found = re.search(pattern, text)
        return float(found.group(1)) * 1e3 if found else math.nan

    total = re.search(r"Total:\s+([\d.]+) secs", text)
    statuses = {code: int(n) for code, n in re.findall(r"\[(\d{3})\]\s+(\d+) responses", text)}
    errors = 0
    if "Error distribution:" in text:
        block = text.split("Error distribution:", 1)[1]
        errors = sum(int(n) for n in re.findall(r"^\s*\[(\d+)\]", block, flags=re.M))
    ok = sum(n for code, n in statuses.items() if code.startswith("2"))
    answered = sum(statuses.values())
    p99 = secs(r"99% in ([\d.]+) secs") if answered >= 100 else secs(r"Slowest:\s+([\d.]+) secs")
    return HeyResult(
        sent=answered + errors,
        ok=ok,
        non_2xx=answered - ok,
        errors=errors,
        seconds=float(total.group(1)) if total else float(seconds),
        p50_ms=secs(r"50% in ([\d.]+) secs"),
        p99_ms=p99,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--mentors", type=int, default=10_000)
    parser.add_argument("--mentees", type=int, default=3_000)
    parser.add_argument("--pairs", type=int, default=1_500, help="active mentorships")
    parser.add_argument("--rate", type=int, default=100, help="requests per second, list test")
    parser.add_argument("--duration", type=int, default=20, help="seconds of the list test")
    parser.add_argument("--saturation", type=int, default=10, help="seconds per saturation step")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    if shutil.which("hey") is None:
        print(
            "hey is not installed: `apt-get install -y hey` (Debian/Ubuntu) or "
            "`go install github.com/rakyll/hey@latest`, then run again.",
            file=sys.stderr,
        )
        raise SystemExit(2)
    print(machine_line(), flush=True)
    with fresh_database(args.db) as db:
        env = db.env()
        setup_django(env)  # one database per run, so this process can be its Django
        from django.conf import settings

        loaded = load_programme(n_mentors=args.mentors, n_mentees=args.mentees, pairs=args.pairs)
        print(
            f"[{args.db}] loaded {args.mentors:,} mentors, {args.mentees:,} mentees, "
            f"{len(loaded.pairs):,} mentorships in {loaded.seconds:.1f} s; CONN_MAX_AGE "
            f"{settings.DATABASES['default'].get('CONN_MAX_AGE')}",
            flush=True,
        )
        coordinator = loaded.tokens[loaded.coordinator]
        reader = loaded.tokens[loaded.mentees[-1]]
        with Gunicorn(env, log_dir=db.var_dir, workers=2, access_log=False) as server:
            client = Client(server.port)
            rows = expect(client.call("GET", LIST, token=coordinator), 200, what="list").body
            print(f"list: {len(rows['results'])} rows of {rows.get('count')}", flush=True)
            for _ in range(20):  # every worker past its first requests
                expect(client.call("GET", READ, token=reader), 200, what="read")
                expect(client.call("GET", LIST, token=coordinator), 200, what="list")
            load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
            base = f"http://127.0.0.1:{server.port}"
            connections = 20
            listed = hey_for(
                base + LIST,
                coordinator,
                seconds=args.duration,
                connections=connections,
                rate=max(1, args.rate // connections),
            )
            steps = {
                c: hey_for(base + READ, reader, seconds=args.saturation, connections=c)
                for c in (2, 4, 8, 16)
            }
        log = server.error_log.read_text() if server.error_log.exists() else ""
        restarts = log.count("Booting worker") - 2
    best_c, best = max(steps.items(), key=lambda item: item[1].rps)
    achieved = listed.rps
    list_ok = listed.p99_ms <= LIST_P99_MS and listed.failed == 0 and achieved >= 0.95 * args.rate
    print()
    print(
        f"Load test on {args.db}: gunicorn, DEBUG off, 2 workers, hey on the same machine "
        f"(load average before: {load_before})"
    )
    print(
        f"20-row list at {args.rate} rps for {args.duration} s ({LIST}): {listed.sent} sent, "
        f"{achieved:.1f} rps over {listed.seconds:.1f} s, median {listed.p50_ms:.1f} ms, "
        f"p99 {listed.p99_ms:.1f} ms, {listed.errors} errors, {listed.non_2xx} non-2xx "
        f"(target p99 <= {LIST_P99_MS:.0f} ms, 0 errors, rate held): "
        f"{'PASS' if list_ok else 'FAIL'}"
    )
    for c, step in steps.items():
        print(
            f"  read with {c:>2} connections: {step.rps:7.1f} rps, median {step.p50_ms:.1f} ms, "
            f"p99 {step.p99_ms:.1f} ms, {step.failed} failed of {step.sent}"
        )
    print(f"  workers recycled during the test (gunicorn max_requests): {restarts}")
    read_ok = best.rps >= READ_RPS and best.failed == 0
    print(
        f"single-object read ({READ}) saturates at {best.rps:.1f} rps ({best_c} connections; "
        f"target >= {READ_RPS:.0f}): {'PASS' if read_ok else 'FAIL'}"
    )
    if args.json:
        figures = {
            "db": args.db,
            "list": listed.__dict__,
            "list_achieved_rps": achieved,
            "read_steps": {c: {**s.__dict__, "rps": s.rps} for c, s in steps.items()},
            "read_best_rps": best.rps,
            "worker_restarts": restarts,
            "list_pass": list_ok,
            "read_pass": read_ok,
        }
        Path(args.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
