"""A planner's own settings: the language and time zone every screen and export uses for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.time_zones import validate_time_zone

__all__ = ["PlannerProfile", "validate_time_zone"]  # validate_time_zone: named by migration 0001


class PlannerProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="planner_profile")
    language = models.CharField(
        _("language"), max_length=10, blank=True, default="", choices=settings.LANGUAGES,
        help_text=_("Empty: the browser's language."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, default="", validators=[validate_time_zone],
        help_text=_("Empty: your home location's time zone, else the site's. For example Asia/Almaty or "
                    "Europe/Istanbul."),
    )
    home_location = models.ForeignKey(
        "branches.Location", verbose_name=_("home location"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("Where you work: its time zone is yours unless you choose one."),
    )

    class Meta:
        verbose_name = _("planner profile")
        verbose_name_plural = _("planner profiles")

    def __str__(self) -> str:
        return str(self.user)
