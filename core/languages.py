"""The language a logged-in user chose, for requests whose user is known only after the middleware ran.

The session middleware chain (LocaleMiddleware, then workbench's UserPreferencesMiddleware) already picks the
browser's language and, for a session login, the user's preference. An API call with a JWT is authenticated by
DRF inside the view, after every middleware: its JWT authentication asks the resolver registered here (workbench
registers the planner profile's) and activates that language before the view runs, so the messages a service
raises are in the user's language. Core keeps the hook; the app that owns the preference fills it (dependencies
point down).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import translation

LanguageResolver = Callable[[object], str]
_resolvers: list[LanguageResolver] = []


def register_language_resolver(resolver: LanguageResolver) -> None:
    """``resolver(user) -> language code or ""``; registered once at start-up (an AppConfig.ready)."""
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def preferred_language_of(user) -> str:
    """The language the user chose, or "" (the first registered resolver that knows one answers)."""
    for resolver in _resolvers:
        language = resolver(user)
        if language:
            return language
    return ""


def activate_language(request, language: str) -> None:
    """Activate `language` for the rest of this request (nothing when it is empty)."""
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

