"""Users, roles (groups) and permissions for admins: `/api/v1/users/`, `/api/v1/groups/`, `/api/v1/permissions/`.

Reading needs `auth.view_*`, writing `auth.add_/change_/delete_*` (the admin role holds all of them). Every change
goes through `core.people`, which refuses to leave the product without an active admin (409, code `last_admin`).
Users are never deleted through the API (their history points at them): deactivate them instead.
"""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Count
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from core import people
from core.api.serializers import DetailSerializer, GroupSerializer, UserSerializer
from core.roles import ROLES

User = get_user_model()

REFUSALS = {
    400: OpenApiResponse(description="Invalid input: the body names the field at fault."),
    403: OpenApiResponse(description="Not an admin, or only a superuser may set is_superuser."),
    404: OpenApiResponse(description="No such object."),
    409: OpenApiResponse(description="Refused: a duplicate name, a built-in role, or the last active admin "
                                     "(code `last_admin`)."),
}


class CanChangeUsers(BasePermission):
    """Actions on one user (role, activation, password) need `auth.change_user`."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("auth.change_user"))


class UserWriteSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    is_active = serializers.BooleanField(required=False)
    is_staff = serializers.BooleanField(required=False)
    is_superuser = serializers.BooleanField(required=False)
    groups = serializers.ListField(child=serializers.CharField(max_length=150), required=False,
                                   help_text="Group (role) names, e.g. [\"planner\"].")
    password = serializers.CharField(required=False, write_only=True, allow_blank=False, max_length=128,
                                     style={"input_type": "password"},
                                     help_text="Optional on create: without one the user cannot log in until an "
                                               "admin sets it (reset-password) or they use the reset link.")


class UserUpdateSerializer(UserWriteSerializer):
    username = None
    password = None


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=list(ROLES))


class NewPasswordSerializer(serializers.Serializer):
    new_password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})


@extend_schema_view(
    list=extend_schema(tags=["users"]),
    retrieve=extend_schema(tags=["users"]),
    create=extend_schema(tags=["users"], request=UserWriteSerializer, responses={201: UserSerializer, **REFUSALS}),
    update=extend_schema(tags=["users"], request=UserUpdateSerializer, responses={200: UserSerializer, **REFUSALS}),
    partial_update=extend_schema(tags=["users"], request=UserUpdateSerializer,
                                 responses={200: UserSerializer, **REFUSALS}),
)
class UserViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Users and their roles. Create, update, set a role, deactivate/activate, reset a password; never delete."""

    queryset = User.objects.prefetch_related("groups").order_by("username")
    serializer_class = UserSerializer
    filterset_fields = ["is_active", "is_staff", "is_superuser", "groups__name"]
    search_fields = ["username", "email", "first_name", "last_name"]
    ordering_fields = ["username", "date_joined", "last_login"]

    def get_permissions(self):
        if self.action in ("set_role", "deactivate", "activate", "reset_password"):
            return [CanChangeUsers()]
        return super().get_permissions()

    def _answer(self, user, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=user.pk)
        return Response(UserSerializer(fresh, context=self.get_serializer_context()).data, status=status)

    def create(self, request, *args, **kwargs):
        body = UserWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(people.create_user(**body.validated_data, by=request.user), status=201)

    def update(self, request, *args, **kwargs):
        user = self.get_object()
        body = UserUpdateSerializer(data=request.data, partial=True)  # every field is optional anyway
        body.is_valid(raise_exception=True)
        return self._answer(people.update_user(user.pk, **body.validated_data, by=request.user))

    @extend_schema(tags=["users"], request=RoleSerializer, responses={200: UserSerializer, **REFUSALS})
    @action(detail=True, methods=["post"], url_path="set-role")
    def set_role(self, request, pk=None):
        """Give the user exactly this role (replacing their other roles)."""
        user = self.get_object()
        body = RoleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(people.set_role(user.pk, body.validated_data["role"]))

    @extend_schema(tags=["users"], request=None, responses={200: UserSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """The user can no longer log in; refused (409) for the last active admin."""
        return self._answer(people.set_active(self.get_object().pk, False))

    @extend_schema(tags=["users"], request=None, responses={200: UserSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        return self._answer(people.set_active(self.get_object().pk, True))

    @extend_schema(tags=["users"], request=NewPasswordSerializer, responses={200: DetailSerializer, **REFUSALS})
    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request, pk=None):
        """Set a new password for the user (checked by the password validators)."""
        user = self.get_object()
        body = NewPasswordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        people.reset_password(user.pk, body.validated_data["new_password"])
        return Response({"detail": gettext("Password of %(username)r changed.") % {
                                       "username": user.get_username(),
                                   }})


class GroupWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    permissions = serializers.ListField(child=serializers.CharField(max_length=255), required=False,
                                        help_text="Permissions as 'app_label.codename', e.g. 'sales.view_product'.")


@extend_schema_view(
    list=extend_schema(tags=["users"]),
    retrieve=extend_schema(tags=["users"]),
    create=extend_schema(tags=["users"], request=GroupWriteSerializer, responses={201: GroupSerializer, **REFUSALS}),
    update=extend_schema(tags=["users"], request=GroupWriteSerializer, responses={200: GroupSerializer, **REFUSALS}),
    partial_update=extend_schema(tags=["users"], request=GroupWriteSerializer,
                                 responses={200: GroupSerializer, **REFUSALS}),
    destroy=extend_schema(tags=["users"], responses={204: None, **REFUSALS}),
)
class GroupViewSet(viewsets.ModelViewSet):
    """Roles (groups) and their permissions. The built-in roles cannot be renamed or deleted."""

    queryset = Group.objects.prefetch_related("permissions").annotate(user_count=Count("user")).order_by("name")
    serializer_class = GroupSerializer
    search_fields = ["name"]
    ordering_fields = ["name"]

    def _answer(self, group, status: int = 200) -> Response:
        return Response(GroupSerializer(self.get_queryset().get(pk=group.pk)).data, status=status)

    def create(self, request, *args, **kwargs):
        body = GroupWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(people.create_group(**body.validated_data), status=201)

    def update(self, request, *args, **kwargs):
        group = self.get_object()
        body = GroupWriteSerializer(data=request.data, partial=kwargs.get("partial", False))
        body.is_valid(raise_exception=True)
        return self._answer(people.update_group(group.pk, **body.validated_data))

    def destroy(self, request, *args, **kwargs):
        people.delete_group(self.get_object().pk)
        return Response(status=204)


class PermissionSerializer(serializers.ModelSerializer):
    app_label = serializers.CharField(source="content_type.app_label", read_only=True)
    model = serializers.CharField(source="content_type.model", read_only=True)
    permission = serializers.SerializerMethodField(help_text="As groups and has_perm name it: app_label.codename.")

    class Meta:
        model = Permission
        fields = ["id", "permission", "app_label", "model", "codename", "name"]

    def get_permission(self, perm: Permission) -> str:
        return f"{perm.content_type.app_label}.{perm.codename}"


class PermissionFilter(django_filters.FilterSet):
    app_label = django_filters.CharFilter(field_name="content_type__app_label")
    model = django_filters.CharFilter(field_name="content_type__model")

    class Meta:
        model = Permission
        fields = ["app_label", "model", "codename"]


@extend_schema_view(list=extend_schema(tags=["users"]), retrieve=extend_schema(tags=["users"]))
class PermissionViewSet(viewsets.ReadOnlyModelViewSet):
    """Every permission a group can hold, filterable by app and model."""

    queryset = Permission.objects.select_related("content_type").order_by("content_type__app_label",
                                                                          "content_type__model", "codename")
    serializer_class = PermissionSerializer
    filterset_class = PermissionFilter
    search_fields = ["codename", "name"]
    ordering_fields = ["codename"]
