"""Everyone's pages: landing, sign up and join with a code, sign in and out, password reset,
and the home page with the first-run checklist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy
from django.utils import timezone

from frontend.dashboard import dashboard_for
from frontend.forms.account import JoinForm, SignUpForm
from frontend.forms.base import add_domain_error
from frontend.views.base import login_required, signed_in
from mentorship.auth_forms import (
    LimitedAuthenticationForm,
    LimitedPasswordResetForm,
    ResetPasswordForm,
)
from mentorship.errors import DomainError, RateLimited
from mentorship.selectors.navigation import places_of
from mentorship.services import auth
from mentorship.services.programmes import join_programme


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "frontend/account/landing.html")
    user = signed_in(request)
    context = dashboard_for(user, places_of(user), today=timezone.localdate())
    return render(request, "frontend/account/home.html", context)


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("join")  # one account, several programmes
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = auth.sign_up(address=auth.client_address(request), **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, "Welcome! Start with your profile: it is what the matcher reads."
            )
            return redirect("home")
    status = 400 if form.errors else 200
    return render(request, "frontend/account/signup.html", {"form": form}, status=status)


@login_required
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = join_programme(user=signed_in(request), **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            role = membership.get_role_display().lower()
            messages.success(request, f"You are a {role} of {membership.programme.name}.")
            return redirect("home")
    status = 400 if form.errors else 200
    return render(request, "frontend/account/join.html", {"form": form}, status=status)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view with the limits: too many requests from one address is a form error."""

    form_class = LimitedPasswordResetForm

    def form_valid(self, form: LimitedPasswordResetForm) -> HttpResponse:  # type: ignore[override]
        try:
            return super().form_valid(form)
        except RateLimited as error:
            form.add_error(None, error.detail)
            return self.render_to_response(self.get_context_data(form=form), status=429)


ACCOUNT = "frontend/account"

urlpatterns = [
    path("", home, name="home"),
    path("signup/", signup, name="signup"),
    path("join/", join, name="join"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LimitedAuthenticationForm,
            template_name=f"{ACCOUNT}/login.html",
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        PasswordResetView.as_view(
            template_name=f"{ACCOUNT}/password_reset.html",
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name=f"{ACCOUNT}/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name=f"{ACCOUNT}/password_reset_confirm.html",
            form_class=ResetPasswordForm,
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name=f"{ACCOUNT}/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
