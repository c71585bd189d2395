from __future__ import annotations

from django.contrib.auth import logout
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.programmes import (
    CredentialsSerializer,
    DetailSerializer,
    PasswordResetRequestSerializer,
    SignupResultSerializer,
    SignupSerializer,
    TokenSerializer,
)
from api.views.base import caller, validated
from mentorship.auth_forms import LimitedPasswordResetForm
from mentorship.services import auth


class TokenView(APIView):
    """Exchange a username and password for an API token (`Authorization: Token …`)."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    error_codes = (400, 429)

    @extend_schema(
        tags=["auth"], request=CredentialsSerializer, responses={200: TokenSerializer}, auth=[]
    )
    def post(self, request: Request) -> Response:
        credentials = validated(request, CredentialsSerializer)
        user = auth.sign_in(
            username=credentials["username"],
            password=credentials["password"],
            address=auth.client_address(request),
        )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class SignupView(APIView):
    """Create an account with a programme's join code, as a mentee or a mentor."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    error_codes = (400, 429)

    @extend_schema(
        tags=["auth"], request=SignupSerializer, responses={201: SignupResultSerializer}, auth=[]
    )
    def post(self, request: Request) -> Response:
        data = validated(request, SignupSerializer)
        user = auth.sign_up(address=auth.client_address(request), **data)
        membership = user.memberships.select_related("programme").get()
        token = Token.objects.create(user=user)
        return Response(
            {
                "id": user.pk,
                "username": user.username,
                "email": user.email,
                "programme": membership.programme.slug,
                "role": membership.role,
                "token": token.key,
            },
            status=status.HTTP_201_CREATED,
        )


class LogoutView(APIView):
    """Sign out: the API token stops working at once and the browser session ends."""

    error_codes = (401, 403)

    @extend_schema(tags=["auth"], request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        Token.objects.filter(user=caller(request)).delete()
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


RESET_SENT = (
    "If an account has this e-mail address, a link to choose a new password is on its way. "
    "The link works once, for a few days."
)


class PasswordResetView(APIView):
    """Ask for a password-reset link by e-mail. The answer is the same whether or not an account
    has the address; the link opens the pages' form to choose a new password."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    error_codes = (400, 429)

    @extend_schema(
        tags=["auth"],
        request=PasswordResetRequestSerializer,
        responses={202: DetailSerializer},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = validated(request, PasswordResetRequestSerializer)
        form = LimitedPasswordResetForm(data={"email": data["email"]})
        if form.is_valid():
            form.save(request=request._request, use_https=request.is_secure())
        return Response({"detail": RESET_SENT}, status=status.HTTP_202_ACCEPTED)
