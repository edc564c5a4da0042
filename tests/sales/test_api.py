"""Sales list/CRUD API: permissions per role, filters (date range, location subtree, category subtree, channel)."""

import datetime as dt
from decimal import Decimal

import pytest

from sales.models import DailySale, DemandDriver, Order, OrderLine, Product, StockLevel
from sales.services.ingest import upsert_orders

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)
LISTS = ["products", "product-categories", "daily-sales", "stock-levels", "orders", "customers", "demand-drivers",
         "import-export/jobs"]


@pytest.mark.parametrize("endpoint", LISTS)
def test_every_list_answers_on_an_empty_database(client_for, endpoint):
    response = client_for("viewer").get(f"/api/v1/{endpoint}/")
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize(("role", "read", "write"), [
    ("anonymous", 401, 401), ("viewer", 200, 403), ("planner", 200, 403), ("integrator", 200, 201),
    ("admin", 200, 201),
])
def test_roles(client_for, shop, role, read, write):
    client = client_for(role)
    assert client.get("/api/v1/daily-sales/").status_code == read
    response = client.post("/api/v1/daily-sales/", {"location": shop["b1"].pk, "product": shop["p1"].pk,
                                                    "date": "2026-03-01", "quantity": "2", "revenue": "5"})
    assert response.status_code == write, response.content
    assert client.post("/api/v1/products/", {"sku": f"N-{role}", "name": "New"}).status_code == write


def test_daily_sale_validation_names_the_field(client_for, shop):
    client = client_for("integrator")
    payload = {"location": shop["b1"].pk, "product": shop["p1"].pk, "date": "2026-03-01", "quantity": "-1"}
    response = client.post("/api/v1/daily-sales/", payload)
    assert response.status_code == 400 and "quantity" in response.json()
    assert client.post("/api/v1/daily-sales/", {**payload, "quantity": "1"}).status_code == 201
    duplicate = client.post("/api/v1/daily-sales/", {**payload, "quantity": "1"})
    assert duplicate.status_code == 400


def test_daily_sales_filters(client_for, shop, make_location, make_category, make_product):
    other_region = make_location("R2")
    far = make_location("B9", parent=other_region)
    drinks = make_category("DRINKS")
    juice = make_category("JUICE", parent=drinks)
    oj = make_product("OJ", category=juice)
    for location, product, day in [(shop["b1"], shop["p1"], DAY), (shop["b2"], oj, DAY),
                                   (far, oj, DAY), (shop["b1"], oj, DAY - dt.timedelta(days=10))]:
        DailySale.objects.create(location=location, product=product, date=day, quantity=1)
    client = client_for("viewer")

    def count(**params):
        response = client.get("/api/v1/daily-sales/", params)
        assert response.status_code == 200, response.content
        return response.json()["count"]

    assert count() == 4
    assert count(location=shop["region"].pk) == 3
    assert count(location=shop["b1"].pk) == 2
    assert count(category=drinks.pk) == 3
    assert count(category=drinks.pk, location=shop["region"].pk, date_from=DAY.isoformat()) == 1
    assert count(date_to=(DAY - dt.timedelta(days=1)).isoformat()) == 1
    assert count(sku="OJ", location_code="B9") == 1
    assert client.get("/api/v1/daily-sales/", {"location": 999999}).status_code == 400
    assert "date_from" in client.get("/api/v1/daily-sales/", {"date_from": "yesterday"}).json()
    assert client.get("/api/v1/daily-sales/", {"page_size": 1001}).status_code == 400


def test_list_query_count_is_flat(client_for, shop, django_assert_max_num_queries):
    for i in range(30):
        DailySale.objects.create(location=shop["b1"], product=shop["p1"], date=DAY - dt.timedelta(days=i),
                                 quantity=1)
        Product.objects.create(sku=f"Q{i}", name="q")
    client = client_for("viewer")
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/daily-sales/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/products/").status_code == 200


def test_product_crud_with_barcodes(client_for, make_category):
    client = client_for("integrator")
    category = make_category("FRUIT")
    created = client.post("/api/v1/products/", {"sku": "A1", "name": "Apple", "category": category.pk,
                                                "barcodes": ["4601234567893"]}, format="json")
    assert created.status_code == 201, created.content
    product_id = created.json()["id"]
    assert created.json()["barcodes"] == ["4601234567893"]
    clash = client.post("/api/v1/products/", {"sku": "A2", "name": "Pear", "barcodes": ["4601234567893"]},
                        format="json")
    assert clash.status_code == 400 and "barcodes" in clash.json()
    updated = client.patch(f"/api/v1/products/{product_id}/", {"barcodes": ["111"]}, format="json")
    assert updated.json()["barcodes"] == ["111"]
    assert client.get("/api/v1/products/", {"q": "111"}).json()["count"] == 1
    assert client.get("/api/v1/products/", {"category": category.pk}).json()["count"] == 1


def test_deleting_a_product_with_sales_is_a_conflict(client_for, shop):
    DailySale.objects.create(location=shop["b1"], product=shop["p1"], date=DAY, quantity=1)
    response = client_for("integrator").delete(f"/api/v1/products/{shop['p1'].pk}/")
    assert response.status_code == 409 and "daily sales" in response.json()["detail"]


def test_orders_detail_has_lines_and_filters_work(client_for, shop, account):
    upsert_orders(account, [
        {"external_id": "o-1", "ordered_at": "2026-03-02T10:00:00+00:00", "location_code": "B1", "channel": "wb",
         "lines": [{"sku": "P1", "quantity": 2, "price": 5}]},
        {"external_id": "o-2", "ordered_at": "2026-03-03T10:00:00+00:00", "location_code": "B2", "channel": "ozon",
         "lines": [{"sku": "P2", "quantity": 1, "price": 5}]},
    ])
    client = client_for("viewer")
    listing = client.get("/api/v1/orders/", {"channel": "wb"}).json()
    assert [o["external_id"] for o in listing["results"]] == ["o-1"]
    assert "lines" not in listing["results"][0] and listing["results"][0]["line_count"] == 1
    detail = client.get(f"/api/v1/orders/{listing['results'][0]['id']}/").json()
    assert [(line["sku"], line["quantity"]) for line in detail["lines"]] == [("P1", "2.000")]
    assert client.get("/api/v1/orders/", {"product": shop["p2"].pk}).json()["count"] == 1
    assert client.get("/api/v1/orders/", {"location": shop["region"].pk}).json()["count"] == 2
    assert client.get("/api/v1/orders/", {"date_from": "2026-03-03"}).json()["count"] == 1
    assert client.get("/api/v1/customers/", {"channel": "wb"}).status_code == 200


def test_manual_orders_through_the_api(client_for, shop):
    client = client_for("integrator")
    payload = {"external_id": "m-1", "ordered_at": "2026-03-02T10:00:00Z", "location": shop["b1"].pk,
               "lines": [{"product": shop["p1"].pk, "quantity": "2", "price": "3.00"}]}
    created = client.post("/api/v1/orders/", payload, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["total"] == "6.00" and len(created.json()["lines"]) == 1
    assert client.post("/api/v1/orders/", payload, format="json").status_code == 400  # same external id
    order_id = created.json()["id"]
    payload["lines"].append({"product": shop["p2"].pk, "quantity": "1", "price": "1.00"})
    updated = client.put(f"/api/v1/orders/{order_id}/", payload, format="json")
    assert updated.status_code == 200 and len(updated.json()["lines"]) == 2
    assert OrderLine.objects.count() == 2 and Order.objects.count() == 1
    assert client_for("planner").post("/api/v1/orders/", payload, format="json").status_code == 403


def test_stock_latest_filter_and_drivers(client_for, shop):
    for hour in (6, 18):
        StockLevel.objects.create(location=shop["b1"], product=shop["p1"], on_hand=hour,
                                  as_of=dt.datetime(2026, 3, 1, hour, tzinfo=dt.UTC))
    DemandDriver.objects.create(location=shop["b1"], product=None, date=DAY, is_open=False)
    client = client_for("viewer")
    latest = client.get("/api/v1/stock-levels/", {"latest": "true"}).json()
    assert [row["on_hand"] for row in latest["results"]] == ["18.000"]
    drivers = client.get("/api/v1/demand-drivers/", {"all_products": "true", "location": shop["region"].pk}).json()
    assert drivers["count"] == 1 and drivers["results"][0]["sku"] is None
    integrator = client_for("integrator")
    clash = integrator.post("/api/v1/demand-drivers/", {"location": shop["b1"].pk, "date": DAY.isoformat(),
                                                        "is_open": True}, format="json")
    assert clash.status_code == 400 and "date" in clash.json()
    assert DemandDriver.objects.get().is_open is False
    assert Decimal(StockLevel.objects.order_by("as_of").last().on_hand) == 18


def test_the_manual_order_rules_live_in_the_service_and_answer_in_the_api(client_for, shop):
    from integrations.models import IntegrationAccount
    from sales.services.orders import OrderRowsInvalid, save_manual_order

    client = client_for("integrator")
    payload = {"external_id": "m-2", "ordered_at": "2026-03-02T10:00:00Z", "location": shop["b1"].pk,
               "lines": [{"product": shop["p1"].pk, "quantity": "2", "price": "3.00"}]}
    order_id = client.post("/api/v1/orders/", payload, format="json").json()["id"]

    renamed = client.put(f"/api/v1/orders/{order_id}/", {**payload, "external_id": "m-3"}, format="json")
    assert renamed.status_code == 400
    assert renamed.json()["external_id"] == ["the external id of an order cannot change."]

    account = IntegrationAccount.objects.create(kind="onec", name="1C orders", base_url="http://127.0.0.1:1")
    Order.objects.filter(pk=order_id).update(account=account)
    synced = client.put(f"/api/v1/orders/{order_id}/", payload, format="json")
    assert synced.status_code == 409 and "change it in the source system" in synced.json()["detail"]

    with pytest.raises(OrderRowsInvalid) as invalid:
        save_manual_order({"external_id": "m-4", "ordered_at": "2026-03-02T10:00:00Z", "location": "NOPE",
                           "lines": []})
    assert invalid.value.errors and set(invalid.value.as_dict()) >= {"code"}
    assert not Order.objects.filter(external_id="m-4").exists()


def test_the_products_list_shows_each_products_barcodes_and_source_refs_in_flat_queries(
        client_for, make_product, account, django_assert_max_num_queries):
    from sales.models import ProductBarcode, ProductSourceRef

    client = client_for("viewer")
    for index in range(6):
        product = make_product(f"P{index}")
        ProductBarcode.objects.bulk_create([ProductBarcode(product=product, barcode=f"{index}-{n}") for n in (2, 1)])
        ProductSourceRef.objects.create(product=product, account=account, external_id=f"ext-{index}")
    client.get("/api/v1/products/")  # the user and permissions cached, as for any later request
    with django_assert_max_num_queries(5):  # count, page, barcodes, source refs (+ their accounts joined)
        listed = client.get("/api/v1/products/").json()["results"]
    assert len(listed) == 6
    for row in listed:
        index = row["sku"][1:]
        assert row["barcodes"] == [f"{index}-2", f"{index}-1"]  # in the order they were added
        assert [(r["external_id"], r["account_name"]) for r in row["source_refs"]] == [(f"ext-{index}", "Sentos TR")]
        assert client.get(f"/api/v1/products/{row['id']}/").json() == row  # the detail answers the same
