"""JWT endpoints with the stricter `auth` throttle scope and failed-login limiting."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.throttling import ScopedRateThrottle
from rest_framework_simplejwt import views as jwt_views

from salesforecast import login_guard


class _AuthThrottled:
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


@extend_schema(tags=["auth"])
class LoginView(_AuthThrottled, jwt_views.TokenObtainPairView):
    """Username + password → access and refresh tokens. Repeated failures lock the username at that address."""

    def post(self, request, *args, **kwargs):
        username = str(request.data.get("username", ""))[:150] if hasattr(request.data, "get") else ""
        address = login_guard.client_address(request)
        wait = login_guard.blocked_for(username, address)
        if wait:
            raise Throttled(wait=wait, detail=login_guard.lockout_message(wait))
        try:
            response = super().post(request, *args, **kwargs)
        except AuthenticationFailed:
            login_guard.record_failure(username, address)
            raise
        if response.status_code == status.HTTP_200_OK:
            login_guard.record_success(username, address)
        return response


@extend_schema(tags=["auth"])
class RefreshView(_AuthThrottled, jwt_views.TokenRefreshView):
    """Refresh token → new access token (and a rotated refresh token; the old one is blacklisted)."""


@extend_schema(tags=["auth"])
class LogoutView(_AuthThrottled, jwt_views.TokenBlacklistView):
    """Blacklists the refresh token so it cannot be used again."""
