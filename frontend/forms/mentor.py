"""The mentor's forms: what they offer, and their answer to a request."""

from __future__ import annotations

from typing import Any

from django import forms


class OfferForm(forms.Form):
    """Topics offered, capacity and the accepting toggle (`services.profiles.update_profile`; the
    service holds the capacity to the programme's maximum)."""

    topics_offered = forms.MultipleChoiceField(
        label="Topics I can help with",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-grid"}),
        help_text="Mentees who want help with these are matched with you.",
    )
    capacity = forms.IntegerField(label="Mentees I can take at once", min_value=0)
    accepting_mentees = forms.BooleanField(
        label="Accepting new mentees",
        required=False,
        widget=forms.CheckboxInput(attrs={"role": "switch"}),
        help_text="When off, you are not suggested to mentees and cannot be asked; "
        "your current mentees are not affected.",
    )

    def __init__(
        self, *args: Any, topics: list[tuple[str, str]], limit: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics_offered"].choices = topics  # type: ignore[attr-defined]
        capacity = self.fields["capacity"]
        capacity.widget.attrs["max"] = limit
        capacity.help_text = (
            f"Your programme allows up to {limit}. Mentees you mentor now (active or paused) "
            "take a place each."
        )


def _ids(kind: str, pk: int) -> str:
    """Element ids unique on a page listing many requests."""
    return f"{kind}-{pk}-%s"


class AcceptForm(forms.Form):
    cadence_days = forms.IntegerField(
        label="Meet every (days)",
        min_value=1,
        max_value=365,
        help_text="The target interval between sessions; the pair can change it later.",
    )
    goals = forms.CharField(
        label="First goals (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, pk: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", _ids("accept", pk))
        super().__init__(*args, **kwargs)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why you decline",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The mentee reads this; a kind, specific reason helps them choose again.",
    )

    def __init__(self, *args: Any, pk: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", _ids("decline", pk))
        super().__init__(*args, **kwargs)
