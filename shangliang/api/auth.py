"""Bearer-token authentication for the API (tokens come from ``POST /auth/token``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from shangliang.accounts.tokens import token_user

MAX_TOKEN_LENGTH = 200


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


def bearer_token(request: HttpRequest) -> str:
    """The raw token the (authenticated) request carried."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""
