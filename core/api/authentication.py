"""Session authentication for the API that honours the second factor: a session whose user must give a code
(core/otp.py) but has not (e.g. an admin logged in to the admin only to enrol) is not a login here; and JWT
authentication that activates the user's chosen language."""

from __future__ import annotations

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework.authentication import SessionAuthentication
from rest_framework_simplejwt.authentication import JWTAuthentication

from core import otp
from core.languages import activate_preferred_language


class PreferredLanguageJWTAuthentication(JWTAuthentication):
    """JWT authentication that then activates the user's chosen language (the middleware could not know the user)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            activate_preferred_language(request, result[0])
        return result


class OTPSessionAuthentication(SessionAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        verified = getattr(user, "is_verified", None)
        if callable(verified) and verified():
            return result
        if otp.needs_otp(user):
            return None
        return result


class OTPSessionScheme(SessionScheme):
    """Documents it in the OpenAPI schema as the session cookie it is."""

    target_class = "core.api.authentication.OTPSessionAuthentication"


class PreferredLanguageJWTScheme(SimpleJWTScheme):
    """Documents it in the OpenAPI schema as the bearer JWT it is."""

    target_class = "core.api.authentication.PreferredLanguageJWTAuthentication"
