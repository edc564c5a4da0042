"""WebSocket authentication by JWT: a token in ``?token=`` or ``Authorization: Bearer`` when no session user.

Wraps channels' AuthMiddlewareStack (session cookie) so both the admin's session and API clients' tokens work.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser


def _token(scope: dict[str, Any]) -> str:
    query = parse_qs(scope.get("query_string", b"").decode())
    if query.get("token"):
        return query["token"][0]
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            kind, _, token = value.decode().partition(" ")
            if kind.lower() == "bearer":
                return token.strip()
    return ""


@database_sync_to_async
def user_for_token(raw: str):
    from rest_framework_simplejwt.exceptions import TokenError
    from rest_framework_simplejwt.settings import api_settings
    from rest_framework_simplejwt.tokens import AccessToken

    try:
        token = AccessToken(raw)
    except TokenError:
        return AnonymousUser()
    user_id = token.get(api_settings.USER_ID_CLAIM)
    user = get_user_model().objects.filter(**{api_settings.USER_ID_FIELD: user_id}, is_active=True).first()
    return user or AnonymousUser()


class JwtAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        user = scope.get("user")
        if (user is None or not user.is_authenticated) and (raw := _token(scope)):
            scope = {**scope, "user": await user_for_token(raw)}
        return await super().__call__(scope, receive, send)
