from __future__ import annotations

from django import forms

from mentorship.models import Role

ROLE_CHOICES = [
    (Role.MENTEE, "Mentee: I am looking for a mentor"),
    (Role.MENTOR, "Mentor: I can mentor people"),
]


class JoinForm(forms.Form):
    """A signed-in member joins another programme (or takes another role) with its code."""

    join_code = forms.CharField(
        max_length=32, help_text="Your programme coordinator gives you this, e.g. ABCD-2345."
    )
    role = forms.ChoiceField(choices=ROLE_CHOICES, widget=forms.RadioSelect, initial=Role.MENTEE)


class SignUpForm(JoinForm):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    username = forms.CharField(max_length=150, help_text="What you sign in with.")
    email = forms.EmailField(
        help_text="For password resets and notifications; never shown to others."
    )
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=True),
        min_length=8,
        help_text="At least 8 characters; not only digits, and not a common password.",
    )
