from __future__ import annotations

from django import forms

from mentorship.models import Role


class SignUpForm(forms.Form):
    join_code = forms.CharField(
        max_length=32, help_text="Your programme coordinator gives you this."
    )
    role = forms.ChoiceField(choices=[(Role.MENTEE, "Mentee"), (Role.MENTOR, "Mentor")])
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    username = forms.CharField(max_length=150)
    email = forms.EmailField()
    password = forms.CharField(widget=forms.PasswordInput, min_length=8)
