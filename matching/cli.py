"""``python -m matching propose | assign | solve``: JSON lines in, JSON lines out.

The contract is in DESIGN.md ("CLI contract"). Every input is read and validated before anything
is written, so bad input (malformed JSON, missing or duplicate id, unknown mode, negative
capacity, a bad weights file) exits with status 2, a message on stderr naming the file and line,
and nothing on stdout. ``propose`` streams its output once the input is known to be good.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TextIO

from matching import solvers
from matching.engine import DEFAULT_CANDIDATES, assign, propose
from matching.parallel import cpu_count
from matching.profiles import parse_as_of, validate_profile
from matching.scoring import validate_weights

__all__ = ["InputError", "main"]

EXIT_BAD_INPUT = 2
_JOBS = min(2, cpu_count())  # processes for featurising large cohorts


class InputError(Exception):
    """Bad input; the message names the file and line."""


def _lines(path: str) -> Iterator[tuple[int, object]]:
    """(line number, parsed JSON) of every non-blank line of a JSON-lines file."""
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{number}: malformed JSON: {exc.msg}") from None
        except UnicodeDecodeError:
            raise InputError(f"{path}: not UTF-8 text") from None


def _object(path: str, number: int, value: object) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise InputError(f"{path}:{number}: expected a JSON object, got {type(value).__name__}")
    return value


def read_profiles(path: str) -> list[dict[str, object]]:
    """Validated, normalised profiles of a JSON-lines file (InputError naming the line)."""
    out: list[dict[str, object]] = []
    first: dict[str, int] = {}
    for number, value in _lines(path):
        try:
            profile = validate_profile(_object(path, number, value))
        except ValueError as exc:
            raise InputError(f"{path}:{number}: {exc}") from None
        pid = str(profile["id"])
        if pid in first:
            raise InputError(f"{path}:{number}: duplicate id {pid!r} (first on line {first[pid]})")
        first[pid] = number
        out.append(profile)
    return out


def read_weights(path: str | None) -> dict[str, float] | None:
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: malformed JSON: {exc.msg}") from None
    if not isinstance(value, dict):
        raise InputError(f"{path}:1: weights must be a JSON object of component: number")
    try:
        return validate_weights(value)
    except ValueError as exc:
        match = re.search(r"'([^']*)'", str(exc))
        line = _line_of(text, match.group(1)) if match else 1
        raise InputError(f"{path}:{line}: {exc}") from None


def _line_of(text: str, key: str) -> int:
    needle = json.dumps(key)
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return 1


def _id(path: str, number: int, row: Mapping[str, object], key: str) -> str:
    value = row.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
        what = "missing" if value is None else f"expected a non-empty string id, got {value!r}"
        raise InputError(f"{path}:{number}: {key}: {what}")
    return str(value).strip()


def _number(path: str, number: int, row: Mapping[str, object], key: str) -> float:
    value = row.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        what = "missing" if value is None else f"expected a finite number, got {value!r}"
        raise InputError(f"{path}:{number}: {key}: {what}")
    return float(value)


def read_edges(
    path: str,
) -> tuple[list[str], list[str], list[int], list[int], list[float], list[float] | None, list[int]]:
    """Mentee ids, mentor ids, edge endpoints, scores, mentor scores and line numbers."""
    mentee_ids: dict[str, int] = {}
    mentor_ids: dict[str, int] = {}
    mentee: list[int] = []
    mentor: list[int] = []
    score: list[float] = []
    mentor_score: list[float] = []
    has_mentor_score = False
    lines: list[int] = []
    seen: dict[tuple[int, int], int] = {}
    for number, value in _lines(path):
        row = _object(path, number, value)
        a = mentee_ids.setdefault(_id(path, number, row, "mentee"), len(mentee_ids))
        b = mentor_ids.setdefault(_id(path, number, row, "mentor"), len(mentor_ids))
        s = _number(path, number, row, "score")
        if row.get("mentor_score") is not None:
            has_mentor_score = True
            ms = _number(path, number, row, "mentor_score")
        else:
            ms = s
        if (a, b) in seen:
            raise InputError(
                f"{path}:{number}: duplicate edge {row['mentee']!r} - {row['mentor']!r} "
                f"(first on line {seen[(a, b)]})"
            )
        seen[(a, b)] = number
        mentee.append(a)
        mentor.append(b)
        score.append(s)
        mentor_score.append(ms)
        lines.append(number)
    return (
        list(mentee_ids),
        list(mentor_ids),
        mentee,
        mentor,
        score,
        mentor_score if has_mentor_score else None,
        lines,
    )


def read_capacities(path: str) -> dict[str, int]:
    out: dict[str, int] = {}
    first: dict[str, int] = {}
    for number, value in _lines(path):
        row = _object(path, number, value)
        mid = _id(path, number, row, "mentor")
        raw = row.get("capacity", 1)
        if (
            isinstance(raw, bool)
            or not isinstance(raw, int | float)
            or (isinstance(raw, float) and not raw.is_integer())
        ):
            raise InputError(f"{path}:{number}: capacity: expected an integer, got {raw!r}")
        if raw < 0:
            raise InputError(f"{path}:{number}: capacity: must be >= 0, got {raw!r}")
        if mid in first:
            raise InputError(
                f"{path}:{number}: duplicate mentor {mid!r} (first on line {first[mid]})"
            )
        first[mid] = number
        out[mid] = int(raw)
    return out


def _write(out: TextIO, rows: Iterable[Mapping[str, object]]) -> None:
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False))
        out.write("\n")


def _today() -> str:
    return dt.datetime.now(tz=dt.UTC).astimezone().date().isoformat()


def _as_of(value: str) -> str:
    try:
        return parse_as_of(value).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _top(value: str) -> int:
    try:
        top = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {value!r}") from None
    if top < 0:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {value!r}")
    return top


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m matching", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("propose", help="top proposals per mentee, with components and reasons")
    p.add_argument("--mentors", required=True, help="mentor profiles, JSON lines")
    p.add_argument("--mentees", required=True, help="mentee profiles, JSON lines")
    p.add_argument("--top", type=_top, default=10, help="proposals per mentee (default 10)")
    p.add_argument("--weights", help="JSON object of component weights (partial allowed)")
    p.add_argument("--as-of", type=_as_of, default=None, help="YYYY-MM-DD (default today)")
    a = sub.add_parser("assign", help="assign the whole cohort under mentor capacity")
    a.add_argument("--mentors", required=True)
    a.add_argument("--mentees", required=True)
    a.add_argument("--mode", choices=solvers.MODES, default="optimal")
    a.add_argument("--objective", choices=solvers.OBJECTIVES, default="participation")
    a.add_argument("--weights")
    a.add_argument(
        "--candidates",
        type=_top,
        default=DEFAULT_CANDIDATES,
        help=f"candidate mentors per mentee (default {DEFAULT_CANDIDATES})",
    )
    a.add_argument("--as-of", type=_as_of, default=None)
    s = sub.add_parser("solve", help="assignment on given scored edges")
    s.add_argument("--edges", required=True, help='JSON lines {"mentee", "mentor", "score", ...}')
    s.add_argument("--capacities", required=True, help='JSON lines {"mentor", "capacity"}')
    s.add_argument("--mode", choices=solvers.MODES, default="optimal")
    s.add_argument("--objective", choices=solvers.OBJECTIVES, default="participation")
    return parser


def _propose(args: argparse.Namespace, out: TextIO) -> None:
    mentors = read_profiles(args.mentors)
    mentees = read_profiles(args.mentees)
    weights = read_weights(args.weights)
    proposals = propose(
        mentors=mentors,
        mentees=mentees,
        top=args.top,
        weights=weights,
        as_of=args.as_of or _today(),
        n_jobs=_JOBS,
    )
    _write(out, (p.to_json() for p in proposals))


def _assign(args: argparse.Namespace, out: TextIO) -> None:
    mentors = read_profiles(args.mentors)
    mentees = read_profiles(args.mentees)
    weights = read_weights(args.weights)
    if args.candidates < 1:
        raise InputError("--candidates: must be >= 1")
    result = assign(
        mentors=mentors,
        mentees=mentees,
        mode=args.mode,
        objective=args.objective,
        weights=weights,
        as_of=args.as_of or _today(),
        candidates=args.candidates,
        n_jobs=_JOBS,
    )
    _write(out, (r.to_json() for r in result))


def _solve(args: argparse.Namespace, out: TextIO) -> None:
    import numpy as np

    mentee_ids, mentor_ids, mentee, mentor, score, mentor_score, lines = read_edges(args.edges)
    capacities = read_capacities(args.capacities)
    caps = np.array([capacities.get(m, 1) for m in mentor_ids], dtype=np.int64)
    try:
        chosen = solvers.solve(
            n_mentees=len(mentee_ids),
            capacities=caps,
            mentee=np.asarray(mentee, dtype=np.int64),
            mentor=np.asarray(mentor, dtype=np.int64),
            score=np.asarray(score, dtype=np.float64),
            mentor_score=None if mentor_score is None else np.asarray(mentor_score),
            mode=args.mode,
            objective=args.objective,
        )
    except ValueError as exc:
        match = re.match(r"edge (\d+): (.*)", str(exc))
        if match and int(match.group(1)) < len(lines):
            raise InputError(
                f"{args.edges}:{lines[int(match.group(1))]}: {match.group(2)}"
            ) from None
        raise InputError(f"{args.edges}: {exc}") from None
    edge_score = {(a, b): s for a, b, s in zip(mentee, mentor, score, strict=True)}
    rows = []
    for i, name in enumerate(mentee_ids):
        j = int(chosen[i])
        rows.append(
            {
                "mentee": name,
                "mentor": None if j < 0 else mentor_ids[j],
                "score": None if j < 0 else edge_score[(i, j)],
            }
        )
    _write(out, rows)


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None) -> int:
    """Run the CLI; returns the exit status."""
    out = stdout or sys.stdout
    args = _parser().parse_args(argv)
    try:
        {"propose": _propose, "assign": _assign, "solve": _solve}[args.command](args, out)
        out.flush()
    except (InputError, ValueError) as exc:
        # ValueError: a rule only the engine checks; still raised before any output
        print(f"python -m matching {args.command}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # the reader went away (``| head``): not an error of ours
        sys.stderr.close()
        return 0
    return 0
