"""My data: what the platform keeps about me, a download of all of it, and erasing my account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from frontend.forms.base import add_domain_error
from frontend.forms.privacy import EraseForm
from frontend.views.base import login_required, signed_in
from mentorship.errors import DomainError
from mentorship.selectors.privacy import kept_about
from mentorship.services import auth
from mentorship.services import privacy as privacy_services

TEMPLATE = "frontend/account/my_data.html"


def _page(request: HttpRequest, form: EraseForm, *, status: int = 200) -> HttpResponse:
    context = {"form": form, "kept": kept_about(signed_in(request))}
    return render(request, TEMPLATE, context, status=status)


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return _page(request, EraseForm())


@login_required
def my_data_export(request: HttpRequest) -> HttpResponse:
    """All my data as a JSON file (the same document as GET /api/v1/me/export/)."""
    data = privacy_services.export_data(actor=signed_in(request))
    response = JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2})
    filename = f"my-mentorship-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def my_data_erase(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("my-data")
    form = EraseForm(request.POST)
    if form.is_valid():
        try:
            privacy_services.erase_myself(
                actor=signed_in(request),
                password=form.cleaned_data["password"],
                address=auth.client_address(request),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            logout(request)
            messages.success(request, "Your account and your data are erased. Goodbye.")
            return redirect("home")
    return _page(request, form, status=400)


urlpatterns = [
    path("my-data/", my_data, name="my-data"),
    path("my-data/export.json", my_data_export, name="my-data-export"),
    path("my-data/erase/", my_data_erase, name="my-data-erase"),
]
