"""Session login forms for the admin and the browsable API, guarded by the same failed-login policy as the JWT
login (salesforecast/login_guard.py): one policy, one set of counters, whichever door is used."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from salesforecast import login_guard


class GuardedLoginMixin:
    """Refuses a locked username+address before checking the password; counts wrong passwords."""

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
        login_guard.record_success(username, address)
        return cleaned


class GuardedAuthenticationForm(GuardedLoginMixin, AuthenticationForm):
    """The browsable API's login (/api-auth/login/)."""


class GuardedAdminAuthenticationForm(GuardedLoginMixin, AdminAuthenticationForm):
    """The admin's login (/admin/login/)."""
