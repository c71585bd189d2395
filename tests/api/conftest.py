from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from mentorship.models import User


class Api:
    """A JSON client for one caller (or nobody)."""

    def __init__(self, user: User | None = None) -> None:
        self.client = APIClient()
        if user is not None:
            self.client.force_authenticate(user)

    def call(self, method: str, path: str, data: Any = None, **extra: Any) -> Any:
        url = path if path.startswith("/") else f"/api/v1/{path}"
        return getattr(self.client, method.lower())(url, data, format="json", **extra)

    def get(self, path: str, **extra: Any) -> Any:
        return self.call("GET", path, **extra)

    def post(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self.call("POST", path, data, **extra)

    def patch(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self.call("PATCH", path, data, **extra)

    def put(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self.call("PUT", path, data, **extra)

    def delete(self, path: str, **extra: Any) -> Any:
        return self.call("DELETE", path, **extra)


@pytest.fixture
def api() -> type[Api]:
    return Api


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The one error shape of the API."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) <= {"error", "detail", "fields"}
    assert isinstance(body["error"], str)
    assert isinstance(body["detail"], str)
    if code is not None:
        assert body["error"] == code, body
    return body
