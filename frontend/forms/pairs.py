"""The pair's forms: goals, the session log, introductions and their outcome, ending."""

from __future__ import annotations

from typing import Any

from django import forms

from mentorship.models import IntroductionOutcome
from mentorship.taxonomy import ConnectionType, MeetingFormat, NetworkGroup


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


CADENCE_HELP = "The target interval between sessions."


class GoalsForm(forms.Form):
    goals = forms.CharField(
        label="What the pair is working towards",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    cadence_days = forms.IntegerField(
        label="Meet every (days)", min_value=1, max_value=365, help_text=CADENCE_HELP
    )


RATINGS = [(n, str(n)) for n in range(1, 6)]


class SessionForm(forms.Form):
    """Field names are the ones `services.mentorships.log_session` takes."""

    date = forms.DateField(widget=DateInput())
    duration_minutes = forms.IntegerField(label="Duration (minutes)", min_value=1, max_value=600)
    format = forms.ChoiceField(choices=MeetingFormat.choices)
    topics = forms.MultipleChoiceField(
        label="Topics discussed",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-grid"}),
    )
    notes = forms.CharField(
        label="Private notes",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only you will ever see these notes; not your partner, not the coordinators.",
    )
    rating = forms.TypedChoiceField(
        label="How useful was it? (optional)",
        choices=RATINGS,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        help_text="1 not useful … 5 very useful. Private, like your notes.",
    )

    def __init__(self, *args: Any, topics: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = topics  # type: ignore[attr-defined]


class IntroductionForm(forms.Form):
    """Field names are the ones `services.mentorships.record_introduction` takes."""

    contact_member = forms.TypedChoiceField(
        label="A member of the programme",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Or leave this empty and name someone from outside below.",
    )
    contact_name = forms.CharField(label="Contact's name", required=False, max_length=120)
    contact_organisation = forms.CharField(label="Organisation", required=False, max_length=120)
    contact_role = forms.CharField(label="Role", required=False, max_length=120)
    network_group = forms.ChoiceField(label="Network group", choices=NetworkGroup.choices)
    connection_type = forms.ChoiceField(label="Connection type", choices=ConnectionType.choices)
    purpose = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What the mentee could learn or gain from this contact.",
    )
    follow_up_on = forms.DateField(
        label="Follow up on (optional)",
        required=False,
        widget=DateInput(),
        help_text="The mentee is reminded on this date.",
    )

    def __init__(self, *args: Any, contacts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_member"].choices = [  # type: ignore[attr-defined]
            ("", "Someone outside the programme"),
            *contacts,
        ]


class OutcomeForm(forms.Form):
    """The mentee confirms an introduction happened and says what came of it."""

    confirmed = forms.BooleanField(label="This introduction happened", required=False)
    outcome = forms.ChoiceField(choices=IntroductionOutcome.choices)
    outcome_note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, pk: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"introduction-{pk}-%s")
        super().__init__(*args, **kwargs)
        self.pk = pk


class EndForm(forms.Form):
    reason = forms.CharField(
        label="Why the mentorship ends",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Your partner and the programme's coordinators read this.",
    )
