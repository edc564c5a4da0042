"""Roles are Django groups; which permissions each holds is declared here and applied after every migrate.

The groups themselves are created by a data migration (core.0001); their permissions are (re)assigned on
post_migrate because permissions of later-added models only exist after their own migrations ran.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

# Every app whose models the API and admin expose.
DOMAIN_APPS = ("integrations", "branches", "sales", "forecasting", "planning", "quality", "monitoring", "shopfloor")

ROLE_WRITE_APPS: dict[str, tuple[str, ...]] = {
    "viewer": (),
    "planner": ("forecasting", "planning", "quality", "shopfloor"),
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


def is_last_app(sender) -> bool:
    """post_migrate fires per app with models, in INSTALLED_APPS order; the last one sees every app's permissions."""
    with_models = [config.label for config in apps.get_app_configs() if config.models_module is not None]
    return getattr(sender, "label", None) == with_models[-1]


def sync_role_permissions(sender=None, **kwargs) -> None:
    """Idempotent: give each existing role group exactly its declared permissions."""
    if sender is not None and not is_last_app(sender):
        return  # once per migrate, after every app's permissions exist
    for role in ROLES:
        group = Group.objects.filter(name=role).first()
        if group is not None:
            group.permissions.set(permissions_for_role(role))


def ensure_roles() -> dict[str, Group]:
    """The role groups with their permissions, created if missing (e.g. after a database flush)."""
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in ROLES}
    sync_role_permissions()
    return groups
