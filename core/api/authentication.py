"""Session authentication for the API that honours the second factor: a session whose user must give a code
(core/otp.py) but has not (e.g. an admin logged in to the admin only to enrol) is not a login here; and JWT
authentication that activates the user's chosen language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import get_md5_hash_password

from core import otp
from core.auth_cache import cached_user
from core.languages import activate_language, preferred_language_of


class PreferredLanguageJWTAuthentication(JWTAuthentication):
    """JWT authentication that then activates the user's chosen language (the middleware could not know the user).

    The user, the language and the permission set come from one shared-cache read (core/auth_cache.py), not from
    two queries and two cache reads on every request; any change to them is seen on the next request.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            activate_language(request, getattr(result[0], "_sf_language", ""))
        return result

    def get_user(self, validated_token):
        user_id = validated_token.get(api_settings.USER_ID_CLAIM)
        if user_id is None:
            return super().get_user(validated_token)  # its refusal, in its words
        user, language = cached_user(user_id, load=lambda: super(PreferredLanguageJWTAuthentication, self)
                                     .get_user(validated_token), language_of=preferred_language_of)
        if api_settings.CHECK_REVOKE_TOKEN and validated_token.get(
                api_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password):
            raise AuthenticationFailed(_("The user's password has been changed."), code="password_changed")
        user._sf_language = language
        return user


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
