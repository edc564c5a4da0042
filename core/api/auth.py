"""JWT endpoints with the stricter `auth` throttle scope and failed-login limiting."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework_simplejwt import views as jwt_views
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from core import login_guard, otp
from core.api.otp_views import otp_required_answer


class _AuthThrottled:
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


@extend_schema(tags=["auth"])
class LoginView(_AuthThrottled, jwt_views.TokenObtainPairView):
    """Username + password → access and refresh tokens, or `otp_required` with an `otp_token` when the user must
    give a second factor (then POST /api/v1/auth/otp/verify/). Repeated failures lock the username at that address."""

    def post(self, request, *args, **kwargs):
        username = str(request.data.get("username", ""))[:150] if hasattr(request.data, "get") else ""
        address = login_guard.client_address(request)
        wait = login_guard.blocked_for(username, address)
        if wait:
            raise Throttled(wait=wait, detail=login_guard.lockout_message(wait))
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except AuthenticationFailed:
            login_guard.record_failure(username, address)
            raise
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        login_guard.record_success(username, address)
        if otp.needs_otp(serializer.user):
            # The password was right; tokens only come with the code (POST /api/v1/auth/otp/verify/).
            return Response(otp_required_answer(serializer.user), status=status.HTTP_200_OK)
        return Response(serializer.validated_data, status=status.HTTP_200_OK)


@extend_schema(tags=["auth"])
class RefreshView(_AuthThrottled, jwt_views.TokenRefreshView):
    """Refresh token → new access token (and a rotated refresh token; the old one is blacklisted)."""


@extend_schema(tags=["auth"])
class LogoutView(_AuthThrottled, jwt_views.TokenBlacklistView):
    """Blacklists the refresh token so it cannot be used again."""
