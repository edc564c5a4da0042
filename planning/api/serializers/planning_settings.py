"""Planning API serializers: suppliers and settings."""


from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext
from rest_framework import serializers

from branches.models import Location
from planning.api.serializers.common import QTY
from planning.choices import MakeOrBuy
from planning.models import (
    PlanningSettings,
    Supplier,
)
from planning.services.policy import MAX_SERVICE_LEVEL, MIN_SERVICE_LEVEL
from sales.models import Product


class SupplierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Supplier
        fields = ["id", "code", "name", "email", "phone", "is_active", "notes", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class PlanningSettingsSerializer(serializers.ModelSerializer):
    scope = serializers.CharField(source="scope_label", read_only=True)
    service_level = serializers.DecimalField(
        max_digits=5, decimal_places=4, required=False, allow_null=True,
        min_value=MIN_SERVICE_LEVEL, max_value=MAX_SERVICE_LEVEL,
    )
    pack_size = serializers.DecimalField(**QTY, required=False, allow_null=True, min_value=Decimal("0.001"))
    moq = serializers.DecimalField(**QTY, required=False, allow_null=True, min_value=Decimal("0"))
    max_stock = serializers.DecimalField(**QTY, required=False, allow_null=True, min_value=Decimal("0"))

    class Meta:
        model = PlanningSettings
        fields = [
            "id", "scope", "location", "category", "product", "service_level", "review_period_days",
            "lead_time_days", "moq", "pack_size", "max_stock", "make_or_buy", "supplier", "allow_negative_stock",
            "notes", "updated_by", "created_at", "updated_at",
        ]
        read_only_fields = ["updated_by", "created_at", "updated_at"]
        validators = []  # the scope uniqueness is checked in validate() with a message naming the scope

    def validate(self, attrs):
        def current(name):
            return attrs[name] if name in attrs else getattr(self.instance, name, None)

        location, category, product = current("location"), current("category"), current("product")
        if category is not None and product is not None:
            raise serializers.ValidationError(
                {"category": [gettext("Give a product or a category, not both: the product's own category "
                                      "applies.")]}
            )
        same_scope = PlanningSettings.objects.filter(
            Q(location=location) if location else Q(location__isnull=True),
            Q(category=category) if category else Q(category__isnull=True),
            Q(product=product) if product else Q(product__isnull=True),
        )
        if self.instance is not None:
            same_scope = same_scope.exclude(pk=self.instance.pk)
        existing = same_scope.first()
        if existing is not None:
            raise serializers.ValidationError(
                {"location": [gettext("Settings for this scope already exist (id %(existing_id)s); change "
                                      "that row instead.") % {"existing_id": existing.pk}]}
            )
        return attrs


class EffectiveSettingsSerializer(serializers.Serializer):
    location = serializers.IntegerField(allow_null=True)
    product = serializers.IntegerField(allow_null=True)
    service_level = serializers.DecimalField(max_digits=5, decimal_places=4)
    review_period_days = serializers.IntegerField()
    lead_time_days = serializers.IntegerField()
    protection_days = serializers.IntegerField()
    moq = serializers.DecimalField(**QTY)
    pack_size = serializers.DecimalField(**QTY)
    max_stock = serializers.DecimalField(**QTY, allow_null=True)
    make_or_buy = serializers.ChoiceField(choices=MakeOrBuy.choices)
    supplier = serializers.IntegerField(allow_null=True)
    supplier_name = serializers.CharField()
    allow_negative_stock = serializers.BooleanField()
    sources = serializers.DictField(child=serializers.CharField(), help_text="Field → the row it came from.")


class EffectiveSettingsQuerySerializer(serializers.Serializer):
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), required=False, allow_null=True)
