"""OpenAPI: every operation documents its authentication and the error responses it can give."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework.permissions import AllowAny

from api.serializers.common import ErrorSerializer

BODY_METHODS = {"POST", "PUT", "PATCH"}


class AutoSchema(openapi.AutoSchema):
    def error_codes(self) -> set[int]:
        codes: set[int] = set(getattr(self.view, "error_codes", ()))
        signed_in = not any(isinstance(p, AllowAny) for p in self.view.get_permissions())
        if signed_in:
            codes |= {401, 403}  # no credentials; a role rule or a missing CSRF token
        if self.method in BODY_METHODS:
            codes |= {400, 415}  # invalid or malformed body; not JSON
        if "{" in self.path:
            codes.add(404)  # outside the caller's reach, or no such object
        if self.method == "GET" and self._is_list_view():
            codes |= {400, 404}  # a bad filter; a page past the end
        return codes

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code in sorted(self.error_codes()):
            responses.setdefault(
                str(code),
                self._get_response_for_code(ErrorSerializer, str(code), direction=direction),
            )
        return responses


class UniqueListFieldExtension(OpenApiSerializerFieldExtension):
    """Document `UniqueListField` as the list it is, plus `uniqueItems`."""

    target_class = "api.fields.UniqueListField"

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = auto_schema._map_serializer_field(
            self.target, direction, bypass_extensions=True
        )
        schema["uniqueItems"] = True
        return schema
