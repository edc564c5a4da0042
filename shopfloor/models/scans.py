"""Scan history: one row per scan and per scan action, refused ones included (who, what code, what happened)."""

from django.conf import settings
from django.db import models

from shopfloor.choices import ScanOutcome


class ScanEvent(models.Model):
    code = models.CharField(max_length=200, db_index=True)
    kind = models.CharField(max_length=40, blank=True, default="", db_index=True, help_text="product, location…")
    object_id = models.CharField(max_length=100, blank=True, default="")
    action = models.CharField(max_length=40, blank=True, default="", help_text="Empty for a plain scan.")
    outcome = models.CharField(max_length=20, choices=ScanOutcome.choices, db_index=True)
    detail = models.CharField(max_length=1000, blank=True, default="")
    parameters = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.action or 'scan'}: {self.outcome}"
