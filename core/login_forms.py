"""Session login forms for the admin and the browsable API: the same failed-login policy as the JWT login
(core/login_guard.py) and the same second factor (core/otp.py), whichever door is used."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext

from core import login_guard, otp

OTP_HELP = "The 6-digit code from your authenticator app, or a backup code. Leave empty if you have none."


def _otp_field() -> forms.CharField:
    return forms.CharField(label="Code", required=False, max_length=32, help_text=OTP_HELP,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class GuardedLoginMixin:
    """Refuses a locked username+address before checking the password; counts wrong passwords and wrong codes;
    asks for the second factor where the user needs one."""

    # Whether a user who must enrol a second factor may log in to do so (the admin sends them to its enrolment
    # page and shows nothing else until it is done); elsewhere they are refused.
    allows_enrolment = False

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "")[:150]
        address = login_guard.client_address(self.request) if self.request is not None else ""
        wait = login_guard.blocked_for(username, address)
        if wait:
            raise forms.ValidationError(login_guard.lockout_message(wait), code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            if getattr(error, "code", None) == "invalid_login":
                login_guard.record_failure(username, address)
            raise
        user = self.get_user()
        if otp.needs_otp(user):
            if otp.has_device(user):
                device, _ = otp.verify_code(user, self.cleaned_data.get("otp_token", ""))
                if device is None:
                    login_guard.record_failure(username, address)
                    raise forms.ValidationError(
                        gettext("Enter the current code from your authenticator app (or an unused backup "
                                "code)."),
                        code="invalid_otp")
                user.otp_device = device  # django-otp marks the session verified on login
            elif not self.allows_enrolment:
                raise forms.ValidationError(
                    gettext("This account must set up a second factor first: log in to the admin (/admin/) "
                            "and follow its enrolment page, or use POST /api/v1/auth/login/ and "
                            "/api/v1/auth/otp/enrol/."),
                    code="otp_enrolment_required")
        login_guard.record_success(username, address)
        return cleaned


class GuardedAuthenticationForm(GuardedLoginMixin, AuthenticationForm):
    """The browsable API's login (/api-auth/login/)."""

    otp_token = _otp_field()


class GuardedAdminAuthenticationForm(GuardedLoginMixin, AdminAuthenticationForm):
    """The admin's login (/admin/login/)."""

    otp_token = _otp_field()
    allows_enrolment = True
