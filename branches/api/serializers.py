from django.utils.translation import gettext
from rest_framework import serializers

from branches.models import SYNCED_FIELDS, Location
from branches.services.time_zones import effective_time_zone
from core.api.fast_lists import CompiledListSerializer
from core.api.fields import NO_CONTROL_CHARACTERS

# What a sync owns on a synced row (its identity and the synced fields): changed in the source system, never here.
SOURCE_OWNED_FIELDS = ("external_id", *SYNCED_FIELDS)


class LocationSerializer(serializers.ModelSerializer):
    source_name = serializers.CharField(source="source.name", read_only=True, allow_null=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True)
    is_synced = serializers.SerializerMethodField()
    effective_time_zone = serializers.SerializerMethodField(
        help_text="The zone this location's times are shown in: its own, else the nearest ancestor's, else the "
                  "site's.")

    class Meta:
        model = Location
        fields = ["id", "name", "code", "code_tco", "type", "taxpayer_id_number", "parent", "parent_name", "branch",
                  "is_active", "time_zone", "effective_time_zone", "source", "source_name", "external_id", "is_synced",
                  "tree_path", "depth",
                  "created_at", "updated_at", "synced_at"]
        read_only_fields = ["source", "tree_path", "depth", "created_at", "updated_at", "synced_at"]
        extra_kwargs = {"name": NO_CONTROL_CHARACTERS, "code": NO_CONTROL_CHARACTERS}
        list_serializer_class = CompiledListSerializer  # the branches page: same rows, read field by field once

    def get_is_synced(self, obj: Location) -> bool:
        return obj.source_id is not None

    def get_effective_time_zone(self, obj: Location) -> str:
        # Lists annotate it in their one query (with_effective_time_zone); a single saved row resolves it.
        annotated = getattr(obj, "effective_time_zone", None)
        return annotated if annotated is not None else effective_time_zone(obj)

    def update(self, instance: Location, validated_data) -> Location:
        instance = super().update(instance, validated_data)
        instance.__dict__.pop("effective_time_zone", None)  # the list annotation may be stale after the write
        return instance

    def validate(self, attrs):
        instance = self.instance
        if instance is not None and instance.source_id is not None:
            changed = [f for f in SOURCE_OWNED_FIELDS if f in attrs and attrs[f] != getattr(instance, f)]
            if changed:
                raise serializers.ValidationError({
                    f: [gettext("%(field)s of %(instance)r is synced from %(source)r; change it there, the next "
                                "sync overwrites it here.") % {
                            "field": f,
                            "instance": instance.name,
                            "source": instance.source.name,
                        }] for f in changed
                })
        parent = attrs.get("parent")
        if instance is not None and parent is not None and (
                parent.pk == instance.pk or parent.tree_path.startswith(instance.tree_path)):
            raise serializers.ValidationError(
                {"parent": [gettext("%(parent)r is %(instance)r itself or below it; a node cannot move under "
                                    "its own subtree.") % {"parent": parent.name, "instance": instance.name}]})
        return attrs


class LocationTreeNodeSerializer(serializers.Serializer):
    """Documentation shape of /branches/tree/ (the view builds plain dicts)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    type = serializers.CharField()
    is_active = serializers.BooleanField()
    source = serializers.IntegerField(allow_null=True)
    depth = serializers.IntegerField()
    children = serializers.ListField(child=serializers.DictField())
