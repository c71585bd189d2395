"""Sign-in forms for the pages and the admin, counting attempts like the API does."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from mentorship.errors import AuthenticationFailed, RateLimited
from mentorship.services.auth import client_address, sign_in


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
