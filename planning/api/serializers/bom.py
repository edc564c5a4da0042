"""Planning API serializers: BOM."""


from decimal import Decimal

from django.utils.translation import gettext
from rest_framework import serializers

from planning.api.serializers.common import QTY, ProductBriefSerializer
from planning.choices import BomProblemCode
from planning.models import (
    BillOfMaterials,
    BomLine,
)
from sales.models import Product


class BomLineSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    component_detail = ProductBriefSerializer(source="component", read_only=True)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True,
                                 help_text="Defaults to the component's unit; must equal it.")
    quantity = serializers.DecimalField(**QTY)
    scrap_percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, default=Decimal("0"))

    class Meta:
        model = BomLine
        fields = ["id", "line_no", "component", "component_detail", "quantity", "unit", "scrap_percent", "notes"]
        read_only_fields = ["line_no"]


class BomSerializer(serializers.ModelSerializer):
    lines = BomLineSerializer(many=True)
    product_detail = ProductBriefSerializer(source="product", read_only=True)
    is_default = serializers.BooleanField(required=False, allow_null=True, default=None,
                                          help_text="Empty: the first active BOM of a product becomes its default.")
    output_quantity = serializers.DecimalField(**QTY, required=False, default=Decimal("1"))

    class Meta:
        model = BillOfMaterials
        fields = [
            "id", "product", "product_detail", "variant", "version", "is_default", "is_active", "output_quantity",
            "notes", "lines", "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # (product, variant, version) uniqueness is checked below with a helpful message

    def validate(self, attrs):
        product = attrs.get("product") or getattr(self.instance, "product", None)
        variant = attrs.get("variant", getattr(self.instance, "variant", "main"))
        version = attrs.get("version", getattr(self.instance, "version", 1))
        clash = BillOfMaterials.objects.filter(product=product, variant=variant, version=version)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                {"version": [gettext("%(sku)s already has a BOM variant '%(variant)s' version %(version)s; "
                                     "use another version or edit that one.") % {
                                 "sku": product.sku,
                                 "variant": variant,
                                 "version": version,
                             }]}
            )
        return attrs


class BomVariantSummarySerializer(serializers.ModelSerializer):
    line_count = serializers.IntegerField(read_only=True)
    product_detail = ProductBriefSerializer(source="product", read_only=True)

    class Meta:
        model = BillOfMaterials
        fields = ["id", "product", "product_detail", "variant", "version", "is_default", "is_active",
                  "output_quantity", "line_count", "updated_at"]
        read_only_fields = fields


class BomVariantCreateSerializer(serializers.Serializer):
    source = serializers.PrimaryKeyRelatedField(queryset=BillOfMaterials.objects.all(), help_text="BOM to copy.")
    variant = serializers.CharField(max_length=64, required=False, help_text="New variant name; default: same.")
    version = serializers.IntegerField(min_value=1, required=False, help_text="Default: next free version.")
    make_default = serializers.BooleanField(default=False)

    def validate(self, attrs):
        source = attrs["source"]
        variant = attrs.get("variant") or source.variant
        version = attrs.get("version")
        if version is not None and BillOfMaterials.objects.filter(
            product_id=source.product_id, variant=variant, version=version
        ).exists():
            raise serializers.ValidationError({"version": [gettext("Variant '%(variant)s' version "
                                                                   "%(version)s already exists.") % {
                                                               "variant": variant,
                                                               "version": version,
                                                           }]})
        return attrs


class BomDraftLineSerializer(serializers.Serializer):
    component = serializers.IntegerField(required=False, allow_null=True, help_text="Product id.")
    component_sku = serializers.CharField(required=False, allow_blank=True, max_length=100)
    quantity = serializers.DecimalField(max_digits=20, decimal_places=6)
    unit = serializers.CharField(required=False, allow_blank=True, max_length=20)
    scrap_percent = serializers.DecimalField(max_digits=8, decimal_places=3, required=False, default=Decimal("0"))

    def validate(self, attrs):
        if attrs.get("component") is None and not attrs.get("component_sku"):
            raise serializers.ValidationError({"component": [gettext("Give component (id) or component_sku.")]})
        return attrs


class BomValidateRequestSerializer(serializers.Serializer):
    bom = serializers.IntegerField(required=False, help_text="Validate this stored BOM.")
    product = serializers.IntegerField(required=False, help_text="With lines: validate a draft for this product.")
    replaces = serializers.IntegerField(required=False, allow_null=True,
                                        help_text="With a draft: the stored BOM it would replace.")
    output_quantity = serializers.DecimalField(**QTY, required=False, default=Decimal("1"))
    lines = BomDraftLineSerializer(many=True, required=False)

    def validate(self, attrs):
        if "lines" in attrs and "product" not in attrs:
            raise serializers.ValidationError({"product": [gettext("A draft (lines) needs its product.")]})
        if "product" in attrs and not Product.objects.filter(pk=attrs["product"]).exists():
            raise serializers.ValidationError({"product": [gettext("Product %(product)s does not exist.") % {
                                                               "product": attrs['product'],
                                                           }]})
        if "bom" in attrs and not BillOfMaterials.objects.filter(pk=attrs["bom"]).exists():
            raise serializers.ValidationError({"bom": [gettext("BOM %(bom)s does not exist.") % {
                                                           "bom": attrs['bom'],
                                                       }]})
        return attrs


class BomProblemSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=BomProblemCode.choices)
    # A plain string, not an enum: "severity" is monitoring's enum name in the schema.
    severity = serializers.CharField(help_text="'error' (the BOM cannot be used) or 'warning' (suspicious).")
    message = serializers.CharField()
    path = serializers.ListField(child=serializers.CharField(), help_text="SKUs from the product to the problem.")
    line = serializers.IntegerField(allow_null=True)
    bom = serializers.IntegerField(allow_null=True)


class BomValidateResponseSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    checked = serializers.IntegerField(help_text="BOMs (or drafts) checked.")
    problems = BomProblemSerializer(many=True)


class ExplodedComponentSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    quantity = serializers.DecimalField(**QTY)
    paths = serializers.ListField(child=serializers.CharField())


class BomExplosionSerializer(serializers.Serializer):
    bom = serializers.IntegerField()
    product = serializers.IntegerField()
    sku = serializers.CharField()
    quantity = serializers.DecimalField(**QTY)
    lines = ExplodedComponentSerializer(many=True)


class BomSearchResultSerializer(serializers.Serializer):
    bom = serializers.IntegerField()
    product = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    variant = serializers.CharField()
    version = serializers.IntegerField()
    is_default = serializers.BooleanField()
    level = serializers.IntegerField(help_text="1 = uses the component directly; n = through n−1 sub-assemblies.")
    path = serializers.ListField(child=serializers.CharField())
