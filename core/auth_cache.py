"""The API user, their chosen language and their permission set in one shared-cache read per request.

A JWT request used to cost two queries (the user row, the planner profile's language) and two cache reads (the
permissions version, the permission set) before the view ran: about a third of a cached dashboard read's server
time under bench/load.py. Here one `get_many` reads the *permissions version* (core/permission_cache.py) and the
user's entry together; the entry is used only if it was built under the version that is current now.

The version is bumped at once and again on commit by every save or delete of a user (but a login's
`last_login`-only save), group or permission, by every change of group or permission membership and, through
`permission_cache.invalidate_on_change`, by every save or delete of a model that feeds the entry (workbench's
planner profile).
So a deactivated, deleted or demoted user is refused on the next request, as when the row was read every time.
The entry is built after the version was read, so a change that commits meanwhile leaves it stale-marked.

What the entry holds: the user's columns but the password hash and `last_login` (those stay deferred: reading
them queries the row), the language and the permission set. A bulk `QuerySet.update()` on users sends no signal:
after one, call `bump_permissions_version()`; `USER_SECONDS` bounds how long it could go unseen otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS

from core.cache_versions import current_version
from core.permission_cache import VERSION_KEY, CachedPermissionsBackend

USER_SECONDS = 60
# Never copied into the shared cache; the model loads them from the row if someone reads them.
DEFERRED_FIELDS = frozenset({"password", "last_login"})


def user_key(user_id: Any) -> str:
    return f"sf:auth-user:{user_id}"


def _entry_of(user: Any, language: str, version: str) -> dict[str, Any]:
    names = [f.attname for f in user._meta.concrete_fields if f.attname not in DEFERRED_FIELDS]
    permissions = CachedPermissionsBackend().get_all_permissions(user)
    return {"version": version, "names": names, "values": [getattr(user, n) for n in names],
            "language": language, "permissions": frozenset(permissions)}


def _user_of(entry: dict[str, Any]) -> Any:
    user = get_user_model().from_db(DEFAULT_DB_ALIAS, entry["names"], entry["values"])
    user._perm_cache = set(entry["permissions"])  # what CachedPermissionsBackend keeps for the request
    return user


def cached_user(user_id: Any, load: Callable[[], Any], language_of: Callable[[Any], str]) -> tuple[Any, str]:
    """(user, language) for `user_id`: from the shared cache when built under the current version, else
    `load()` (which raises for an unknown or inactive user: a refusal is never cached) and `language_of(user)`."""
    key = user_key(user_id)
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY) or current_version(VERSION_KEY)
    entry = found.get(key)
    if entry is not None and entry["version"] == version:
        return _user_of(entry), entry["language"]
    user = load()
    language = language_of(user)
    entry = _entry_of(user, language, version)
    cache.set(key, entry, timeout=USER_SECONDS)
    user._perm_cache = set(entry["permissions"])
    return user, language
