"""The programme dashboard's charts: the selectors' numbers with the words people read.

Each chart is drawn twice from the same numbers: by Chart.js (frontend/static/frontend/charts.js
reads `spec()` from a `json_script` element) and as a table for screen readers (`rows()`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mentorship.selectors.cadence import CadenceSummary
from mentorship.selectors.stats import ProgrammeCharts, WaitBin
from mentorship.taxonomy import ConnectionType, NetworkGroup

CADENCE_LABELS = {
    "on_track": "On track",
    "due": "Due",
    "overdue": "Overdue",
    "never_met": "Never met",
    "paused": "Paused",
}
# The cadence badges' colours (site.css), so the chart and the table read alike.
CADENCE_COLOURS = {
    "on_track": "#17663f",
    "due": "#b36b00",
    "overdue": "#a61b1b",
    "never_met": "#6b1b6b",
    "paused": "#4a5263",
}
FUNNEL_LABELS = {
    "suggested": "Suggested",
    "requested": "Requested",
    "accepted": "Accepted",
    "declined": "Declined",
    "expired": "Expired",
    "withdrawn": "Withdrawn",
    "waiting": "Waiting for an answer",
}


@dataclass(frozen=True)
class Series:
    label: str
    data: list[int]
    colours: list[str] | None = None  # one per bar; None: the chart's palette


@dataclass(frozen=True)
class Chart:
    key: str  # the ids of the canvas and of its data: chart-KEY, chart-KEY-data
    title: str
    description: str  # what the chart shows, for the canvas's accessible name
    kind: str  # a Chart.js type: "bar" or "line"
    labels: list[str]
    series: list[Series]
    horizontal: bool = False
    stacked: bool = False
    row_header: str = ""  # the table's first column
    note: str = ""
    extra_rows: list[tuple[str, list[int]]] = field(default_factory=list)  # table only

    @property
    def canvas_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def data_id(self) -> str:
        return f"chart-{self.key}-data"

    def spec(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "labels": self.labels,
            "horizontal": self.horizontal,
            "stacked": self.stacked,
            "series": [
                {"label": s.label, "data": s.data, **({"colours": s.colours} if s.colours else {})}
                for s in self.series
            ],
        }

    def rows(self) -> list[tuple[str, list[int]]]:
        """The table: one row per label, one column per series."""
        body = [(label, [s.data[i] for s in self.series]) for i, label in enumerate(self.labels)]
        return body + self.extra_rows


def _wait_label(wait: WaitBin) -> str:
    if wait.last_day is None:
        return f"{wait.first_day} days or more"
    return f"{wait.first_day} to {wait.last_day} days"


def dashboard_charts(charts: ProgrammeCharts, cadence: CadenceSummary) -> list[Chart]:
    weeks = charts.sessions_per_week
    cadence_counts = {
        "on_track": cadence.on_track,
        "due": cadence.due,
        "overdue": cadence.overdue,
        "never_met": cadence.never_met,
        "paused": cadence.paused,
    }
    wait = charts.first_session
    median = (
        f"Median: {wait.median_days:g} days."
        if wait.median_days is not None
        else "No pair met yet."
    )
    reasons = charts.decline_reasons
    groups = charts.introductions
    return [
        Chart(
            key="sessions",
            title="Sessions per week",
            description=f"Line chart of the sessions logged each week, the last {len(weeks)} weeks",
            kind="line",
            labels=[f"{w.week.day} {w.week:%b %Y}" for w in weeks],
            series=[Series("Sessions", [w.sessions for w in weeks])],
            row_header="Week of",
            note="Weeks start on Monday; the last one is this week so far.",
        ),
        Chart(
            key="cadence",
            title="Cadence of the pairs",
            description="Bar chart of the active and paused pairs by cadence status",
            kind="bar",
            labels=[CADENCE_LABELS[s] for s in cadence_counts],
            series=[
                Series(
                    "Pairs",
                    list(cadence_counts.values()),
                    colours=[CADENCE_COLOURS[s] for s in cadence_counts],
                )
            ],
            row_header="Status",
        ),
        Chart(
            key="first-session",
            title="From match to first session",
            description="Bar chart of the pairs by days from their match to their first session",
            kind="bar",
            labels=[_wait_label(b) for b in wait.bins],
            series=[Series("Pairs", [b.mentorships for b in wait.bins])],
            row_header="Days to the first session",
            note=f"{median} {wait.not_met_yet} active or paused pairs have not met yet.",
        ),
        Chart(
            key="funnel",
            title="Proposals: from suggestion to answer",
            description="Horizontal bar chart of the proposals at each stage, "
            "from suggested to the mentor's answer",
            kind="bar",
            labels=list(FUNNEL_LABELS.values()),
            series=[Series("Proposals", [charts.funnel[stage] for stage in FUNNEL_LABELS])],
            horizontal=True,
            row_header="Stage",
            note="Requested ones end accepted, declined, expired or withdrawn, "
            "or still wait for an answer.",
        ),
        Chart(
            key="decline-reasons",
            title="Why mentors declined",
            description="Horizontal bar chart of the reasons mentors gave when declining",
            kind="bar",
            labels=[reason for reason, _ in reasons],
            series=[Series("Declines", [n for _, n in reasons])],
            horizontal=True,
            row_header="Reason",
            extra_rows=[("Other reasons", [charts.other_decline_reasons])]
            if charts.other_decline_reasons
            else [],
        ),
        Chart(
            key="introductions",
            title="Introductions by network group and connection type",
            description="Stacked bar chart of the introductions mentors made, by network group, "
            "split by connection type",
            kind="bar",
            labels=[NetworkGroup(g).label for g in groups],
            series=[
                Series(ConnectionType(t).label, [groups[g][t] for g in groups])
                for t in ConnectionType.values
            ],
            stacked=True,
            row_header="Network group",
        ),
    ]
