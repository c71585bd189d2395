"""What every page form shares: domain errors shown next to their fields."""

from __future__ import annotations

from django import forms

from mentorship.errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's error on the form: each message next to its field when the form has that
    field, otherwise at the top of the form. The form keeps what was typed."""
    placed = False
    for field, messages in error.fields.items():
        name = field if field in form.fields else None
        for message in messages:
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, error.detail)
