from __future__ import annotations

from typing import Any

from django import forms

from mentorship.selectors.navigation import Places
from mentorship.selectors.notifications import Preference

#: The preferences page's groups: who a kind is for, and the role that makes it relevant.
GROUPS = (
    ("mentee", "As a mentee"),
    ("mentor", "As a mentor"),
    ("the pair", "In your mentorships"),
    ("coordinators", "As a coordinator"),
)


def relevant(audience: str, places: Places) -> bool:
    return {
        "mentee": places.is_mentee,
        "mentor": places.is_mentor,
        "the pair": places.is_mentee or places.is_mentor,
        "coordinators": places.is_coordinator,
    }.get(audience, True)


class EmailPreferencesForm(forms.Form):
    """One checkbox per kind the person can receive: e-mail me about it, or not."""

    def __init__(self, *args: Any, preferences: list[Preference], places: Places, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[str, list[forms.BoundField]]] = []
        for audience, legend in GROUPS:
            names = []
            for preference in preferences:
                if preference.spec.audience != audience or not relevant(audience, places):
                    continue
                self.fields[preference.kind] = forms.BooleanField(
                    label=preference.spec.label,
                    help_text=preference.spec.when[:1].upper() + preference.spec.when[1:] + ".",
                    required=False,
                    initial=preference.email,
                )
                names.append(preference.kind)
            if names:
                self.groups.append((legend, [self[name] for name in names]))
