"""Forms of the network plan pages: a contact, a touchpoint, an introduction's outcome."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from mentorship.models import (
    KEY_CONTACTS_MAX,
    WHY_MAX_LENGTH,
    ContactTier,
    IntroductionOutcome,
    TouchpointVehicle,
)
from mentorship.taxonomy import ConnectionType, NetworkGroup


class ContactForm(forms.Form):
    name = forms.CharField(max_length=120)
    organisation = forms.CharField(max_length=120, required=False)
    role = forms.CharField(max_length=120, required=False, help_text="Their job title.")
    network_group = forms.ChoiceField(choices=NetworkGroup.choices)
    connection_type = forms.ChoiceField(
        choices=ConnectionType.choices,
        widget=forms.RadioSelect,
        help_text="Operational: you work together. Personal: you get on. Strategic: they shape "
        "where you are going.",
    )
    tier = forms.ChoiceField(
        label="Importance",
        choices=ContactTier.choices,
        widget=forms.RadioSelect,
        initial=ContactTier.REGULAR,
        help_text=f"Keep it short: at most {KEY_CONTACTS_MAX} key contacts, met about monthly.",
    )
    why = forms.CharField(
        label="Why this contact matters",
        max_length=WHY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required for key contacts: the reason keeps you in touch when you are busy.",
    )


class TouchpointForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    vehicle = forms.ChoiceField(label="How you were in touch", choices=TouchpointVehicle.choices)
    note = forms.CharField(label="Note (optional)", max_length=2000, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["date"].initial = timezone.localdate()


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="What came of it", choices=IntroductionOutcome.choices)
    outcome_note = forms.CharField(label="Note (optional)", max_length=2000, required=False)
