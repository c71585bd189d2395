"""The coordinator's forms: cadence filters, matching settings, a cohort matching run."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms

from mentorship.matching_adapter import COMPONENTS, DEFAULT_WEIGHTS, component_label
from mentorship.models import MatchingRunMode, Programme, User
from mentorship.selectors.cadence import STATUSES
from mentorship.validators import VALUE_IDEAS_MAX

STATUS_LABELS = {
    "on_track": "On track",
    "due": "Due",
    "overdue": "Overdue",
    "never_met": "Never met",
}
COMPONENT_HELP = {
    "topic_fit": "Topics the mentor offers against the topics the mentee wants.",
    "career_relevance": "The mentor has worked in the industry and role the mentee aims at.",
    "career_variety": "Breadth of the mentor's career: industries, roles, organisations.",
    "seniority": "One to three levels above the mentee scores best.",
    "personality": "Closeness on the Big Five questionnaire (only with consent).",
    "logistics": "Time-zone overlap and shared meeting formats.",
    "responsiveness": "How reliably and quickly the mentor answers requests (0 leaves it out).",
    "network_fit": "The mentor's introductions into the network groups where the mentee's "
    "plan is thin (0 leaves it out).",
}
MODE_EXPLANATIONS = {
    MatchingRunMode.OPTIMAL: (
        "Optimal: places as many mentees as the mentors' free places allow, then picks the "
        "pairs with the best total score. Best when every mentee should get a mentor."
    ),
    MatchingRunMode.STABLE: (
        "Stable: mentees propose to the mentors they prefer; nobody is left with a pair that "
        "both they and another would rather swap. Best when preferences should be respected."
    ),
}


# The engagement timers (issue 9) and the network plan's tier cadences (issue 10), as the
# model defines them (bounds, help texts): the form takes its fields from the model.
TIMER_FIELDS = (
    "first_reminder_hours",
    "second_reminder_hours",
    "expiries_before_pause",
    "cadence_nudges",
    "inactivity_warning_days",
    "inactivity_pause_days",
    "follow_up_reminders",
)
NETWORK_FIELDS = (
    "key_contact_cadence_days",
    "regular_contact_cadence_days",
    "light_contact_cadence_days",
)
PLAIN_FIELDS = (
    "description",
    "is_open",
    "default_cadence_days",
    "response_deadline_days",
    "max_mentor_capacity",
    "proposals_per_request",
    *TIMER_FIELDS,
    *NETWORK_FIELDS,
)


def weight_field_name(component: str) -> str:
    return f"weight_{component}"


class CadenceFilterForm(forms.Form):
    """The cadence table's filters (a GET form): status and mentor."""

    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *((s, STATUS_LABELS[s]) for s in STATUSES)]
    )
    mentor = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, mentors: Iterable[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mentor_field = self.fields["mentor"]
        assert isinstance(mentor_field, forms.TypedChoiceField)
        mentor_field.choices = [("", "Any mentor")] + [(m.pk, m.display_name) for m in mentors]

    def filters(self) -> dict[str, Any]:
        """The valid filters as `programme_cadence` keywords (an invalid one is left out and
        shown next to its field)."""
        if not self.is_bound:
            return {"status": None, "mentor_id": None}
        self.is_valid()  # cleans; a field that fails is missing from cleaned_data
        return {
            "status": self.cleaned_data.get("status") or None,
            "mentor_id": self.cleaned_data.get("mentor"),
        }

    def query(self) -> str:
        """The valid filters as a query string (for the CSV link and the pages' links)."""
        params = {k: v for k, v in self.filters().items() if v is not None}
        names = {"status": "status", "mentor_id": "mentor"}
        return "&".join(f"{names[k]}={v}" for k, v in params.items())


class ProgrammeSettingsForm(forms.Form):
    """Matching weights, limits and timers. Field names are the service's, so its errors land
    next to the field they are about."""

    description = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to people who join.",
    )
    is_open = forms.BooleanField(
        required=False,
        label="Open for sign-ups",
        help_text="When off, the join code stops working; members already in stay in.",
    )
    default_cadence_days = forms.IntegerField(
        min_value=1,
        max_value=365,
        label="Default cadence (days)",
        help_text="Days between sessions a new mentorship aims for.",
    )
    response_deadline_days = forms.IntegerField(
        min_value=1,
        max_value=90,
        label="Response deadline (days)",
        help_text="Days a mentor has to answer a request before it expires.",
    )
    max_mentor_capacity = forms.IntegerField(
        min_value=1,
        max_value=20,
        label="Maximum mentor capacity",
        help_text="Most mentees a mentor of this programme may take at once.",
    )
    proposals_per_request = forms.IntegerField(
        min_value=1,
        max_value=20,
        label="Suggestions per match request",
        help_text="How many mentors a mentee is shown when they ask for matches.",
    )

    network_value_ideas = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Ways to offer value",
        help_text=(
            f"One per line, at most {VALUE_IDEAS_MAX}: what a contact due a touchpoint suggests "
            "the mentee could offer them."
        ),
    )

    def __init__(self, *args: Any, weights: Mapping[str, float], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(Programme, fields=TIMER_FIELDS + NETWORK_FIELDS))
        for component in COMPONENTS:
            self.fields[weight_field_name(component)] = forms.FloatField(
                min_value=0,
                max_value=100,
                initial=weights[component],
                label=component_label(component),
                help_text=f"{COMPONENT_HELP.get(component, '')} "
                f"Default {DEFAULT_WEIGHTS[component]:g}.".strip(),
                widget=forms.NumberInput(attrs={"step": "0.01"}),
            )

    @classmethod
    def for_programme(
        cls, programme: Programme, weights: Mapping[str, float], data: Any = None
    ) -> ProgrammeSettingsForm:
        initial = {name: getattr(programme, name) for name in PLAIN_FIELDS}
        initial["network_value_ideas"] = "\n".join(programme.network_value_ideas)
        return cls(data, initial=initial, weights=weights)

    @property
    def weight_fields(self) -> list[forms.BoundField]:
        return [self[weight_field_name(c)] for c in COMPONENTS]

    @property
    def limit_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in (
                "max_mentor_capacity",
                "proposals_per_request",
                "default_cadence_days",
                "response_deadline_days",
            )
        ]

    @property
    def timer_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in TIMER_FIELDS]

    @property
    def network_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in (*NETWORK_FIELDS, "network_value_ideas")]

    def clean_network_value_ideas(self) -> list[str]:
        lines = self.cleaned_data["network_value_ideas"].splitlines()
        return [line.strip() for line in lines if line.strip()]

    def changes(self) -> dict[str, Any]:
        """The settings for `update_programme`. Weights left at the engine's default are not
        stored, so the programme keeps following the default if it is retuned."""
        data = dict(self.cleaned_data)
        weights = {c: data.pop(weight_field_name(c)) for c in COMPONENTS}
        data["matching_weights"] = {c: w for c, w in weights.items() if w != DEFAULT_WEIGHTS[c]}
        return data


class MatchingRunForm(forms.Form):
    mode = forms.ChoiceField(
        choices=list(MODE_EXPLANATIONS.items()),
        widget=forms.RadioSelect,
        initial=MatchingRunMode.OPTIMAL,
        label="How to match",
    )
