"""People and roles: every change an admin makes to users, role groups and their permissions.

The API (`core.api.users`) and any command call these functions; each runs in one transaction and refuses with a
`core.errors` subclass. One rule holds across all of them: **somebody can always administer the product**. An
*admin* is an active user who is a superuser or a member of the `admin` role group; a change that would leave no
admin (deactivating or demoting the last one; users are never deleted here and the built-in roles cannot be) is
refused with a 409 naming the user. Only a superuser may set or clear `is_superuser` (403 otherwise). The admin
rows are locked first (`select_for_update`), so two admins demoting each other at once cannot both succeed on
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from core.errors import Conflict, DomainError, InvalidInput, NotFound
from core.roles import ROLES

ADMIN_ROLE = "admin"
USER_FIELDS = ("email", "first_name", "last_name", "is_active", "is_staff", "is_superuser")


class Forbidden(DomainError):
    """The caller may manage users but not make this change (403)."""

    status = 403
    code = "forbidden"


def admins() -> QuerySet:
    """Active users who can administer the product: superusers and members of the admin role."""
    return get_user_model().objects.filter(Q(is_superuser=True) | Q(groups__name=ADMIN_ROLE), is_active=True).distinct()


def _lock_admins() -> None:
    # Lock the admin rows (ids first: DISTINCT cannot be combined with FOR UPDATE on PostgreSQL).
    ids = list(admins().values_list("pk", flat=True))
    list(get_user_model().objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))


def _refuse_if_no_admin_left(user: AbstractBaseUser | None, action: str) -> None:
    if not admins().exists():
        who = f"user {user.get_username()!r}" if user is not None else "the last admin"
        raise Conflict(
            gettext("Cannot %(action)s: %(who)s is the last active admin, and nobody could administer the "
                    "product afterwards.") % {"action": action, "who": who},
            code="last_admin",
            hint=gettext("Give another active user the admin role (or make them a superuser) first, then try "
                         "again."),
        )


def _user(user_id: int, *, lock: bool = False) -> AbstractBaseUser:
    users = get_user_model().objects
    try:
        return (users.select_for_update() if lock else users).get(pk=user_id)
    except get_user_model().DoesNotExist:
        raise NotFound(gettext("No user with id %(user_id)s.") % {"user_id": user_id}) from None


def _groups(names: Iterable[str]) -> list[Group]:
    names = list(dict.fromkeys(names))
    found = {g.name: g for g in Group.objects.filter(name__in=names)}
    missing = [n for n in names if n not in found]
    if missing:
        raise InvalidInput(gettext("No role (group) named %(names)s; roles are: %(roles)s.") % {
                               "names": ', '.join(map(repr, missing)),
                               "roles": ', '.join(Group.objects.order_by('name').values_list('name',
                                                                                             flat=True)) or 'none',
                           },
                           field="groups")
    return [found[n] for n in names]


def _validate_password(password: str, user: AbstractBaseUser, field: str = "password") -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field=field) from None


def _refuse_superuser_flag(fields: dict[str, Any], by: AbstractBaseUser | None) -> None:
    # The admin role holds every auth permission, but superuser is more than the role: only a superuser grants it.
    if "is_superuser" in fields and by is not None and not by.is_superuser:
        raise Forbidden(gettext("Only a superuser can make or unmake superusers."), field="is_superuser",
                        hint=gettext("Give the admin role instead (POST /api/v1/users/{id}/set-role/)."))


def create_user(*, username: str, password: str | None = None, groups: Iterable[str] = (),
                by: AbstractBaseUser | None = None, **fields: Any) -> AbstractBaseUser:
    """A new user with the given roles; without a password the account cannot log in until one is set."""
    model = get_user_model()
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise InvalidInput(gettext("Unknown user field(s): %(unknown)s.") % {
                               "unknown": ', '.join(sorted(unknown)),
                           })
    _refuse_superuser_flag(fields, by)
    with transaction.atomic():
        if model.objects.filter(username__iexact=username).exists():
            raise Conflict(gettext("A user named %(username)r already exists.") % {"username": username},
                           field="username",
                           hint=gettext("Choose another username, or update the existing user."))
        user = model(username=username, **fields)
        if password:
            _validate_password(password, user)
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        user.groups.set(_groups(groups))
    return user


def update_user(user_id: int, *, groups: Iterable[str] | None = None, by: AbstractBaseUser | None = None,
                **fields: Any) -> AbstractBaseUser:
    """Change a user's details, flags and (when given) roles; refused if it would leave no admin."""
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise InvalidInput(gettext("Unknown user field(s): %(unknown)s.") % {
                               "unknown": ', '.join(sorted(unknown)),
                           })
    _refuse_superuser_flag(fields, by)
    with transaction.atomic():
        _lock_admins()
        user = _user(user_id, lock=True)
        for name, value in fields.items():
            setattr(user, name, value)
        user.save(update_fields=list(fields) or None)
        if groups is not None:
            user.groups.set(_groups(groups))
        _refuse_if_no_admin_left(user, f"change user {user.get_username()!r} this way")
    return user


def set_role(user_id: int, role: str) -> AbstractBaseUser:
    """Give the user exactly one role (replacing the roles they had); other, non-role groups are kept."""
    if role not in ROLES:
        raise InvalidInput(gettext("%(role)r is not a role; choose one of: %(ROLES)s.") % {
                               "role": role,
                               "ROLES": ', '.join(ROLES),
                           }, field="role")
    with transaction.atomic():
        _lock_admins()
        user = _user(user_id, lock=True)
        kept = list(user.groups.exclude(name__in=ROLES))
        user.groups.set(kept + _groups([role]))
        _refuse_if_no_admin_left(user, f"make {user.get_username()!r} a {role}")
    return user


def set_active(user_id: int, active: bool) -> AbstractBaseUser:
    """Deactivate (the user can no longer log in; their history stays) or reactivate a user."""
    with transaction.atomic():
        _lock_admins()
        user = _user(user_id, lock=True)
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:
            _refuse_if_no_admin_left(user, f"deactivate {user.get_username()!r}")
    return user


def reset_password(user_id: int, new_password: str) -> AbstractBaseUser:
    """Set a new password chosen by an admin (checked against the password validators)."""
    with transaction.atomic():
        user = _user(user_id, lock=True)
        _validate_password(new_password, user, field="new_password")
        user.set_password(new_password)
        user.save(update_fields=["password"])
    return user


def _permissions(names: Iterable[str]) -> list[Permission]:
    """Permissions named `app_label.codename` (as `user.has_perm` spells them), or by a codename only one app has
    (as the group's answer lists them)."""
    wanted = list(dict.fromkeys(names))
    found: dict[str, Permission] = {}
    for name in wanted:
        app_label, _, codename = name.rpartition(".")
        matches = Permission.objects.filter(codename=codename)
        if app_label:
            matches = matches.filter(content_type__app_label=app_label)
        candidates = list(matches[:2])
        if len(candidates) == 1:
            found[name] = candidates[0]
    missing = [c for c in wanted if c not in found]
    if missing:
        raise InvalidInput(gettext("Unknown or ambiguous permission(s): %(missing)s; name them as "
                                   "'app_label.codename' (see /api/v1/permissions/).") % {
                               "missing": ', '.join(missing),
                           }, field="permissions")
    return [found[c] for c in wanted]


def create_group(*, name: str, permissions: Iterable[str] = ()) -> Group:
    """A new group (role) with the given permissions."""
    with transaction.atomic():
        if Group.objects.filter(name__iexact=name).exists():
            raise Conflict(gettext("A group named %(name)r already exists.") % {"name": name}, field="name")
        group = Group.objects.create(name=name)
        group.permissions.set(_permissions(permissions))
    return group


def update_group(group_id: int, *, name: str | None = None, permissions: Iterable[str] | None = None) -> Group:
    """Rename a group or replace its permissions. The built-in roles keep their names and permissions (those are
    re-applied from `core.roles` after every migrate: refused with a 409 that says so, rather than an edit that
    silently vanishes)."""
    with transaction.atomic():
        group = Group.objects.select_for_update().filter(pk=group_id).first()
        if group is None:
            raise NotFound(gettext("No group with id %(group_id)s.") % {"group_id": group_id})
        if name is not None and name != group.name:
            if group.name in ROLES:
                raise Conflict(gettext("%(group)r is a built-in role and cannot be renamed.") % {
                                   "group": group.name,
                               }, field="name")
            if Group.objects.filter(name__iexact=name).exclude(pk=group.pk).exists():
                raise Conflict(gettext("A group named %(name)r already exists.") % {"name": name}, field="name")
            group.name = name
            group.save(update_fields=["name"])
        if permissions is not None:
            chosen = _permissions(permissions)
            if group.name in ROLES and {p.pk for p in chosen} != set(group.permissions.values_list("pk", flat=True)):
                raise Conflict(gettext("The permissions of the built-in role %(group)r are declared in "
                                       "core.roles and re-applied after every migrate; an edit here would "
                                       "silently vanish.") % {"group": group.name},
                               field="permissions", hint=gettext("Create another group with the extra "
                                                                 "permissions and add it to the users who "
                                                                 "need them."))
            group.permissions.set(chosen)
    return group


def delete_group(group_id: int) -> None:
    """Delete a group that is not a built-in role (members keep their other groups)."""
    with transaction.atomic():
        group = Group.objects.select_for_update().filter(pk=group_id).first()
        if group is None:
            raise NotFound(gettext("No group with id %(group_id)s.") % {"group_id": group_id})
        if group.name in ROLES:
            raise Conflict(gettext("%(group)r is a built-in role and cannot be deleted.") % {
                               "group": group.name,
                           },
                           hint=gettext("Take the role away from its users instead."))
        group.delete()
