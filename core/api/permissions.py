"""API permissions: authenticated always; model permissions (including view) wherever a model backs a view.

Views without a queryset declare `required_permissions = {"GET": [...], "POST": [...]}` (method → Django
permission codenames); a method missing from the mapping needs authentication only.
"""

from django.utils.translation import gettext_lazy
from rest_framework.permissions import SAFE_METHODS, BasePermission, DjangoModelPermissions


class ModelPermissionsWithView(DjangoModelPermissions):
    """DjangoModelPermissions, but reading also needs `view_<model>`: a user with no role reads nothing."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
    }


class ModelPermissionsOrAuthenticated(BasePermission):
    message = gettext_lazy("You do not have permission to perform this action.")  # DRF's own msgid: its catalogues

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        required = getattr(view, "required_permissions", None)
        if required is not None:
            return user.has_perms(required.get(request.method, required.get("*", [])))
        if getattr(view, "queryset", None) is not None or hasattr(view, "get_queryset"):
            try:
                return ModelPermissionsWithView().has_permission(request, view)
            except (AssertionError, AttributeError):
                return request.method in SAFE_METHODS
        return True


class ActionPermissionMixin:
    """Per-action permissions on top of the model permissions (state-changing actions need change_<model>).

    `ModelPermissionsOrAuthenticated` reads `required_permissions`; returning None for an action falls back to
    the ordinary model permissions of the method.
    """

    action_permissions: dict[str, dict[str, list[str]]] = {}

    @property
    def required_permissions(self):
        return self.action_permissions.get(getattr(self, "action", None) or "")
