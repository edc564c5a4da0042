"""The MoySklad fake: gzip requirement, auth, offset paging with nextHref, expand, kopecks, the bucket."""

from __future__ import annotations

import gzip
import re
import urllib.request

import pytest
import requests

from demo.fakes.moysklad import MOYSKLAD_LOGIN, MOYSKLAD_PASSWORD, MOYSKLAD_TOKEN, MoySkladFake

AUTH = (MOYSKLAD_LOGIN, MOYSKLAD_PASSWORD)
MS_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$")


@pytest.fixture
def ms(run_fake, small_dataset):
    app = MoySkladFake(small_dataset)
    return app, run_fake(app).url + "/api/remap/1.2"


def test_gzip_is_mandatory_and_answers_are_gzip_encoded(ms):
    _app, base = ms
    plain = requests.get(f"{base}/entity/store", auth=AUTH, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 415 and plain.content == b""
    request = urllib.request.Request(
        f"{base}/entity/store",
        headers={"Accept-Encoding": "gzip", "Authorization": requests.auth._basic_auth_str(*AUTH)},
    )
    with urllib.request.urlopen(request, timeout=5) as raw:
        assert raw.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(raw.read()).startswith(b"{")


def test_basic_bearer_and_token_revocation(ms):
    app, base = ms
    wrong = requests.get(f"{base}/entity/store", auth=(MOYSKLAD_LOGIN, "nope"))
    assert wrong.status_code == 401 and wrong.json()["errors"][0]["code"] == 1056
    assert "X-Lognex-Auth" in wrong.headers
    assert requests.get(f"{base}/entity/store", headers={"Authorization": f"Bearer {MOYSKLAD_TOKEN}"}).ok
    first = requests.post(f"{base}/security/token", auth=AUTH).json()["access_token"]
    assert requests.get(f"{base}/entity/store", headers={"Authorization": f"Bearer {first}"}).ok
    second = requests.post(f"{base}/security/token", auth=AUTH).json()["access_token"]
    assert (
        requests.get(f"{base}/entity/store", headers={"Authorization": f"Bearer {first}"}).status_code == 401
    )
    assert requests.get(f"{base}/entity/store", headers={"Authorization": f"Bearer {second}"}).ok
    assert app.revoked_tokens == [first]


def test_stores_have_a_parent_group_and_moscow_times(ms, small_dataset):
    _app, base = ms
    body = requests.get(f"{base}/entity/store", auth=AUTH).json()
    rows = body["rows"]
    assert body["meta"]["size"] == len(small_dataset.moysklad_stores) and "nextHref" not in body["meta"]
    child = next(r for r in rows if "parent" in r)
    parent_id = child["parent"]["meta"]["href"].rsplit("/", 1)[1]
    assert any(r["id"] == parent_id and "parent" not in r for r in rows)
    assert child["pathName"] == "Розничная сеть" and MS_TIME.match(child["updated"])
    onec_codes = {b.code for b in small_dataset.onec_branches}
    assert child["code"] in onec_codes
    archived = requests.get(f"{base}/entity/store", auth=AUTH, params={"filter": "archived=true"}).json()
    assert [r["archived"] for r in archived["rows"]] == [True]


def test_products_page_with_next_href_until_the_end_and_money_is_in_kopecks(ms, small_dataset):
    _app, base = ms
    url, rows, pages = f"{base}/entity/product?limit=7", [], 0
    while url:
        body = requests.get(url, auth=AUTH).json()
        rows.extend(body["rows"])
        pages += 1
        url = body["meta"].get("nextHref")
    expected = small_dataset.products_of("moysklad")
    assert len(rows) == len(expected) == body["meta"]["size"] and pages == -(-len(expected) // 7)
    by_sku = {p.sku: p for p in expected}
    first = rows[0]
    assert first["salePrices"][0]["value"] == round(by_sku[first["article"]].list_price * 100)
    assert first["barcodes"][0]["ean13"] == by_sku[first["article"]].barcode
    exact = requests.get(f"{base}/entity/product", auth=AUTH, params={"limit": len(expected)}).json()
    assert "nextHref" not in exact["meta"] and len(exact["rows"]) == len(expected)
    beyond = requests.get(f"{base}/entity/product", auth=AUTH, params={"offset": len(expected)}).json()
    assert beyond["rows"] == [] and "previousHref" in beyond["meta"]
    assert requests.get(f"{base}/entity/product", auth=AUTH, params={"limit": 1001}).status_code == 400
    recent = requests.get(
        f"{base}/entity/product",
        auth=AUTH,
        params={"filter": f"updated>={small_dataset.last_sales_date} 00:00:00"},
    ).json()
    assert len(recent["rows"]) < len(expected)


def test_retail_demands_with_positions_add_up_to_the_day(ms, small_dataset):
    _app, base = ms
    day = small_dataset.last_sales_date
    params = {"filter": f"moment>={day} 00:00:00;moment<{day} 23:59:59", "expand": "positions", "limit": 100}
    body = requests.get(f"{base}/entity/retaildemand", auth=AUTH, params=params).json()
    demands = body["rows"]
    assert demands and all(MS_TIME.match(d["moment"]) and d["moment"].startswith(str(day)) for d in demands)
    units = sum(p["quantity"] for d in demands for p in d["positions"]["rows"])
    kopecks = sum(d["sum"] for d in demands)
    sales = small_dataset.sales_of("moysklad")
    today = sales[sales["date"] == str(day)]
    assert units == today["units"].sum()
    assert kopecks == pytest.approx(today["revenue"].sum() * 100, abs=len(demands) * 8)
    assert all(d["sum"] == d["cashSum"] + d["noCashSum"] for d in demands)
    position = demands[0]["positions"]["rows"][0]
    assert position["assortment"]["meta"]["type"] == "product"
    lazy = requests.get(f"{base}/entity/retaildemand", auth=AUTH, params={**params, "expand": ""}).json()
    assert "rows" not in lazy["rows"][0]["positions"]
    href = lazy["rows"][0]["positions"]["meta"]["href"]
    assert len(requests.get(href, auth=AUTH).json()["rows"]) == lazy["rows"][0]["positions"]["meta"]["size"]


def test_expand_needs_a_limit_of_at_most_100(ms):
    _app, base = ms
    response = requests.get(f"{base}/entity/retaildemand", auth=AUTH, params={"expand": "positions"})
    assert response.status_code == 400 and response.json()["errors"][0]["parameter"] == "limit"
    bad_filter = requests.get(
        f"{base}/entity/retaildemand", auth=AUTH, params={"filter": "moment>=yesterday"}
    )
    assert bad_filter.status_code == 400


def test_stock_report_rows_and_store_filter(ms, small_dataset):
    _app, base = ms
    body = requests.get(f"{base}/report/stock/all", auth=AUTH).json()
    row = body["rows"][0]
    assert row["quantity"] == row["stock"] - row["reserve"] + row["inTransit"]
    assert row["meta"]["type"] == "product" and isinstance(row["salePrice"], float)
    store = small_dataset.locations_of("moysklad")[0].external_id
    href = f"{base}/entity/store/{store}"
    filtered = requests.get(
        f"{base}/report/stock/all", auth=AUTH, params={"filter": f"store={href};stockMode=positiveOnly"}
    ).json()
    assert filtered["rows"] and all(r["stock"] > 0 for r in filtered["rows"])
    current = requests.get(f"{base}/report/stock/bystore/current", auth=AUTH).json()
    assert {"assortmentId", "storeId", "stock"} == set(current[0])


def test_bucket_weights_and_429_with_lognex_headers(run_fake, small_dataset):
    app = MoySkladFake(small_dataset, rate_limits=True, bucket_units=12, bucket_seconds=30, request_weight=3)
    base = run_fake(app).url + "/api/remap/1.2"
    first = requests.get(f"{base}/report/stock/all", auth=AUTH)  # weight 5
    assert (
        first.ok
        and first.headers["X-RateLimit-Limit"] == "12"
        and first.headers["X-RateLimit-Remaining"] == "7"
    )
    assert requests.get(f"{base}/report/stock/all", auth=AUTH).ok  # 2 units left
    limited = requests.get(f"{base}/entity/store", auth=AUTH)  # weight 3 > 2
    assert limited.status_code == 429
    assert limited.json()["errors"][0]["code"] == 1049
    assert int(limited.headers["X-Lognex-Retry-After"]) > 0  # milliseconds
    assert "X-Lognex-Reset" in limited.headers


def test_malformed_answer_is_still_gzip_but_broken_json(ms):
    app, base = ms
    app.malformed_next(path="entity/product")
    response = requests.get(f"{base}/entity/product", auth=AUTH)
    assert response.headers["Content-Encoding"] == "gzip"
    with pytest.raises(ValueError):
        response.json()
