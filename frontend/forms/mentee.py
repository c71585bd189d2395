"""The forms of one's own profile (the wizard's steps), the questionnaire and the shortlist.

Each form validates what a person typed and its `submit` calls exactly one service; a domain
error goes back onto the form (next to its field when there is one) by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms

from mentorship import tipi
from mentorship.errors import ValidationFailed
from mentorship.models import Position, Profile, User
from mentorship.selectors.profiles import own_positions, position_entry
from mentorship.services.profiles import (
    allowed_topics,
    save_personality,
    set_positions,
    update_profile,
)
from mentorship.services.proposals import request_proposal
from mentorship.taxonomy import (
    COMMON_LANGUAGES,
    LANGUAGE_NAMES,
    TOPICS,
    MeetingFormat,
    Seniority,
    timezone_names,
    topic_label,
)

MONTH = re.compile(r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$")
MONTH_HELP = "YYYY-MM, such as 2019-04"


# Profile wizard ---------------------------------------------------------------------------


class AboutForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    headline = forms.CharField(
        max_length=160,
        required=False,
        help_text="One line others see first, e.g. “PMO analyst moving into programme management”.",
    )
    about = forms.CharField(
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Your story and what you want next: the matcher reads it.",
    )
    seniority = forms.TypedChoiceField(
        choices=Seniority.choices,
        coerce=int,
        help_text="Where you are in your career today.",
    )

    @staticmethod
    def initial_for(user: User, profile: Profile) -> dict[str, Any]:
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "headline": profile.headline,
            "about": profile.about,
            "seniority": profile.seniority,
        }

    def submit(self, actor: User) -> None:
        update_profile(actor=actor, **self.cleaned_data)


class MonthField(forms.CharField):
    """A month as YYYY-MM (the browser's month picker where it has one)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
    default_error_messages = {"invalid": f"Use {MONTH_HELP}."}

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not MONTH.fullmatch(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class PositionForm(forms.Form):
    """Add a position, or change one (`pk`), in the career history. The service takes the
    whole history: this form sends the other positions unchanged along with this one."""

    title = forms.CharField(max_length=120, help_text="e.g. Project Manager, Head of PMO.")
    organisation = forms.CharField(max_length=120, required=False)
    industry = forms.CharField(
        max_length=80, required=False, help_text="e.g. healthcare, energy, financial services."
    )
    start = MonthField(help_text=f"When you started: {MONTH_HELP}.")
    end = MonthField(
        required=False, help_text=f"When it ended: {MONTH_HELP}. Empty if you are still there."
    )
    summary = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you did and achieved there.",
    )

    def __init__(
        self, *args: Any, others: Sequence[Mapping[str, Any]], pk: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.others = list(others)
        self.pk = pk

    @staticmethod
    def initial_for(position: Position) -> dict[str, Any]:
        return {k: v for k, v in position_entry(position).items() if k != "id"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end comes before the start.")
        same = ("title", "organisation", "start", "end")
        mine = tuple(str(data.get(k) or "").strip().lower() for k in same)
        if any(tuple(str(o.get(k) or "").lower() for k in same) == mine for o in self.others):
            raise forms.ValidationError("This position is already in your career history.")
        return data

    def submit(self, actor: User) -> None:
        entry: dict[str, Any] = {**self.cleaned_data, "end": self.cleaned_data["end"] or None}
        if self.pk is not None:
            entry["id"] = self.pk
        try:
            set_positions(actor=actor, positions=[*self.others, entry])
        except ValidationFailed as error:
            raise _for_entry(error, len(self.others), self.fields) from error


def _for_entry(error: ValidationFailed, index: int, fields: Iterable[str]) -> ValidationFailed:
    """The service names problems `positions[i]` with "field: message" lines; put those of this
    form's entry next to its fields."""
    placed: dict[str, list[str]] = {}
    for line in error.fields.get(f"positions[{index}]", []):
        field, _, message = line.partition(": ")
        if field in fields and message:
            placed.setdefault(field, []).append(message[:1].upper() + message[1:])
        else:
            placed.setdefault("__all__", []).append(line)
    return ValidationFailed(error.detail, fields=placed)


class RemovePositionForm(forms.Form):
    position = forms.ModelChoiceField(
        queryset=Position.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": "That position is not in your career history any more.",
            "required": "Say which position to remove.",
        },
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = own_positions(user)  # type: ignore[attr-defined]

    def submit(self, actor: User) -> None:
        if not self.is_valid():
            raise ValidationFailed(str(self.errors["position"][0]))
        gone = self.cleaned_data["position"].pk
        keep = [position_entry(p) for p in own_positions(actor) if p.pk != gone]
        set_positions(actor=actor, positions=keep)


def _lines(value: str) -> list[str]:
    """One entry per line (commas also separate), blanks dropped, repeats kept once."""
    seen: dict[str, str] = {}
    for item in re.split(r"[\n,]", value or ""):
        item = item.strip()
        if item:
            seen.setdefault(item.lower(), item)
    return list(seen.values())


class SkillsForm(forms.Form):
    skills = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One per line, e.g. risk management, stakeholder engagement, Jira.",
    )
    certifications = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line, e.g. PRINCE2 Practitioner, PMP.",
    )

    @staticmethod
    def initial_for(profile: Profile) -> dict[str, Any]:
        return {
            "skills": "\n".join(profile.skills),
            "certifications": "\n".join(profile.certifications),
        }

    def clean_skills(self) -> list[str]:
        return _lines(self.cleaned_data["skills"])

    def clean_certifications(self) -> list[str]:
        return _lines(self.cleaned_data["certifications"])

    def submit(self, actor: User) -> None:
        update_profile(actor=actor, **self.cleaned_data)


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose first group is always shown and the others folded in a <details>."""

    template_name = "frontend/widgets/grouped_checkboxes.html"


def topic_choices(user: User) -> list[tuple[str, str]]:
    """The topics of the user's programmes: the shared taxonomy in its order, then extras."""
    order = {slug: i for i, slug in enumerate(TOPICS)}
    topics = sorted(allowed_topics(user), key=lambda s: (order.get(s, len(order)), s))
    return [(slug, topic_label(slug)) for slug in topics]


def language_choices(selected: Iterable[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Common and already chosen languages first, the rest folded; unknown codes kept."""
    names = {**LANGUAGE_NAMES, **{c: c for c in selected if c not in LANGUAGE_NAMES}}
    first = [c for c in COMMON_LANGUAGES if c in names]
    first += sorted((c for c in selected if c not in first), key=lambda c: names[c])
    rest = [c for c in names if c not in first]
    label = lambda c: f"{names[c]} ({c})"  # noqa: E731
    return [
        ("Common languages", [(c, label(c)) for c in first]),
        ("More languages", [(c, label(c)) for c in rest]),
    ]


class PreferencesForm(forms.Form):
    topics_wanted = forms.MultipleChoiceField(
        label="Topics you want help with",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-grid"}),
        help_text="The matcher looks for mentors who offer these.",
    )
    languages = forms.MultipleChoiceField(
        label="Languages you can be mentored in",
        widget=GroupedCheckboxes,
        error_messages={"required": "Choose at least one language."},
        help_text="You are only matched with mentors who share one of them.",
    )
    timezone = forms.ChoiceField(label="Time zone", help_text="Where you usually work from.")
    formats = forms.MultipleChoiceField(
        label="How you like to meet",
        choices=MeetingFormat.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-grid"}),
    )

    def __init__(self, *args: Any, user: User, wants_topics: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        selected = self["languages"].value() or []
        self.fields["languages"].choices = language_choices(selected)  # type: ignore[attr-defined]
        zones = list(timezone_names())
        current = self.initial.get("timezone")
        if current and current not in zones:
            zones.insert(0, current)
        self.fields["timezone"].choices = [(z, z.replace("_", " ")) for z in zones]  # type: ignore[attr-defined]
        if wants_topics:
            self.fields["topics_wanted"].choices = topic_choices(user)  # type: ignore[attr-defined]
        else:
            del self.fields["topics_wanted"]  # a mentor's topics are on their own page

    @staticmethod
    def initial_for(profile: Profile) -> dict[str, Any]:
        return {
            "topics_wanted": list(profile.topics_wanted),
            "languages": list(profile.languages),
            "timezone": profile.timezone,
            "formats": list(profile.formats),
        }

    def submit(self, actor: User) -> None:
        update_profile(actor=actor, **self.cleaned_data)


# Questionnaire ----------------------------------------------------------------------------

CONSENT = (
    "I agree that my answers are stored and used only to match me with mentors. I can withdraw "
    "this consent at any time: my answers are then erased."
)


class QuestionnaireForm(forms.Form):
    """The ten TIPI items on the 1-7 scale, each a radio group, and explicit consent."""

    consent = forms.BooleanField(
        label=CONSENT,
        error_messages={"required": "Tick the consent box to store your answers."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        consent = self.fields.pop("consent")
        for number, item in enumerate(tipi.ITEMS, start=1):
            self.fields[f"item_{number}"] = forms.TypedChoiceField(
                label=f"{number}. {item}",
                choices=tipi.SCALE,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "scale"}),
                error_messages={"required": "Choose how much you agree with this statement."},
            )
        self.fields["consent"] = consent

    @staticmethod
    def initial_for(answers: Sequence[int] | None) -> dict[str, Any]:
        return {f"item_{n}": a for n, a in enumerate(answers or (), start=1)}

    def statements(self) -> list[forms.BoundField]:
        return [self[f"item_{n}"] for n in range(1, len(tipi.ITEMS) + 1)]

    def submit(self, actor: User) -> None:
        answers = [self.cleaned_data[f"item_{n}"] for n in range(1, len(tipi.ITEMS) + 1)]
        save_personality(actor=actor, answers=answers, consent=self.cleaned_data["consent"])


# Shortlist --------------------------------------------------------------------------------


class RequestForm(forms.Form):
    """Ask one suggested mentor, with a message. Prefixed by the proposal, so each card's form
    has its own ids."""

    message = forms.CharField(
        label="Your message",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you hope to work on together, and why them.",
        error_messages={"required": "Write a few words to the mentor."},
    )

    def __init__(self, *args: Any, proposal_pk: int, **kwargs: Any) -> None:
        kwargs["prefix"] = f"proposal-{proposal_pk}"
        super().__init__(*args, **kwargs)

    def submit(self, actor: User, proposal: Any) -> None:
        request_proposal(actor=actor, proposal=proposal, message=self.cleaned_data["message"])
