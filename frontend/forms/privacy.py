from __future__ import annotations

from django import forms


class EraseForm(forms.Form):
    """Erasing one's account: the password again, and saying one understands."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="I understand that my account and my data are erased for good.",
        error_messages={"required": "Tick this box to confirm."},
    )
