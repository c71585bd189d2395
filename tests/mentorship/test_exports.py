from __future__ import annotations

import csv
import io

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
