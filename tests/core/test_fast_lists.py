"""Issue 14: the hot list pages read rows through CompiledListSerializer and skip an unasked filter set; the JSON is
DRF's own, key for key and in the same order."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import django_filters
import pytest
from django.utils import timezone
from rest_framework import serializers

from branches.api.serializers import LocationSerializer
from branches.api.views import LocationViewSet
from branches.models import Location
from core.api.fast_lists import CompiledListSerializer
from core.api.filters import _asks_for_a_filter, _inert_without_parameters
from forecasting.api.serializers import ForecastSerializer
from forecasting.api.views import ForecastViewSet
from forecasting.models import Forecast, ModelRun
from integrations.models import IntegrationAccount
from sales.api.serializers import DailySaleSerializer, ProductSerializer, attach_listed_relations
from sales.api.views import DailySaleViewSet, ProductViewSet
from sales.filtersets import ProductFilterSet
from sales.models import DailySale, Product, ProductBarcode, ProductCategory, ProductSourceRef

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/branches/", "/api/v1/products/", "/api/v1/daily-sales/", "/api/v1/forecasting/forecasts/"]


@pytest.fixture
def rows():
    """Rows with every shape the lists meet: nulls, missing relations, synced and manual, barcodes, refs."""
    account = IntegrationAccount.objects.create(kind="onec", name="1C", base_url="http://127.0.0.1:9/")
    root = Location.objects.create(name="HQ", code="HQ", time_zone="Asia/Almaty")
    shop = Location.objects.create(name="Shop", code="S1", parent=root, source=account, external_id="x-1",
                                   synced_at=timezone.now())
    Location.objects.create(name="Kiosk", parent=shop, is_active=False)
    drinks = ProductCategory.objects.create(code="D", name="Drinks")
    water = Product.objects.create(sku="W", name="Water", category=drinks, list_price=Decimal("1.50"))
    bread = Product.objects.create(sku="B", name="Bread")
    ProductBarcode.objects.create(product=water, barcode="4600001")
    ProductBarcode.objects.create(product=water, barcode="4600002")
    ProductSourceRef.objects.create(product=water, account=account, external_id="w-1", synced_at=timezone.now())
    ProductSourceRef.objects.create(product=bread, account=account, external_id="b-1")
    for day in range(3):
        DailySale.objects.create(location=shop, product=water, date=dt.date(2026, 11, 1) + dt.timedelta(days=day),
                                 quantity=Decimal("2.500"), revenue=Decimal("3.75"), price_paid=None)
    DailySale.objects.create(location=root, product=bread, date=dt.date(2026, 11, 2), quantity=Decimal(1),
                             revenue=Decimal("0.10"), discount=Decimal("0.01"), price_paid=Decimal("0.11"),
                             on_promotion=True)
    run = ModelRun.objects.create(status="succeeded", finished_at=timezone.now())
    Forecast.objects.bulk_create(Forecast(run=run, location=shop, product=water, date=dt.date(2026, 12, 1 + i),
                                          yhat=1.25 + i, p10=0.5, p50=1.0, p90=2.75) for i in range(3))
    return run


def _list_queryset(view_class):
    view = view_class()
    view.action, view.request, view.format_kwarg, view.kwargs = "list", None, None, {}
    return view.get_queryset()


CASES = [
    (LocationViewSet, LocationSerializer),
    (ProductViewSet, ProductSerializer),
    (DailySaleViewSet, DailySaleSerializer),
    (ForecastViewSet, ForecastSerializer),
]


@pytest.mark.parametrize("zone", ["UTC", "Asia/Almaty"])
@pytest.mark.parametrize(("view_class", "serializer_class"), CASES)
def test_compiled_list_equals_drf_row_by_row(rows, view_class, serializer_class, zone):
    assert serializer_class.Meta.list_serializer_class is CompiledListSerializer
    with timezone.override(zone):
        items = list(_list_queryset(view_class))
        assert items
        fast = serializer_class(items, many=True).data
        drf = [serializer_class(item).data for item in items]  # a single row: DRF's own to_representation
    assert json.dumps(fast) == json.dumps(drf)  # same keys, same order, same values


def test_daily_sales_page_reads_only_the_code_and_sku_of_its_relations(rows, django_assert_num_queries):
    """The page loads its location's code and product's SKU, not the whole related rows, and reads nothing deferred
    back: the same JSON as from whole rows, with no query while serializing."""
    listed = list(_list_queryset(DailySaleViewSet))
    assert {"name", "time_zone", "created_at"} <= listed[0].location.get_deferred_fields()
    assert {"name", "list_price"} <= listed[0].product.get_deferred_fields()
    assert not listed[0].get_deferred_fields()
    whole = list(DailySale.objects.select_related("location", "product").order_by("-date", "location_id",
                                                                                  "product_id"))
    with django_assert_num_queries(0):
        data = DailySaleSerializer(listed, many=True).data
    assert json.dumps(data) == json.dumps(DailySaleSerializer(whole, many=True).data)


def test_products_listed_relations_equal_the_relations(rows, django_assert_max_num_queries):
    """The products page's barcodes and source refs, loaded as plain lists in two queries, serialize as the
    relations themselves do (the detail and write paths)."""
    through_relations = [ProductSerializer(p).data for p in Product.objects.order_by("sku")]
    page = list(Product.objects.order_by("sku"))
    with django_assert_max_num_queries(2):
        attach_listed_relations(page)
    assert json.dumps(ProductSerializer(page, many=True).data) == json.dumps(through_relations)
    assert [r["barcodes"] for r in through_relations] == [[], ["4600001", "4600002"]]


def test_compiled_list_keeps_drfs_missing_attribute_rules():
    """A dotted source over a missing relation: null when allowed, skipped when read-only, DRF's error otherwise;
    a callable source is called; SerializerMethodField and source='*' as DRF."""

    class Row:
        def __init__(self, parent, label):
            self.parent, self.label, self.pk = parent, label, 1

        def shout(self):
            return self.label.upper()

    class LabelOnly(serializers.Serializer):
        label = serializers.CharField()

    class RowSerializer(serializers.Serializer):
        label = serializers.CharField()
        parent_label = serializers.CharField(source="parent.label", allow_null=True)
        parent_only = serializers.CharField(source="parent.label", read_only=True)
        shout = serializers.CharField()
        when = serializers.DateTimeField(source="parent.when", default=None)
        method = serializers.SerializerMethodField()
        whole = LabelOnly(source="*", read_only=True)

        class Meta:
            list_serializer_class = CompiledListSerializer

        def get_method(self, obj):
            return f"m-{obj.label}"

    parent = Row(None, "p")
    parent.when = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)
    items = [Row(parent, "a"), Row(None, "b")]
    for item in items:
        item.__dict__.setdefault("when", None)
    fast = RowSerializer(items, many=True).data
    drf = [RowSerializer(item).data for item in items]
    assert json.dumps(fast) == json.dumps(drf)
    assert "parent_only" not in fast[1]  # skipped, as DRF skips it


@pytest.mark.parametrize("path", LISTS)
def test_lists_on_an_empty_database_answer_200(client_for, path):
    response = client_for("admin").get(path)
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 0 and response.json()["results"] == []


@pytest.mark.parametrize("path", LISTS)
def test_list_rows_equal_their_detail(client_for, rows, path):
    """End to end: every row of a list page is what the detail endpoint (DRF's single-object path) answers."""
    client = client_for("admin")
    query = f"?run={rows.pk}" if "forecasts" in path else ""  # the run's own forecasts (no scope of record here)
    listed = client.get(path + query).json()["results"]
    assert listed
    for row in listed:
        detail = client.get(f"{path}{row['id']}/")
        assert detail.status_code == 200
        assert json.dumps(row) == json.dumps(detail.json())


def test_unasked_filters_are_skipped_only_when_that_changes_nothing():
    assert _inert_without_parameters(ProductFilterSet)

    class Custom(django_filters.FilterSet):
        sku = django_filters.CharFilter()

        class Meta:
            model = Product
            fields = []

        def filter_queryset(self, queryset):
            return super().filter_queryset(queryset).filter(is_active=True)

    class Required(django_filters.FilterSet):
        sku = django_filters.CharFilter(required=True)

        class Meta:
            model = Product
            fields = []

    assert not _inert_without_parameters(Custom)
    assert not _inert_without_parameters(Required)
    assert not _asks_for_a_filter({"page_size": "50", "page": "2", "ordering": "sku"}, ProductFilterSet)
    assert _asks_for_a_filter({"is_active": "true"}, ProductFilterSet)
    assert _asks_for_a_filter({"sku_0": "x"}, ProductFilterSet)  # a widget's suffix


def test_filters_still_apply_and_an_unknown_page_is_still_a_404(client_for, rows):
    client = client_for("viewer")
    assert [p["sku"] for p in client.get("/api/v1/products/").json()["results"]] == ["B", "W"]
    assert [p["sku"] for p in client.get("/api/v1/products/?kind=goods&sku=W").json()["results"]] == ["W"]
    assert client.get("/api/v1/branches/?page=9").status_code == 404
