from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext
from rest_framework import serializers

from branches.models import Location
from core.api.fast_lists import CompiledListSerializer
from core.api.fields import NO_CONTROL_CHARACTERS
from sales.choices import ImportKind
from sales.models import (
    Customer,
    DailySale,
    DemandDriver,
    ImportJob,
    Order,
    OrderLine,
    Product,
    ProductBarcode,
    ProductCategory,
    ProductSourceRef,
    StockLevel,
)

NON_NEGATIVE = {"min_value": Decimal(0)}


class ProductCategorySerializer(serializers.ModelSerializer):
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True)

    class Meta:
        model = ProductCategory
        fields = ["id", "code", "name", "parent", "parent_name"]
        extra_kwargs = {"code": NO_CONTROL_CHARACTERS, "name": NO_CONTROL_CHARACTERS}

    def validate_parent(self, parent):
        instance = self.instance
        node = parent
        while instance is not None and node is not None:
            if node.pk == instance.pk:
                raise serializers.ValidationError(gettext("%(parent)r is %(instance)r itself or below it.") % {
                                                      "parent": parent.name,
                                                      "instance": instance.name,
                                                  })
            node = node.parent
        return parent


def listed(instance, name: str) -> list | None:
    """The rows of relation `name` that a list view loaded into a plain list (`listed_…`, see
    `attach_listed_relations`), or None. Django's own prefetch cache builds a filtered queryset per row and per
    relation just to hand back the cached rows (half of the products page's CPU); a plain list costs nothing to
    read."""
    return instance.__dict__.get(f"listed_{name}")


def attach_listed_relations(products: list[Product]) -> None:
    """A page of products gets its barcodes (strings) and source refs (with the account's name) as plain lists,
    in two queries of just the columns the serializer reads: Django's `Prefetch` machinery (a filter built per
    relation, every column of the account) cost about a millisecond of the products page."""
    by_id = {product.pk: product for product in products}
    for product in products:
        product.listed_barcodes, product.listed_source_refs = [], []
    if not by_id:
        return
    for product_id, barcode in (ProductBarcode.objects.filter(product_id__in=list(by_id)).order_by("pk")
                                .values_list("product_id", "barcode")):
        by_id[product_id].listed_barcodes.append(barcode)
    refs = (ProductSourceRef.objects.filter(product_id__in=list(by_id)).select_related("account")
            .only("id", "account_id", "external_id", "product_id", "synced_at", "account__name").order_by("pk"))
    for ref in refs:
        by_id[ref.product_id].listed_source_refs.append(ref)


class PrefetchedListSerializer(CompiledListSerializer):
    """Reads the prefetched plain list when the view made one, else the relation as usual."""

    def get_attribute(self, instance):
        rows = listed(instance, self.field_name)
        return rows if rows is not None else super().get_attribute(instance)


class ProductSourceRefSerializer(serializers.ModelSerializer):
    account_name = serializers.CharField(source="account.name", read_only=True)

    class Meta:
        model = ProductSourceRef
        fields = ["id", "account", "account_name", "external_id", "synced_at"]
        read_only_fields = fields
        list_serializer_class = PrefetchedListSerializer


class BarcodeListField(serializers.ListField):
    """The product's barcodes as a list of strings (prefetched by the view)."""

    def get_attribute(self, instance):
        rows = listed(instance, "barcodes")  # already the strings
        return list(rows) if rows is not None else [b.barcode for b in instance.barcodes.all()]


class ProductSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True, allow_null=True)
    barcodes = BarcodeListField(
        child=serializers.CharField(max_length=64), required=False,
        help_text="Barcodes of the product; on write, the complete list.",
    )
    source_refs = ProductSourceRefSerializer(many=True, read_only=True)
    list_price = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True, required=False,
                                          **NON_NEGATIVE)

    class Meta:
        model = Product
        fields = ["id", "sku", "name", "kind", "category", "category_name", "unit", "list_price", "is_active",
                  "lot_tracked", "requires_inspection", "barcodes", "source_refs", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"sku": NO_CONTROL_CHARACTERS, "name": NO_CONTROL_CHARACTERS, "unit": NO_CONTROL_CHARACTERS}
        list_serializer_class = CompiledListSerializer  # the products page (core/api/fast_lists.py)

    def validate_barcodes(self, barcodes: list[str]) -> list[str]:
        cleaned = list(dict.fromkeys(b.strip() for b in barcodes if b.strip()))
        taken = ProductBarcode.objects.filter(barcode__in=cleaned)
        if self.instance is not None:
            taken = taken.exclude(product=self.instance)
        owners = {b.barcode: b.product for b in taken.select_related("product")}
        if owners:
            raise serializers.ValidationError(
                [gettext("barcode %(code)s already belongs to %(sku)r") % {"code": code, "sku": product.sku} for code,
                 product in owners.items()])
        return cleaned

    @transaction.atomic
    def create(self, validated_data):
        barcodes = validated_data.pop("barcodes", [])
        product = super().create(validated_data)
        ProductBarcode.objects.bulk_create([ProductBarcode(product=product, barcode=b) for b in barcodes])
        return product

    @transaction.atomic
    def update(self, instance, validated_data):
        barcodes = validated_data.pop("barcodes", None)
        product = super().update(instance, validated_data)
        if barcodes is not None:
            product.barcodes.exclude(barcode__in=barcodes).delete()
            have = set(product.barcodes.values_list("barcode", flat=True))
            ProductBarcode.objects.bulk_create(
                [ProductBarcode(product=product, barcode=b) for b in barcodes if b not in have])
        return product


class DailySaleSerializer(serializers.ModelSerializer):
    location_code = serializers.CharField(source="location.code", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, **NON_NEGATIVE)
    discount = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, **NON_NEGATIVE)
    returns = serializers.DecimalField(max_digits=14, decimal_places=3, required=False, **NON_NEGATIVE)
    price_paid = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True,
                                          **NON_NEGATIVE)

    class Meta:
        model = DailySale
        fields = ["id", "location", "location_code", "product", "sku", "date", "quantity", "revenue", "discount",
                  "returns", "price_paid", "on_promotion", "updated_at"]
        read_only_fields = ["updated_at"]
        list_serializer_class = CompiledListSerializer  # the daily sales page (core/api/fast_lists.py)


class StockLevelSerializer(serializers.ModelSerializer):
    location_code = serializers.CharField(source="location.code", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)
    reserved = serializers.DecimalField(max_digits=14, decimal_places=3, required=False, **NON_NEGATIVE)
    in_transit = serializers.DecimalField(max_digits=14, decimal_places=3, required=False, **NON_NEGATIVE)

    class Meta:
        model = StockLevel
        fields = ["id", "location", "location_code", "product", "sku", "as_of", "on_hand", "reserved", "in_transit",
                  "source"]


class DemandDriverSerializer(serializers.ModelSerializer):
    location_code = serializers.CharField(source="location.code", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True, allow_null=True)
    planned_price = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True,
                                             **NON_NEGATIVE)

    class Meta:
        model = DemandDriver
        fields = ["id", "location", "location_code", "product", "sku", "date", "is_promotion", "is_open",
                  "is_holiday", "planned_price", "updated_at"]
        read_only_fields = ["updated_at"]

    def validate(self, attrs):
        location = attrs.get("location", getattr(self.instance, "location", None))
        product = attrs.get("product", getattr(self.instance, "product", None))
        day = attrs.get("date", getattr(self.instance, "date", None))
        clash = DemandDriver.objects.filter(location=location, product=product, date=day)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                {"date": [gettext("a driver for this location, %(value)s and %(day)s exists already (id "
                                  "%(pk)s); update that one") % {
                              "value": 'product' if product else 'all products',
                              "day": day,
                              "pk": clash.first().pk,
                          }]})
        return attrs


class CustomerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "account", "external_id", "name", "email", "phone", "created_at"]
        read_only_fields = ["created_at"]

    def validate(self, attrs):
        account = attrs.get("account", getattr(self.instance, "account", None))
        external_id = attrs.get("external_id", getattr(self.instance, "external_id", None))
        clash = Customer.objects.filter(account=account, external_id=external_id)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError({"external_id": [gettext("customer %(external_id)r exists "
                                                                       "already for this account") % {
                                                                   "external_id": external_id,
                                                               }]})
        return attrs


class OrderLineSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="product.sku", read_only=True)

    class Meta:
        model = OrderLine
        fields = ["id", "line_no", "product", "sku", "quantity", "price", "discount", "amount", "commission"]
        read_only_fields = ["id"]


class OrderSerializer(serializers.ModelSerializer):
    location_code = serializers.CharField(source="location.code", read_only=True, allow_null=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True, allow_null=True)
    line_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Order
        fields = ["id", "account", "external_id", "channel", "status", "source_status", "location", "location_code",
                  "customer", "customer_name", "ordered_at", "business_date", "currency", "total", "discount_total",
                  "commission_total", "is_return", "line_count", "created_at", "updated_at"]


class OrderDetailSerializer(OrderSerializer):
    lines = OrderLineSerializer(many=True, read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "lines"]


class OrderLineWriteSerializer(serializers.Serializer):
    line_no = serializers.IntegerField(min_value=1, required=False)
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3,
                                        help_text="Negative for returned units (or set is_return on the order).")
    price = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, **NON_NEGATIVE)
    discount = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, **NON_NEGATIVE)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, required=False,
                                      help_text="Default: quantity × price − discount.")
    commission = serializers.DecimalField(max_digits=16, decimal_places=2, required=False)


class OrderWriteSerializer(serializers.Serializer):
    """A manual order (no integration account) with its lines, written through `upsert_orders`."""

    external_id = serializers.CharField(max_length=100)
    channel = serializers.CharField(max_length=50, required=False, allow_blank=True)
    status = serializers.CharField(max_length=50, required=False, allow_blank=True)
    source_status = serializers.CharField(max_length=50, required=False, allow_blank=True)
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    ordered_at = serializers.DateTimeField()
    business_date = serializers.DateField(required=False)
    currency = serializers.CharField(max_length=3, required=False)
    total = serializers.DecimalField(max_digits=16, decimal_places=2, required=False)
    discount_total = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, **NON_NEGATIVE)
    commission_total = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, **NON_NEGATIVE)
    is_return = serializers.BooleanField(required=False)
    lines = OrderLineWriteSerializer(many=True, allow_empty=False)

    def to_service_row(self) -> dict:
        data = dict(self.validated_data)
        location = data.pop("location", None)
        data["location_id"] = location.pk if location else None
        data["lines"] = [
            {**{k: v for k, v in line.items() if k != "product"}, "product_id": line["product"].pk}
            for line in data["lines"]
        ]
        return data


class ImportJobSerializer(serializers.ModelSerializer):
    progress = serializers.FloatField(read_only=True, help_text="Percent of the file read (0–100).")
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = ImportJob
        fields = ["id", "kind", "original_name", "size_bytes", "create_missing", "dry_run", "status", "progress",
                  "rows_processed", "report", "error", "created_by", "created_at", "started_at", "finished_at"]
        read_only_fields = fields


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (comma, semicolon or tab) or XLSX, optionally gzipped.")
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    create_missing = serializers.BooleanField(
        default=False, help_text="Create unknown locations (as manual branches) and products.")


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    """What a validation or an import found: counts, and errors naming row, column and reason."""

    rows = serializers.IntegerField()
    valid = serializers.BooleanField()
    errors = ImportErrorSerializer(many=True)
    error_count = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    skipped = serializers.IntegerField()
    drivers_created = serializers.IntegerField()
    drivers_updated = serializers.IntegerField()
    drivers_unchanged = serializers.IntegerField()
    locations_created = serializers.ListField(child=serializers.CharField())
    products_created = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())
    dry_run = serializers.BooleanField()
    applied = serializers.BooleanField()


class FileProblemSerializer(serializers.Serializer):
    """A file refused as a whole: over a limit (413) or unreadable (422), and where reading stopped."""

    detail = serializers.CharField()
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_blank=True)


class UploadResultSerializer(serializers.Serializer):
    job = ImportJobSerializer()
    report = ImportReportSerializer(allow_null=True)


# Analytics -------------------------------------------------------------------------------------------------------


class AnalyticsQuerySerializer(serializers.Serializer):
    """Query parameters shared by every analytics endpoint; a bad value is a 400 naming the parameter."""

    date_from = serializers.DateField(required=False, help_text="First day (default: 30 days before date_to).")
    date_to = serializers.DateField(required=False, help_text="Last day (default: the latest day with sales).")
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False,
                                                  help_text="Location id; its whole subtree is included.")
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), required=False)
    category = serializers.PrimaryKeyRelatedField(queryset=ProductCategory.objects.all(), required=False,
                                                  help_text="Category id; subcategories are included.")
    channel = serializers.CharField(required=False, allow_blank=True, max_length=50,
                                    help_text="Order channel/marketplace; figures then come from order lines.")
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", required=False,
                                      help_text="ISO code (e.g. TRY). Figures are always in one currency; the "
                                                "default is the only one there is, else the default currency.")

    def validate_currency(self, value: str) -> str:
        return value.upper()

    MAX_DAYS = 3660

    def validate(self, attrs):
        date_from, date_to = attrs.get("date_from"), attrs.get("date_to")
        if date_from and date_to:
            if date_from > date_to:
                raise serializers.ValidationError({"date_from": [gettext("date_from (%(date_from)s) is after "
                                                                         "date_to (%(date_to)s).") % {
                                                                     "date_from": date_from,
                                                                     "date_to": date_to,
                                                                 }]})
            if (date_to - date_from).days >= self.MAX_DAYS:
                raise serializers.ValidationError({"date_from": [gettext("the range may span at most "
                                                                         "%(MAX_DAYS)s days.") % {
                                                                     "MAX_DAYS": self.MAX_DAYS,
                                                                 }]})
        return attrs


class TimeseriesQuerySerializer(AnalyticsQuerySerializer):
    granularity = serializers.ChoiceField(choices=["day", "week", "month"], default="day")


class TopProductsQuerySerializer(AnalyticsQuerySerializer):
    by = serializers.ChoiceField(choices=["revenue", "units"], default="revenue")
    limit = serializers.IntegerField(default=10, min_value=1, max_value=100)


class ProductPerformanceQuerySerializer(AnalyticsQuerySerializer):
    product = None  # the product is in the path
    category = None  # the product's own category is used for its share and rank
    granularity = serializers.ChoiceField(choices=["day", "week", "month"], default="week")


def _money(**kwargs):
    return serializers.DecimalField(max_digits=20, decimal_places=2, coerce_to_string=False, **kwargs)


def _qty(**kwargs):
    return serializers.DecimalField(max_digits=20, decimal_places=3, coerce_to_string=False, **kwargs)


class CurrencyInfoSerializer(serializers.Serializer):
    """Every analytics answer says which currency its money is in; currencies are never added together."""

    currency = serializers.CharField(help_text="The currency of every money figure of this answer.")
    currencies = serializers.ListField(child=serializers.CharField(),
                                       help_text="Every currency there is data in; ask with currency= for each.")
    mixed_currency_locations = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Locations with orders in several currencies: left out of daily-sale figures.")


class SalesPeriodSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    days = serializers.IntegerField()


class SalesTotalsSerializer(serializers.Serializer):
    revenue = _money()
    units = _qty()
    orders = serializers.IntegerField()
    average_order_value = _money()
    discounts = _money()
    returns = _qty()
    commission = _money()


class SalesDeltaSerializer(serializers.Serializer):
    absolute = serializers.DecimalField(max_digits=20, decimal_places=3, coerce_to_string=False)
    percent = serializers.FloatField(allow_null=True, help_text="Null when the previous value is 0.")


class SalesDeltasSerializer(serializers.Serializer):
    revenue = SalesDeltaSerializer()
    units = SalesDeltaSerializer()
    orders = SalesDeltaSerializer()
    average_order_value = SalesDeltaSerializer()
    discounts = SalesDeltaSerializer()
    returns = SalesDeltaSerializer()
    commission = SalesDeltaSerializer()


class SalesSummarySerializer(CurrencyInfoSerializer):
    period = SalesPeriodSerializer()
    previous_period = SalesPeriodSerializer()
    current = SalesTotalsSerializer()
    previous = SalesTotalsSerializer()
    delta = SalesDeltasSerializer()


class SalesTimeseriesPointSerializer(serializers.Serializer):
    period = serializers.DateField(help_text="First day of the bucket (weeks start on Monday).")
    revenue = _money()
    units = _qty()
    discounts = _money()
    returns = _qty()
    orders = serializers.IntegerField()
    average_order_value = _money()
    commission = _money()


class SalesTimeseriesSerializer(CurrencyInfoSerializer):
    period = SalesPeriodSerializer()
    granularity = serializers.CharField()
    points = SalesTimeseriesPointSerializer(many=True)


class SalesTopProductSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    product_id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    category_id = serializers.IntegerField(allow_null=True)
    category = serializers.CharField(allow_null=True)
    revenue = _money()
    units = _qty()
    share = serializers.FloatField(allow_null=True, help_text="Percent of the filtered total of the `by` metric.")


class SalesTopProductsSerializer(CurrencyInfoSerializer):
    period = SalesPeriodSerializer()
    by = serializers.CharField()
    limit = serializers.IntegerField()
    results = SalesTopProductSerializer(many=True)


class SalesProductBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    category_id = serializers.IntegerField(allow_null=True)
    category = serializers.CharField(allow_null=True)


class SalesTrendSerializer(serializers.Serializer):
    granularity = serializers.CharField()
    units_per_day_slope = serializers.FloatField(allow_null=True, help_text="Least-squares change of daily units.")
    series = SalesTimeseriesPointSerializer(many=True)


class SalesStockCoverSerializer(serializers.Serializer):
    known = serializers.BooleanField()
    on_hand = _qty(allow_null=True)
    as_of = serializers.DateTimeField(allow_null=True)
    average_daily_units = _qty(allow_null=True)
    days_of_cover = serializers.FloatField(allow_null=True)
    locations = serializers.IntegerField()


class SalesProductPerformanceSerializer(CurrencyInfoSerializer):
    product = SalesProductBriefSerializer()
    period = SalesPeriodSerializer()
    current = SalesTotalsSerializer()
    previous = SalesTotalsSerializer()
    delta = SalesDeltasSerializer()
    trend = SalesTrendSerializer()
    category_revenue = _money(allow_null=True)
    share_of_category = serializers.FloatField(allow_null=True, help_text="Percent of the category's revenue.")
    rank = serializers.IntegerField(allow_null=True, help_text="1 = most revenue among all products.")
    rank_in_category = serializers.IntegerField(allow_null=True)
    products_ranked = serializers.IntegerField()
    stock = SalesStockCoverSerializer()
