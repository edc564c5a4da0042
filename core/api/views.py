from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core import services
from core.api.serializers import (
    DetailSerializer,
    HealthSerializer,
    MeSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetRequestSerializer,
)


class HealthView(APIView):
    """Liveness + database readiness for load balancers; 503 when the database does not answer."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []  # polled by load balancers; it answers from one trivial query

    @extend_schema(responses={200: HealthSerializer, 503: HealthSerializer}, tags=["health"])
    def get(self, request):
        ok, detail = services.check_database()
        body = {"status": "ok" if ok else "unavailable", "database": "ok" if ok else "unavailable"}
        if not ok:
            body["detail"] = detail
        return Response(body, status=status.HTTP_200_OK if ok else status.HTTP_503_SERVICE_UNAVAILABLE)


class PublicHealthView(HealthView):
    """The same check at /health for load balancers; documented once, under /api/v1/health/."""

    schema = None


class MeView(generics.RetrieveAPIView):
    serializer_class = MeSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self):
        return self.request.user


class PasswordResetRequestView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(request=PasswordResetRequestSerializer, responses={202: DetailSerializer}, tags=["auth"])
    def post(self, request):
        serializer = PasswordResetRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.send_password_reset(serializer.validated_data["email"])
        return Response(
            {"detail": gettext("If an account uses this address, a reset link has been sent to it.")},
            status=status.HTTP_202_ACCEPTED,
        )


class PasswordResetConfirmView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(request=PasswordResetConfirmSerializer, responses={200: DetailSerializer}, tags=["auth"])
    def post(self, request):
        serializer = PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.complete_password_reset(serializer.validated_data["user"], serializer.validated_data["new_password"])
        return Response({"detail": gettext("Password changed. Log in with the new password.")})


class ApiRootView(APIView):
    """Entry points of the API, so the browsable API has a front door."""

    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request):
        base = request.build_absolute_uri("/api/v1/")
        return Response(
            {
                "docs": base + "docs/",
                "schema": base + "schema/",
                "auth": {name: base + f"auth/{name}/" for name in ("login", "refresh", "logout", "me")},
                "health": request.build_absolute_uri("/health"),
            }
        )
