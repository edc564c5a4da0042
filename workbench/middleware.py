"""Activates the logged-in user's language and time zone (PlannerProfile) for the request.

Without a profile: the browser's language (LocaleMiddleware, which runs first) and settings.TIME_ZONE; a profile
without a zone takes its home location's. The preferences are kept in the session once read, so a request costs
no extra query (a changed location zone reaches a session at its next login or preferences save).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

SESSION_KEY = "workbench_prefs"


def preferences_of(user) -> dict[str, str]:
    """The user's language and time zone: the zone they chose, else their home location's (its own or the
    nearest ancestor's), else empty (settings.TIME_ZONE)."""
    from branches.services.time_zones import effective_time_zone
    from workbench.models import PlannerProfile

    profile = PlannerProfile.objects.filter(user=user).select_related("home_location").first()
    if profile is None:
        return {"language": "", "time_zone": ""}
    zone = profile.time_zone
    if not zone and profile.home_location is not None:
        zone = effective_time_zone(profile.home_location)
    return {"language": profile.language, "time_zone": zone}


def preferred_language(user) -> str:
    """The language the user chose on My preferences, or "" (for API calls authenticated by a JWT)."""
    from workbench.models import PlannerProfile

    return PlannerProfile.objects.filter(user=user).values_list("language", flat=True).first() or ""


def forget_preferences(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


class UserPreferencesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        prefs = None
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            prefs = request.session.get(SESSION_KEY)
            if prefs is None or prefs.get("user") != user.pk:
                prefs = {**preferences_of(user), "user": user.pk}
                request.session[SESSION_KEY] = prefs
        if prefs and prefs.get("language"):
            translation.activate(prefs["language"])
            request.LANGUAGE_CODE = translation.get_language()
        if prefs and prefs.get("time_zone"):
            try:
                timezone.activate(zoneinfo.ZoneInfo(prefs["time_zone"]))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        response = self.get_response(request)
        if prefs and prefs.get("language"):
            response.headers.setdefault("Content-Language", prefs["language"])
        return response
