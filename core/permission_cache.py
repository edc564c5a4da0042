"""Permission sets from the shared cache instead of two joined queries on every API request.

Django's ModelBackend keeps a user's permissions only on the user object, i.e. for one request; every API call
re-reads user and group permissions (about 40 % of a cached dashboard read's server time, measured with
pyinstrument under bench/load.py). Here the set is kept in the shared cache under a global *permissions
version*. Any change that can alter a permission set (a user's groups or own permissions, a group's permissions,
a group, permission or user row) bumps the version at once and again when its transaction commits, so a revoked
role takes effect on the next request, never later. A JWT request reads the user row itself, the language
and this set together from one cache entry built under the same version (core/auth_cache.py), so a
deactivation, a deletion or a changed language is seen on the next request too.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.cache_versions import bump_version, current_version

VERSION_KEY = "sf:perms-version"
PERMISSIONS_SECONDS = 600


def permissions_version() -> str:
    return current_version(VERSION_KEY)


def bump_permissions_version() -> None:
    bump_version(VERSION_KEY)


class CachedPermissionsBackend(ModelBackend):
    """ModelBackend (same answers, same authentication) with permission sets kept in the shared cache."""

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = f"sf:perms:{permissions_version()}:{user_obj.pk}"
            permissions = cache.get(key)
            if permissions is None:
                permissions = super().get_all_permissions(user_obj)
                cache.set(key, permissions, timeout=PERMISSIONS_SECONDS)
            user_obj._perm_cache = permissions
        return user_obj._perm_cache


def _permissions_may_have_changed(sender, **kwargs) -> None:
    if sender is get_user_model() and set(kwargs.get("update_fields") or ()) == {"last_login"}:
        return  # a login (UPDATE_LAST_LOGIN) changes no permission
    bump_permissions_version()
    transaction.on_commit(bump_permissions_version, using=kwargs.get("using"))


def invalidate_on_change(model) -> None:
    """Every save or delete of `model` bumps the permissions version (at once and on commit): for the auth models
    here, and for an app whose rows feed the cached API user (core/auth_cache.py; e.g. the language a planner
    chose), which connects its model in its AppConfig.ready."""
    post_save.connect(_permissions_may_have_changed, sender=model, dispatch_uid=f"core.perms.save.{model}")
    post_delete.connect(_permissions_may_have_changed, sender=model, dispatch_uid=f"core.perms.delete.{model}")


def connect_invalidation() -> None:
    user_model = get_user_model()
    for model in (user_model, Group, Permission):
        invalidate_on_change(model)
    for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_permissions_may_have_changed, sender=through, dispatch_uid=f"core.perms.m2m.{through}")
