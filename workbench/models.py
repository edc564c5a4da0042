"""A planner's own settings: the language and time zone every screen and export uses for them."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone; use a name such as Asia/Almaty or "
                                "Europe/Istanbul.") % {"value": value})


class PlannerProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="planner_profile")
    language = models.CharField(
        _("language"), max_length=10, blank=True, default="", choices=settings.LANGUAGES,
        help_text=_("Empty: the browser's language."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, default="", validators=[validate_time_zone],
        help_text=_("Empty: the site's time zone. For example Asia/Almaty or Europe/Istanbul."),
    )

    class Meta:
        verbose_name = _("planner profile")
        verbose_name_plural = _("planner profiles")

    def __str__(self) -> str:
        return str(self.user)
