"""Server-rendered pages. Views only translate between HTTP and the services/selectors."""

from __future__ import annotations

from typing import cast

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from frontend.dashboard import dashboard_for
from frontend.forms import SignUpForm
from mentorship.errors import DomainError
from mentorship.models import User
from mentorship.services.programmes import sign_up


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "frontend/landing.html", {"form": SignUpForm()})
    return render(request, "frontend/dashboard.html", dashboard_for(cast(User, request.user)))


def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = sign_up(**form.cleaned_data)
        except DomainError as error:
            for field, messages in error.fields.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
            if not error.fields:
                form.add_error(None, error.detail)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("home")
    return render(
        request, "frontend/signup.html", {"form": form}, status=400 if form.errors else 200
    )
