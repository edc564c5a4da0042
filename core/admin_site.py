"""The admin site with the second factor: a user who must give a code (core/otp.py) sees nothing until
the session is verified, and one who must enrol first is sent to the enrolment page (QR code, then backup codes)."""

from __future__ import annotations

import django_otp
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from core import otp


class OTPAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        return not otp.needs_otp(request.user) or request.user.is_verified()

    @staticmethod
    def must_enrol(request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_authenticated and user.is_active and user.is_staff and otp.needs_otp(user)
                    and not otp.has_device(user))

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        if request.method == "GET" and self.must_enrol(request):
            return redirect("admin:otp-enrol")
        return super().login(request, extra_context)

    def get_urls(self):
        return [path("otp/enrol/", self.otp_enrol_view, name="otp-enrol"), *super().get_urls()]

    @method_decorator(never_cache)
    @method_decorator(csrf_protect)
    def otp_enrol_view(self, request: HttpRequest) -> HttpResponse:
        """Enrol an authenticator: scan the QR code, type the first code, get the backup codes (shown once)."""
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return redirect(f"{reverse('admin:login')}?next={reverse('admin:otp-enrol')}")
        if otp.has_device(user) and not user.is_verified():
            # Adding an authenticator needs the existing one: log in with its code first.
            return redirect(f"{reverse('admin:login')}?next={reverse('admin:otp-enrol')}")
        context = {**self.each_context(request), "title": "Set up your second factor"}
        if request.method == "POST":
            device, backup_codes = otp.verify_code(user, request.POST.get("code", ""))
            if device is not None and backup_codes:
                django_otp.login(request, device)
                context.update(backup_codes=backup_codes, title="Second factor ready")
                return TemplateResponse(request, "admin/otp_enrol.html", context)
            context["error"] = "That code is not valid; scan the new QR code below and enter its current code."
        enrolment = otp.start_enrolment(user)
        # The SVG is made here from our own otpauth URL: no user input reaches it.
        context.update(qr_svg=mark_safe(enrolment.qr_svg), secret=enrolment.secret)
        return TemplateResponse(request, "admin/otp_enrol.html", context)
