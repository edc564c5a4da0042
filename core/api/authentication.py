"""Session authentication for the API that honours the second factor: a session whose user must give a code
(core/otp.py) but has not (e.g. an admin logged in to the admin only to enrol) is not a login here."""

from __future__ import annotations

from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication

from core import otp


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
