"""The mentor index's lifecycle (save, load, one-mentor updates) and its query-time inputs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from matching import NETWORK_GROUPS, MentorIndex, assign, propose, validate_profile
from matching.cli import main
from matching.synthetic import synthetic_cohort

AS_OF = "2026-01-01"
GOLDEN = Path(__file__).parent / "data" / "six_components_golden.json"
NEW = ("responsiveness", "network_fit")


@pytest.fixture(scope="module")
def cohort():
    return synthetic_cohort(n_mentors=80, n_mentees=12, random_state=3)


@pytest.fixture(scope="module")
def index(cohort):
    return MentorIndex.build(cohort.mentors, as_of=AS_OF)


def _answers(index, mentees, **kwargs):
    return [[p.to_json() for p in index.propose(m, top=5, **kwargs)] for m in mentees]


def test_a_saved_index_loads_memory_mapped_and_proposes_the_same(index, cohort, tmp_path):
    index.save(tmp_path / "v1")
    loaded = MentorIndex.load(tmp_path / "v1")
    assert isinstance(loaded.matrix, np.memmap)
    assert not loaded.matrix.flags.writeable
    assert loaded.ids == index.ids
    assert _answers(loaded, cohort.mentees) == _answers(index, cohort.mentees)
    in_memory = MentorIndex.load(tmp_path / "v1", mmap=False)
    assert not isinstance(in_memory.matrix, np.memmap)
    np.testing.assert_array_equal(in_memory.matrix, index.matrix)


def test_a_loaded_index_reads_only_the_lines_of_the_mentors_it_proposes(index, cohort, tmp_path):
    index.save(tmp_path / "v1")
    loaded = MentorIndex.load(tmp_path / "v1")
    assert loaded.mentors._parsed == {}  # type: ignore[attr-defined]
    [proposal] = loaded.propose(cohort.mentees[0], top=1)
    assert loaded.mentors._parsed.keys() == {loaded.ids.index(proposal.mentor)}  # type: ignore[attr-defined]
    assert loaded.mentors[-1] == index.mentors[-1]
    assert list(loaded.mentors) == list(index.mentors)


def test_load_refuses_an_index_with_a_file_missing(index, tmp_path):
    index.save(tmp_path / "v1")
    (tmp_path / "v1" / "rules.json").unlink()
    with pytest.raises(ValueError, match="not a complete mentor index"):
        MentorIndex.load(tmp_path / "v1")


def test_save_replaces_a_directory_as_a_whole_and_leaves_nothing_beside_it(cohort, tmp_path):
    small = MentorIndex.build(cohort.mentors[:10], as_of=AS_OF)
    small.save(tmp_path / "current")
    bigger = small.with_mentor(cohort.mentors[10])
    assert bigger is not None
    bigger.save(tmp_path / "current")
    assert len(MentorIndex.load(tmp_path / "current")) == 11
    assert [p.name for p in tmp_path.iterdir()] == ["current"]


def test_load_refuses_a_directory_that_is_not_an_index(tmp_path):
    with pytest.raises(ValueError, match="not a saved mentor index"):
        MentorIndex.load(tmp_path)


def test_with_mentor_equals_a_rebuild_on_the_same_model(index, cohort):
    changed = dict(cohort.mentors[7])
    changed["topics"] = ["leadership", "networking", "confidence"]
    changed["seniority"] = 5
    changed["formats"] = ["video"]
    updated = index.with_mentor(changed)
    assert updated is not None
    lines = [changed if m["id"] == changed["id"] else m for m in cohort.mentors]
    rebuilt = MentorIndex.build(lines, feature_model=index.model, as_of=AS_OF)
    np.testing.assert_allclose(updated.matrix, rebuilt.matrix, atol=1e-5)
    for got, want in zip(
        _answers(updated, cohort.mentees), _answers(rebuilt, cohort.mentees), strict=True
    ):
        assert [p["mentor"] for p in got] == [p["mentor"] for p in want]
        np.testing.assert_allclose([p["score"] for p in got], [p["score"] for p in want], atol=1e-5)
    assert index.mentors[7] == validate_profile(cohort.mentors[7])  # the old index is unchanged


def test_with_mentor_appends_a_new_mentor_and_without_mentor_removes_one(index, cohort):
    newcomer = dict(cohort.mentors[3], id="newcomer")
    grown = index.with_mentor(newcomer)
    assert grown is not None
    assert grown.ids == (*index.ids, "newcomer")
    np.testing.assert_allclose(grown.matrix[-1], index.matrix[3], atol=1e-5)
    shrunk = grown.without_mentor("newcomer")
    assert shrunk.ids == index.ids
    assert _answers(shrunk, cohort.mentees[:4]) == _answers(index, cohort.mentees[:4])
    assert index.without_mentor("nobody").ids == index.ids


def test_updating_a_loaded_index_parses_and_rewrites_only_the_changed_lines(
    index, cohort, tmp_path
):
    index.save(tmp_path / "v1")
    loaded = MentorIndex.load(tmp_path / "v1")
    changed = dict(cohort.mentors[7], languages=["en", "de"], capacity=0)
    newcomer = dict(cohort.mentors[3], id="newcomer")
    edited = loaded.with_mentor(changed)
    assert edited is not None
    edited = edited.with_mentor(newcomer)  # changes on changes
    assert edited is not None
    edited = edited.without_mentor(cohort.mentors[0]["id"])
    assert loaded.mentors._parsed == {}  # type: ignore[attr-defined]

    edited.save(tmp_path / "v2")
    saved = MentorIndex.load(tmp_path / "v2")
    assert loaded.mentors._parsed == {}  # type: ignore[attr-defined]
    before = (tmp_path / "v1" / "mentors.jsonl").read_bytes().splitlines(keepends=True)
    after = (tmp_path / "v2" / "mentors.jsonl").read_bytes().splitlines(keepends=True)
    assert after[:6] == before[1:7]  # the untouched lines, byte for byte
    assert after[7:-1] == before[8:]
    assert saved.ids == (*index.ids[1:], "newcomer")
    expected = [validate_profile(m) for m in [*cohort.mentors[1:7], changed, *cohort.mentors[8:]]]
    assert list(saved.mentors) == [*expected, validate_profile(newcomer)]
    rebuilt = MentorIndex.build(list(saved.mentors), feature_model=index.model, as_of=AS_OF)
    for got, want in ((saved, rebuilt), (edited, rebuilt)):
        assert got.rules.active.tolist() == want.rules.active.tolist()  # the changed one is full
        assert got.rules.languages == want.rules.languages
        assert got.rules.exclude == want.rules.exclude
        assert _answers(got, cohort.mentees) == _answers(want, cohort.mentees)


def test_with_mentor_gives_up_when_the_vocabulary_drifted(index, cohort):
    drifted = dict(
        cohort.mentors[0],
        topics=["quantum_sailing", "glassblowing"],
        positions=[{"title": "Harbour master", "industry": "quantum sailing", "start": "2015-01"}],
        skills=["zorbification", "hyperfluxing"],
        certifications=[],
    )
    assert index.with_mentor(drifted) is None


def test_rows_not_available_are_never_proposed(index, cohort):
    mentee = cohort.mentees[0]
    first = [p.mentor for p in index.propose(mentee, top=5)]
    available = np.ones(len(index), dtype=bool)
    available[[index.ids.index(m) for m in first[:3]]] = False
    again = [p.mentor for p in index.propose(mentee, top=5, available=available)]
    assert not set(first[:3]) & set(again)
    assert again[:2] == first[3:5]
    assert index.propose(mentee, top=5, available=np.zeros(len(index), dtype=bool)) == []
    with pytest.raises(ValueError, match="available"):
        index.propose(mentee, available=np.ones(3, dtype=bool))


def test_an_index_of_no_mentors_builds_saves_and_proposes_nothing(cohort, tmp_path):
    empty = MentorIndex.build([], as_of=AS_OF)
    assert len(empty) == 0
    assert empty.propose(cohort.mentees[0], top=10) == []
    empty.save(tmp_path / "empty")
    assert MentorIndex.load(tmp_path / "empty").propose(cohort.mentees[0]) == []
    grown = empty.with_mentor(cohort.mentors[0])
    assert grown is None or len(grown) == 1  # nothing was fitted: the first mentor may drift


def _without_new(rows):
    out = []
    for row in rows:
        row = dict(row)
        if "components" in row:
            row["components"] = {k: v for k, v in row["components"].items() if k not in NEW}
        out.append(row)
    return out


def _same(got, want):
    """Equal, but for floats rounded to six places, which may differ by one in the last place:
    float32 matrix products round differently on other CPUs (AVX2 or AVX-512 kernels)."""
    if isinstance(want, float) and isinstance(got, float):
        return abs(got - want) <= 1.5e-6
    if isinstance(want, dict) and isinstance(got, dict):
        return got.keys() == want.keys() and all(_same(got[k], want[k]) for k in want)
    if isinstance(want, list) and isinstance(got, list):
        return len(got) == len(want) and all(map(_same, got, want))
    return got == want


def test_same_allows_only_the_last_place_of_a_rounded_float():
    assert _same([{"score": 0.587284, "id": "a"}], [{"score": 0.587283, "id": "a"}])
    assert not _same([{"score": 0.587286}], [{"score": 0.587283}])
    assert not _same([{"score": 0.5, "id": "a"}], [{"score": 0.5, "id": "b"}])
    assert not _same([{"score": 0.5}], [{"score": 0.5}, {"score": 0.5}])


def test_with_their_default_weight_of_zero_the_new_components_change_nothing():
    """The output recorded before responsiveness and network fit existed, to the digit (the
    sixth decimal, see _same)."""
    golden = json.loads(GOLDEN.read_text())
    c = synthetic_cohort(n_mentors=120, n_mentees=40, random_state=11)
    rng = np.random.default_rng(0)
    mentors = [
        dict(
            m,
            responsiveness=float(rng.random()),
            network_reach={g: int(rng.integers(0, 9)) for g in NETWORK_GROUPS},
        )
        for m in c.mentors
    ]
    mentees = [dict(e, network_gaps=["senior_leadership"]) for e in c.mentees]
    got = [p.to_json() for p in propose(mentors=mentors, mentees=mentees, top=5, as_of=AS_OF)]
    assert _same(_without_new(got), golden["propose"])
    got = [a.to_json() for a in assign(mentors=mentors, mentees=mentees, as_of=AS_OF)]
    assert _same(got, golden["assign"])
    index = MentorIndex.build(c.mentors, as_of=AS_OF)
    signals = {
        "responsiveness": rng.random(len(index)),
        "network_reach": rng.integers(0, 9, (len(index), 5)).astype(float),
    }
    plain = [p.to_json() for m in mentees[:15] for p in index.propose(m, top=5)]
    with_signals = [
        p.to_json() for m in mentees[:15] for p in index.propose(m, top=5, signals=signals)
    ]
    assert _without_new(plain) == _without_new(with_signals)
    assert _same(_without_new(plain), golden["index"])


def _runner_up(index, mentee):
    return index.propose(mentee, top=5)[4].mentor


def test_network_fit_ranks_the_mentor_who_reaches_the_mentees_gap_first(index, cohort):
    mentee = dict(cohort.mentees[1], network_gaps=["senior_leadership"])
    star = _runner_up(index, mentee)
    reach = np.zeros((len(index), 5))
    reach[:, 0] = 5  # everyone introduces people to delivery teams: not this mentee's gap
    reach[index.ids.index(star), NETWORK_GROUPS.index("senior_leadership")] = 4
    weights = {"network_fit": 1.0}
    got = index.propose(mentee, top=5, weights=weights, signals={"network_reach": reach})
    assert got[0].mentor == star
    assert got[0].components["network_fit"] == pytest.approx(1 - np.exp(-4 / 3))
    assert "Has introduced 4 mentees to senior leaders" in got[0].reasons
    assert all(p.components["network_fit"] == 0.0 for p in got[1:])
    # the same through the batch functions, from the profile lines
    lines = [
        dict(m, network_reach={"senior_leadership": 4}) if m["id"] == star else m
        for m in cohort.mentors
    ]
    batch = list(propose(mentors=lines, mentees=[mentee], top=5, weights=weights, as_of=AS_OF))
    assert batch[0].mentor == star
    assert "Has introduced 4 mentees to senior leaders" in batch[0].reasons


def test_a_mentee_without_gaps_gets_the_neutral_network_fit(index, cohort):
    got = index.propose(cohort.mentees[1], top=3, weights={"network_fit": 1.0})
    assert {p.components["network_fit"] for p in got} == {0.5}
    assert not any("introduced" in r for p in got for r in p.reasons)


def test_responsiveness_ranks_the_mentor_who_answers_first(index, cohort):
    mentee = cohort.mentees[2]
    star = _runner_up(index, mentee)
    answers = np.full(len(index), 0.3)
    answers[index.ids.index(star)] = 0.95
    weights = {"responsiveness": 1.0}
    got = index.propose(mentee, top=5, weights=weights, signals={"responsiveness": answers})
    assert got[0].mentor == star
    assert got[0].components["responsiveness"] == pytest.approx(0.95)
    assert "Reliably answers mentees' requests" in got[0].reasons
    assert not any("Reliably" in r for p in got[1:] for r in p.reasons)
    lines = [dict(m, responsiveness=0.95 if m["id"] == star else 0.3) for m in cohort.mentors]
    batch = list(propose(mentors=lines, mentees=[mentee], top=5, weights=weights, as_of=AS_OF))
    assert batch[0].mentor == star
    assert "Reliably answers mentees' requests" in batch[0].reasons


def test_missing_signals_are_the_neutral_defaults(index, cohort):
    got = index.propose(cohort.mentees[3], top=3)
    assert {p.components["responsiveness"] for p in got} == {0.5}


@pytest.mark.parametrize(
    ("signals", "message"),
    [
        ({"speed": np.zeros(80)}, "unknown signals"),
        ({"responsiveness": np.full(80, 1.5)}, "from 0 to 1"),
        ({"responsiveness": np.zeros(3)}, "one per row"),
        ({"network_reach": np.zeros((80, 4))}, "counts >= 0"),
        ({"network_reach": np.full((80, 5), -1.0)}, "counts >= 0"),
    ],
)
def test_bad_signals_are_refused_with_a_clear_error(index, cohort, signals, message):
    with pytest.raises(ValueError, match=message):
        index.propose(cohort.mentees[0], signals=signals)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"responsiveness": 1.2}, "responsiveness: expected a number from 0 to 1"),
        ({"responsiveness": "fast"}, "responsiveness: expected a number"),
        ({"network_reach": ["senior_leadership"]}, "network_reach: expected an object"),
        ({"network_reach": {"board": 2}}, "network_reach: unknown network group 'board'"),
        ({"network_reach": {"wider_business": -1}}, "network_reach.wider_business"),
        ({"network_reach": {"wider_business": 1.5}}, "network_reach.wider_business"),
        ({"network_gaps": "senior_leadership"}, "network_gaps: expected a list"),
        ({"network_gaps": ["board"]}, r"network_gaps\[0\]: unknown network group"),
    ],
)
def test_the_new_profile_keys_are_validated(line, message):
    with pytest.raises(ValueError, match=message):
        validate_profile({"id": "p1", **line})


def test_the_new_profile_keys_have_neutral_defaults():
    profile = validate_profile({"id": "p1"})
    assert profile["responsiveness"] == 0.5
    assert profile["network_reach"] == dict.fromkeys(NETWORK_GROUPS, 0)
    assert profile["network_gaps"] == []


def test_the_cli_reads_the_new_keys_from_profile_files(cohort, tmp_path):
    mentee = dict(cohort.mentees[1], network_gaps=["external_influencers"])
    mentors = [dict(m, network_reach={"external_influencers": 1}) for m in cohort.mentors[:5]]
    (tmp_path / "mentors.jsonl").write_text("\n".join(json.dumps(m) for m in mentors))
    (tmp_path / "mentees.jsonl").write_text(json.dumps(mentee))
    (tmp_path / "w.json").write_text(json.dumps({"network_fit": 5}))
    out = io.StringIO()
    argv = ["propose", "--mentors", str(tmp_path / "mentors.jsonl")]
    argv += ["--mentees", str(tmp_path / "mentees.jsonl"), "--weights", str(tmp_path / "w.json")]
    assert main([*argv, "--as-of", AS_OF], stdout=out) == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows
    for row in rows:
        assert row["components"]["network_fit"] == pytest.approx(1 - np.exp(-1 / 3), abs=1e-6)
    bad = dict(mentors[0], network_gaps=["nowhere"])
    (tmp_path / "mentors.jsonl").write_text(json.dumps(bad))
    assert main([*argv, "--as-of", AS_OF], stdout=io.StringIO()) == 2
