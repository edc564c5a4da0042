"""Roles are Django groups; which permissions each holds is declared here and applied after every migrate.

The groups themselves are created by a data migration (core.0001); their permissions are (re)assigned on
post_migrate because permissions of later-added models only exist after their own migrations ran.
"""

from django.contrib.auth.models import Group, Permission

# Every app whose models the API and admin expose.
DOMAIN_APPS = ("integrations", "branches", "sales", "forecasting", "planning", "monitoring")

ROLE_WRITE_APPS: dict[str, tuple[str, ...]] = {
    "viewer": (),
    "planner": ("forecasting", "planning"),
    "integrator": ("integrations", "branches", "sales"),
    # Webhooks are for admins only: not a domain app, so other roles cannot even read them.
    "admin": DOMAIN_APPS + ("django_q", "webhooks"),
}
ROLES = tuple(ROLE_WRITE_APPS)


def permissions_for_role(role: str) -> list[Permission]:
    """View on every domain app, plus add/change/delete (and custom perms) on the role's write apps."""
    write_apps = ROLE_WRITE_APPS[role]
    perms = Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS, codename__startswith="view_")
    if write_apps:
        perms = perms | Permission.objects.filter(content_type__app_label__in=write_apps)
    if role == "admin":
        perms = perms | Permission.objects.filter(content_type__app_label__in=("auth",))
    return list(perms.distinct())


def sync_role_permissions(sender=None, **kwargs) -> None:
    """Idempotent: give each existing role group exactly its declared permissions."""
    if getattr(sender, "label", None) not in (None, "core"):
        return  # run once per migrate, after the core app (last in INSTALLED_APPS)
    for role in ROLES:
        group = Group.objects.filter(name=role).first()
        if group is not None:
            group.permissions.set(permissions_for_role(role))


def ensure_roles() -> dict[str, Group]:
    """The role groups with their permissions, created if missing (e.g. after a database flush)."""
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in ROLES}
    sync_role_permissions()
    return groups
