"""``python -m matching``: the CLI contract of DESIGN.md, run as other programs run it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from matching.synthetic import synthetic_cohort

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "matching", *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def write_lines(path: Path, rows: Sequence[object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("cli")
    cohort = synthetic_cohort(n_mentors=60, n_mentees=12, random_state=4)
    write_lines(d / "mentors.jsonl", cohort.mentors)
    write_lines(d / "mentees.jsonl", cohort.mentees)
    (d / "w.json").write_text(json.dumps({"topic_fit": 1, "career_relevance": 2}))
    write_lines(
        d / "edges.jsonl",
        [
            {"mentee": "a", "mentor": "x", "score": 1.0},
            {"mentee": "a", "mentor": "y", "score": 0.1, "mentor_score": 0.3},
            {"mentee": "b", "mentor": "x", "score": 0.8},
        ],
    )
    write_lines(d / "caps.jsonl", [{"mentor": "x", "capacity": 1}, {"mentor": "y", "capacity": 1}])
    return d


def test_propose_streams_ranked_proposals_with_components_and_reasons(files):
    out = run(
        "propose",
        "--mentors",
        "mentors.jsonl",
        "--mentees",
        "mentees.jsonl",
        "--top",
        "3",
        "--weights",
        "w.json",
        "--as-of",
        "2026-01-01",
        cwd=files,
    )
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 12 * 3
    assert {tuple(sorted(r)) for r in rows} == {
        ("components", "mentee", "mentor", "rank", "reasons", "score")
    }
    mentees = [json.loads(x)["id"] for x in (files / "mentees.jsonl").read_text().splitlines()]
    assert list(dict.fromkeys(r["mentee"] for r in rows)) == mentees
    for r in rows:
        assert 2 <= len(r["reasons"]) <= 4
        assert set(r["components"]) == {
            "topic_fit",
            "career_relevance",
            "career_variety",
            "seniority",
            "personality",
            "logistics",
            "responsiveness",
            "network_fit",
        }
    first = rows[:3]
    assert [r["rank"] for r in first] == [1, 2, 3]
    assert first[0]["score"] >= first[1]["score"] >= first[2]["score"]


@pytest.mark.parametrize("mode", ["optimal", "stable", "greedy"])
def test_assign_writes_one_line_per_mentee(files, mode):
    out = run(
        "assign",
        "--mentors",
        "mentors.jsonl",
        "--mentees",
        "mentees.jsonl",
        "--mode",
        mode,
        "--as-of",
        "2026-01-01",
        cwd=files,
    )
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 12
    assert all(set(r) == {"mentee", "mentor", "score"} for r in rows)
    assert sum(r["mentor"] is not None for r in rows) == 12  # enough seats for everyone


def test_solve_is_exact_on_the_edges_given(files):
    out = run("solve", "--edges", "edges.jsonl", "--capacities", "caps.jsonl", cwd=files)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    # participation first: both placed (a-y, b-x) although a-x alone scores more
    assert rows == [
        {"mentee": "a", "mentor": "y", "score": 0.1},
        {"mentee": "b", "mentor": "x", "score": 0.8},
    ]
    by_score = run(
        "solve",
        "--edges",
        "edges.jsonl",
        "--capacities",
        "caps.jsonl",
        "--objective",
        "score",
        "--mode",
        "optimal",
        cwd=files,
    )
    assert by_score.returncode == 0
    assert [json.loads(line) for line in by_score.stdout.splitlines()] == [
        {"mentee": "a", "mentor": "x", "score": 1.0},
        {"mentee": "b", "mentor": None, "score": None},
    ]
    for mode in ("stable", "greedy"):
        other = run(
            "solve",
            "--edges",
            "edges.jsonl",
            "--capacities",
            "caps.jsonl",
            "--mode",
            mode,
            cwd=files,
        )
        assert other.returncode == 0
        assert len(other.stdout.splitlines()) == 2


def _bad(files: Path, name: str, lines: list[str]) -> str:
    (files / name).write_text("".join(line + "\n" for line in lines))
    return name


GOOD = json.dumps({"id": "ok"})


@pytest.mark.parametrize(
    ("command", "target", "lines", "line_no", "message"),
    [
        ("propose", "mentees", [GOOD, "{not json"], 2, "malformed JSON"),
        ("propose", "mentors", [GOOD, json.dumps({"topics": ["x"]})], 2, "id: missing"),
        ("propose", "mentees", [GOOD, GOOD], 2, "duplicate id 'ok'"),
        ("assign", "mentors", [GOOD, json.dumps({"id": "m", "capacity": -2})], 2, "capacity"),
        ("assign", "mentees", ["[1, 2]"], 1, "expected a JSON object"),
        ("propose", "mentors", [json.dumps({"id": "m", "seniority": 9})], 1, "seniority"),
        ("propose", "mentors", [json.dumps({"id": "m", "timezone": "Mars/Base"})], 1, "time zone"),
    ],
)
def test_bad_profiles_exit_non_zero_name_the_line_and_write_nothing(
    files, command, target, lines, line_no, message
):
    bad = _bad(files, f"bad_{target}.jsonl", lines)
    args = {"mentors": "mentors.jsonl", "mentees": "mentees.jsonl", target: bad}
    out = run(command, "--mentors", args["mentors"], "--mentees", args["mentees"], cwd=files)
    assert out.returncode != 0
    assert out.stdout == ""
    assert f"{bad}:{line_no}:" in out.stderr
    assert message in out.stderr


@pytest.mark.parametrize(
    ("content", "line_no", "message"),
    [
        ('{"topic_fit": 1,\n "charm": 2}', 2, "unknown weight 'charm'"),
        ('{"topic_fit": -1}', 1, "must be a finite number >= 0"),
        ('{"topic_fit": "high"}', 1, "must be a number"),
        (
            '{"topic_fit": 0, "career_relevance": 0, "career_variety": 0, "seniority": 0,\n'
            ' "personality": 0, "logistics": 0}',
            1,
            "all zero",
        ),
        ("{oops", 1, "malformed JSON"),
    ],
)
def test_a_bad_weights_file_is_refused_naming_the_line(files, content, line_no, message):
    (files / "bad_w.json").write_text(content)
    for command in ("propose", "assign"):
        out = run(
            command,
            "--mentors",
            "mentors.jsonl",
            "--mentees",
            "mentees.jsonl",
            "--weights",
            "bad_w.json",
            cwd=files,
        )
        assert out.returncode != 0
        assert out.stdout == ""
        assert f"bad_w.json:{line_no}:" in out.stderr
        assert message in out.stderr


@pytest.mark.parametrize(
    ("edges", "caps", "where", "message"),
    [
        (
            [
                '{"mentee": "a", "mentor": "x", "score": 1}',
                '{"mentee": "a", "mentor": "x", "score": 2}',
            ],
            ['{"mentor": "x", "capacity": 1}'],
            "bad_edges.jsonl:2:",
            "duplicate edge",
        ),
        (
            ['{"mentee": "a", "score": 1}'],
            ['{"mentor": "x", "capacity": 1}'],
            "bad_edges.jsonl:1:",
            "mentor: missing",
        ),
        (['{"mentee": "a", "mentor": "x", "score": "high"}'], [], "bad_edges.jsonl:1:", "score"),
        (
            ['{"mentee": "a", "mentor": "x", "score": 1}'],
            ['{"mentor": "x", "capacity": 1}', '{"mentor": "y", "capacity": -1}'],
            "bad_caps.jsonl:2:",
            "capacity",
        ),
        (
            ['{"mentee": "a", "mentor": "x", "score": 1}', "nope"],
            [],
            "bad_edges.jsonl:2:",
            "malformed JSON",
        ),
    ],
)
def test_bad_edges_or_capacities_exit_non_zero_name_the_line_and_write_nothing(
    files, edges, caps, where, message
):
    _bad(files, "bad_edges.jsonl", edges)
    _bad(files, "bad_caps.jsonl", caps)
    out = run("solve", "--edges", "bad_edges.jsonl", "--capacities", "bad_caps.jsonl", cwd=files)
    assert out.returncode != 0
    assert out.stdout == ""
    assert where in out.stderr
    assert message in out.stderr


@pytest.mark.parametrize("command", ["assign", "solve"])
def test_an_unknown_mode_is_refused_before_anything_is_written(files, command):
    args = (
        ["--edges", "edges.jsonl", "--capacities", "caps.jsonl"]
        if command == "solve"
        else ["--mentors", "mentors.jsonl", "--mentees", "mentees.jsonl"]
    )
    out = run(command, *args, "--mode", "lottery", cwd=files)
    assert out.returncode != 0
    assert out.stdout == ""
    assert "lottery" in out.stderr


def test_a_missing_file_is_refused_by_name(files):
    out = run("propose", "--mentors", "nowhere.jsonl", "--mentees", "mentees.jsonl", cwd=files)
    assert out.returncode != 0
    assert out.stdout == ""
    assert "nowhere.jsonl" in out.stderr
