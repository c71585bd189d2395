"""Sign-in and password-reset forms for the pages, the admin and the API, all within the limits
of mentorship/services/auth.py."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from mentorship.errors import AuthenticationFailed, RateLimited
from mentorship.models import User
from mentorship.services.auth import (
    client_address,
    password_reset_allowed,
    password_was_reset,
    sign_in,
)

# The reset e-mail, one for the pages and the API (the templates live with the pages).
RESET_MAIL = {
    "subject_template_name": "frontend/account/password_reset_subject.txt",
    "email_template_name": "frontend/account/password_reset_email.txt",
    "html_email_template_name": "frontend/account/password_reset_email.html",
}


class LimitedAuthenticationForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = sign_in(
                    username=username, password=password, address=client_address(self.request)
                )
            except RateLimited as error:
                raise ValidationError(error.detail, code="rate_limited") from error
            except AuthenticationFailed as error:
                raise self.get_invalid_login_error() from error
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class LimitedAdminAuthenticationForm(LimitedAuthenticationForm, AdminAuthenticationForm):
    """The admin's form (staff only) with the same counting."""


class LimitedPasswordResetForm(PasswordResetForm):
    """Sends the reset link within the limits: RateLimited for a client address asking too often;
    nothing (and no sign of it) for a mailbox that had enough links for now."""

    def save(  # type: ignore[override]
        self, *, request: HttpRequest | None = None, **options: Any
    ) -> None:
        email = self.cleaned_data["email"]
        if not password_reset_allowed(email=email, address=client_address(request)):
            return
        super().save(request=request, **{**options, **RESET_MAIL})


class ResetPasswordForm(SetPasswordForm):
    """The new password from a reset link; it also clears the account's sign-in delay."""

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=commit)
        if commit:
            password_was_reset(user=user)
        return user
