from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from mentorship import factories
from mentorship.models import Programme, User
from mentorship.selectors.exports import cadence_export, csv_lines, safe_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ada Lovelace", "Ada Lovelace"),
        (3, "3"),
        (None, ""),
    ],
)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_neutralised(value, cell) -> None:
    assert safe_cell(value) == cell


def test_the_cadence_export_has_a_header_and_a_safe_row_per_active_mentorship(
    programme: Programme, coordinator: User
) -> None:
    mentee = factories.member(programme, "mentee", first_name="=cmd|' /C calc'!A0", last_name="")
    factories.MentorshipFactory.create(programme=programme, mentee=mentee)
    export = cadence_export(actor=coordinator, slug=programme.slug)
    rows = list(csv.reader(io.StringIO("".join(csv_lines(export.rows)))))
    assert rows[0][:3] == ["mentorship", "mentor", "mentee"]
    assert len(rows) == 2
    assert rows[1][2].startswith("'=")
    assert export.filename.startswith("pmo-network-cadence-")


def test_csv_lines_neutralises_every_cell_even_when_the_export_forgot() -> None:
    text = "".join(csv_lines([["name"], ["=1+1"], ["'=already"], ["@x"]]))
    assert list(csv.reader(io.StringIO(text))) == [["name"], ["'=1+1"], ["'=already"], ["'@x"]]


def test_every_csv_export_goes_through_the_one_safe_writer() -> None:
    """No module writes CSV itself: a new export must use csv_lines (or this test names it)."""
    root = Path(__file__).resolve().parents[2]
    writers = []
    for package in ("mentorship", "api", "frontend"):
        for path in (root / package).rglob("*.py"):
            text = path.read_text()
            if "csv.writer(" in text or "csv.DictWriter(" in text or "import csv" in text:
                writers.append(str(path.relative_to(root)))
    assert writers == ["mentorship/selectors/exports.py"]


def test_the_cadence_csv_over_http_carries_no_formula(
    client, programme: Programme, coordinator: User
) -> None:
    mentee = factories.member(
        programme, "mentee", first_name='=HYPERLINK("http://evil.example","x")', last_name=""
    )
    factories.MentorshipFactory.create(programme=programme, mentee=mentee)
    client.force_login(coordinator)
    response = client.get(f"/api/v1/programmes/{programme.slug}/cadence/export/")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
