"""The Sentos fake: Basic auth, page envelopes, products with variants and stocks, orders, minute limits."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from demo.fakes.sentos import CANCELLED_STATUS, SENTOS_API_KEY, SENTOS_API_SECRET, SentosFake

AUTH = (SENTOS_API_KEY, SENTOS_API_SECRET)


@pytest.fixture
def sentos(run_fake, small_dataset):
    app = SentosFake(small_dataset)
    return app, run_fake(app).url + "/api"


def test_warehouses_with_basic_auth(sentos, small_dataset):
    _app, base = sentos
    body = requests.get(f"{base}/warehouses", auth=AUTH, headers={"Accept": "application/json"}).json()
    assert body == {"data": [{"id": w.id, "name": w.name} for w in small_dataset.sentos_warehouses]}


@pytest.mark.parametrize("auth", [None, (SENTOS_API_KEY, "wrong"), ("wrong", SENTOS_API_SECRET)])
def test_wrong_keys_get_401_json(sentos, auth):
    _app, base = sentos
    response = requests.get(f"{base}/products", auth=auth)
    assert response.status_code == 401 and "message" in response.json()


def test_products_page_envelope_exact_boundary_and_empty_page(sentos):
    app, base = sentos
    total = len(app.product_rows())
    size = 5
    assert total > 2 * size  # enough rows for several pages
    first = requests.get(f"{base}/products", auth=AUTH, params={"page": 1, "size": size}).json()
    assert {k: first[k] for k in ("page", "size", "total_elements")} == {
        "page": 1,
        "size": size,
        "total_elements": total,
    }
    pages = first["total_pages"]
    assert pages == -(-total // size)
    seen = []
    for page in range(1, pages + 2):
        data = requests.get(f"{base}/products", auth=AUTH, params={"page": page, "size": size}).json()["data"]
        seen.extend(row["id"] for row in data)
        if page == pages + 1:
            assert data == []
    assert len(seen) == total == len(set(seen))
    exact = requests.get(f"{base}/products", auth=AUTH, params={"page": 1, "size": total}).json()
    assert exact["total_pages"] == 1 and len(exact["data"]) == total
    assert requests.get(f"{base}/products", auth=AUTH, params={"page": 0}).status_code == 400


def test_products_carry_variants_and_both_warehouse_shapes(sentos, small_dataset):
    app, base = sentos
    rows = app.product_rows()
    with_variants = next(r for r in rows if r["variants"])
    plain = next(r for r in rows if not r["variants"])
    assert isinstance(plain["stocks"][0]["warehouse"], int) and isinstance(plain["stocks"][0]["stock"], str)
    variant = with_variants["variants"][0]
    assert set(variant["stocks"][0]["warehouse"]) == {"id", "name"}
    assert variant["model"]["name"] == "Beden" and variant["sku"].startswith(with_variants["sku"])
    found = requests.get(f"{base}/products", auth=AUTH, params={"sku": variant["sku"]}).json()["data"]
    assert [r["id"] for r in found] == [with_variants["id"]]
    by_barcode = requests.get(f"{base}/products", auth=AUTH, params={"barcode": plain["barcode"]}).json()
    assert [r["id"] for r in by_barcode["data"]] == [plain["id"]]
    assert requests.get(f"{base}/products/{plain['id']}", auth=AUTH).json()["sku"] == plain["sku"]
    assert requests.get(f"{base}/products/1", auth=AUTH).status_code == 404
    shared = {p.barcode for p in small_dataset.products_of("sentos")} & {
        p.barcode for p in small_dataset.products_of("wildberries")
    }
    assert shared  # the same goods are sold through several systems


def test_orders_add_up_to_the_demo_sales_and_include_cancellations(sentos, small_dataset):
    _app, base = sentos
    start, end = small_dataset.start_date, small_dataset.last_sales_date
    orders, page = [], 1
    while True:
        body = requests.get(
            f"{base}/orders",
            auth=AUTH,
            params={"start_date": start.isoformat(), "end_date": end.isoformat(), "page": page, "size": 100},
        ).json()
        orders.extend(body["data"])
        if page >= body["total_pages"]:
            break
        page += 1
    assert len({o["id"] for o in orders}) == len(orders)
    kept = [o for o in orders if o["status"] != CANCELLED_STATUS]
    assert len(kept) < len(orders)  # some cancellations
    units = sum(line["quantity"] for o in kept for line in o["lines"])
    amount = round(sum(float(line["amount"]) for o in kept for line in o["lines"]), 2)
    sales = small_dataset.sales_of("sentos")
    assert units == sales["units"].sum()
    assert amount == pytest.approx(sales["revenue"].sum(), abs=0.05)
    first = orders[0]
    dt.datetime.strptime(first["order_date"], "%Y-%m-%d %H:%M:%S")
    assert first["lines"][0]["currency"] == "TRY" and isinstance(first["total"], str)


def test_orders_filters_and_required_dates(sentos, small_dataset):
    _app, base = sentos
    day = small_dataset.last_sales_date.isoformat()
    assert requests.get(f"{base}/orders", auth=AUTH).status_code == 400
    assert (
        requests.get(
            f"{base}/orders", auth=AUTH, params={"start_date": "01.10.2026", "end_date": day}
        ).status_code
        == 400
    )
    everything = requests.get(
        f"{base}/orders", auth=AUTH, params={"start_date": day, "end_date": day, "size": 100}
    ).json()["data"]
    assert everything and {o["order_date"][:10] for o in everything} == {day}
    descending = requests.get(
        f"{base}/orders",
        auth=AUTH,
        params={"start_date": day, "end_date": day, "size": 100, "orderby_direction": "DESC"},
    ).json()["data"]
    assert descending == list(reversed(everything))
    marketplace = everything[0]["source"]
    filtered = requests.get(
        f"{base}/orders",
        auth=AUTH,
        params={"start_date": day, "end_date": day, "size": 100, "marketplace": marketplace.lower()},
    ).json()["data"]
    assert filtered and {o["source"] for o in filtered} == {marketplace}
    in_body = requests.get(f"{base}/orders", auth=AUTH, json={"start_date": day, "end_date": day})
    assert in_body.status_code == 200  # one client sends the parameters in the GET body


def test_per_minute_limits_give_429_with_retry_after(run_fake, small_dataset):
    base = run_fake(SentosFake(small_dataset, rate_limits=True)).url + "/api"
    assert requests.get(f"{base}/products", auth=AUTH).ok
    assert requests.get(f"{base}/products", auth=AUTH).ok
    limited = requests.get(f"{base}/products", auth=AUTH)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert requests.get(f"{base}/warehouses", auth=AUTH).ok  # another GET has its own allowance


def test_injected_5xx_then_success(sentos):
    app, base = sentos
    app.fail_next(502, path="/api/products")
    assert requests.get(f"{base}/products", auth=AUTH).status_code == 502
    assert requests.get(f"{base}/products", auth=AUTH).status_code == 200
