"""The second step of the JWT login and TOTP enrolment (services in core/otp.py)."""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.tokens import RefreshToken

from core import login_guard, otp


def otp_required_answer(user) -> dict:
    enrol = not otp.has_device(user)
    return {
        "otp_required": True,
        "enrolment_required": enrol,
        "otp_token": otp.issue_login_ticket(user),
        "detail": ("A second factor is required for this account and none is set up yet: POST otp_token to "
                   "/api/v1/auth/otp/enrol/, scan the QR code, then POST otp_token and code to "
                   "/api/v1/auth/otp/verify/."
                   if enrol else
                   "Enter the code from your authenticator app (or a backup code): POST otp_token and code to "
                   "/api/v1/auth/otp/verify/."),
    }


class OtpTicketSerializer(serializers.Serializer):
    otp_token = serializers.CharField(required=False, allow_blank=True,
                                      help_text="From the login answer; not needed (or empty) when logged in.")


class OtpVerifySerializer(serializers.Serializer):
    otp_token = serializers.CharField(help_text="From the login answer (valid 5 minutes).")
    code = serializers.CharField(max_length=32, help_text="6-digit TOTP code or a backup code.")


class OtpEnrolmentSerializer(serializers.Serializer):
    otpauth_url = serializers.CharField()
    secret = serializers.CharField()
    qr_svg = serializers.CharField(help_text="The otpauth URL as an SVG QR code.")
    otp_token = serializers.CharField()


class OtpTokensSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    backup_codes = serializers.ListField(child=serializers.CharField(), required=False,
                                         help_text="Only when this code confirmed a new authenticator; shown once.")


def _user_from_ticket(ticket: str):
    user = otp.read_login_ticket(ticket)
    if user is None:
        raise ValidationError({"otp_token": [gettext("This login token is invalid or expired; log in again.")]})
    return user


class _AuthScope:
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


@extend_schema(tags=["auth"])
class OtpEnrolView(_AuthScope, APIView):
    """Starts TOTP enrolment: a QR code (and the secret) for an authenticator app. Logged-in users send their
    credentials; a user who must enrol before logging in sends the `otp_token` of the login answer."""

    @extend_schema(request=OtpTicketSerializer, responses={201: OtpEnrolmentSerializer})
    def post(self, request):
        serializer = OtpTicketSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if request.user.is_authenticated:
            user = request.user
        elif serializer.validated_data.get("otp_token"):
            user = _user_from_ticket(serializer.validated_data["otp_token"])
            if otp.has_device(user):
                # A password alone must never add a second authenticator to an account that has one.
                raise ValidationError({"otp_token": [gettext("This account already has an authenticator; log "
                                                             "in with its code, then enrol another one.")]})
        else:
            raise ValidationError({"otp_token": [gettext("Log in first, or send the otp_token of the login "
                                                         "answer.")]})
        enrolment = otp.start_enrolment(user)
        return Response({"otpauth_url": enrolment.otpauth_url, "secret": enrolment.secret,
                         "qr_svg": enrolment.qr_svg, "otp_token": otp.issue_login_ticket(user)},
                        status=status.HTTP_201_CREATED)


@extend_schema(tags=["auth"])
class OtpVerifyView(_AuthScope, APIView):
    """The second step of the login: the code from the authenticator (or a backup code) → access and refresh
    tokens. The first right code of a new authenticator confirms it and answers its backup codes once."""

    @extend_schema(request=OtpVerifySerializer, responses={200: OtpTokensSerializer})
    def post(self, request):
        serializer = OtpVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = _user_from_ticket(serializer.validated_data["otp_token"])
        username, address = user.get_username(), login_guard.client_address(request)
        wait = login_guard.blocked_for(username, address)
        if wait:
            raise Throttled(wait=wait, detail=login_guard.lockout_message(wait))
        device, backup_codes = otp.verify_code(user, serializer.validated_data["code"])
        if device is None:
            login_guard.record_failure(username, address)
            raise ValidationError({"code": [gettext("This code is not valid; enter the current code from "
                                                    "your authenticator app or an unused backup code.")]})
        login_guard.record_success(username, address)
        refresh = RefreshToken.for_user(user)
        body = {"access": str(refresh.access_token), "refresh": str(refresh)}
        if backup_codes:
            body["backup_codes"] = backup_codes
        return Response(body)
