"""The Wildberries fake: token categories, statistics paging (80k rule), returns, cards, 429 headers."""

from __future__ import annotations

import pandas as pd
import pytest
import requests

from demo.fakes.wildberries import WB_STATISTICS_ONLY_TOKEN, WB_TOKEN, WildberriesFake

HEADERS = {"Authorization": WB_TOKEN}


@pytest.fixture
def wb(run_fake, small_dataset):
    app = WildberriesFake(small_dataset)
    return app, run_fake(app).url


def get(url: str, path: str, token: str = WB_TOKEN, **params) -> requests.Response:
    return requests.get(f"{url}{path}", headers={"Authorization": token}, params=params, timeout=10)


def test_ping_and_token_categories(wb):
    _app, url = wb
    assert get(url, "/ping").json()["Status"] == "OK"
    assert requests.get(f"{url}/ping", headers={"Authorization": f"Bearer {WB_TOKEN}"}).ok
    bad = get(url, "/api/v1/supplier/sales", token="nope", dateFrom="2026-10-01")
    assert bad.status_code == 401 and {"title", "detail", "status", "requestId"} <= set(bad.json())
    assert get(url, "/api/v1/supplier/sales", token=WB_STATISTICS_ONLY_TOKEN, dateFrom="2026-10-01").ok
    scoped = requests.post(
        f"{url}/content/v2/get/cards/list",
        headers={"Authorization": WB_STATISTICS_ONLY_TOKEN},
        json={"settings": {"cursor": {"limit": 10}}},
    )
    assert scoped.status_code == 401


def test_sales_are_incremental_by_last_change_date_and_add_up_to_the_demo_sales(wb, small_dataset):
    _app, url = wb
    rows = get(url, "/api/v1/supplier/sales", dateFrom="2026-01-01", flag=0).json()
    changes = [r["lastChangeDate"] for r in rows]
    assert changes == sorted(changes)
    later = get(url, "/api/v1/supplier/sales", dateFrom=changes[len(changes) // 2]).json()
    assert all(r["lastChangeDate"] >= changes[len(changes) // 2] for r in later) and len(later) < len(rows)
    sales = [r for r in rows if r["saleID"].startswith("S")]
    returns = [r for r in rows if r["saleID"].startswith("R")]
    assert returns and all(r["totalPrice"] < 0 and r["priceWithDisc"] <= 0 for r in returns)
    assert {r["srid"] for r in returns} <= {r["srid"] for r in sales}
    frame = pd.DataFrame(sales)
    per_day = frame.groupby(frame["date"].str[:10]).size()
    demo = small_dataset.sales_of("wildberries")
    demo_per_day = demo[demo["units"] > 0].groupby(demo["date"].dt.strftime("%Y-%m-%d"))["units"].sum()
    assert per_day.to_dict() == demo_per_day.to_dict()
    latest = [r for r in sales if r["date"].startswith(small_dataset.last_sales_date.isoformat())]
    assert latest and all(r["forPay"] == 0 for r in latest)  # money fields arrive about a day later


def test_the_80k_rule_with_a_small_cap(run_fake, small_dataset):
    app = WildberriesFake(small_dataset, page_cap=50)
    url = run_fake(app).url
    everything = app.sale_rows()
    collected: dict[tuple[str, str], dict] = {}
    date_from, calls = "2026-01-01", 0
    while True:
        page = get(url, "/api/v1/supplier/sales", dateFrom=date_from).json()
        calls += 1
        assert len(page) <= 50
        for row in page:
            collected[(row["srid"], row["saleID"])] = row
        if len(page) < 50:
            break
        date_from = page[-1]["lastChangeDate"]
    assert calls > len(everything) // 50
    assert len(collected) == len(everything)


def test_flag_1_returns_every_row_of_that_day(wb, small_dataset):
    _app, url = wb
    day = small_dataset.last_sales_date.replace(day=10).isoformat()
    rows = get(url, "/api/v1/supplier/orders", dateFrom=day, flag=1).json()
    assert rows and {r["date"][:10] for r in rows} == {day}
    assert get(url, "/api/v1/supplier/orders", dateFrom=day, flag=2).status_code == 400
    assert get(url, "/api/v1/supplier/orders").status_code == 400


def test_orders_include_cancellations(wb):
    _app, url = wb
    rows = get(url, "/api/v1/supplier/orders", dateFrom="2026-01-01").json()
    cancelled = [r for r in rows if r["isCancel"]]
    assert cancelled and all(r["cancelDate"] != "0001-01-01T00:00:00" for r in cancelled)
    assert "saleID" not in rows[0] and "forPay" not in rows[0]


def test_stocks_are_a_full_snapshot_whatever_date_from_says(wb, small_dataset):
    _app, url = wb
    old = get(url, "/api/v1/supplier/stocks", dateFrom="2019-06-20").json()
    new = get(url, "/api/v1/supplier/stocks", dateFrom="2026-10-30T00:00:00").json()
    assert old == new and len(old) == len(
        small_dataset.stock[small_dataset.stock["location_code"] == "WB-KOLEDINO"]
    )
    row = old[0]
    assert {"Price", "Discount", "quantityFull", "inWayToClient", "inWayFromClient"} <= set(row)
    assert row["quantityFull"] == row["quantity"] + row["inWayToClient"] + row["inWayFromClient"]


def test_cards_cursor_paging_walks_every_card_once(wb):
    app, url = wb
    seen: list[int] = []
    cursor: dict = {"limit": 7}
    while True:
        body = requests.post(
            f"{url}/content/v2/get/cards/list",
            headers=HEADERS,
            json={"settings": {"cursor": cursor, "filter": {"withPhoto": -1}}},
        ).json()
        seen.extend(card["nmID"] for card in body["cards"])
        if body["cursor"]["total"] < 7:
            break
        cursor = {"limit": 7, "updatedAt": body["cursor"]["updatedAt"], "nmID": body["cursor"]["nmID"]}
    assert len(seen) == len(set(seen)) == len(app.card_rows())
    sized = next(c for c in app.card_rows() if len(c["sizes"]) > 1)
    assert all(len(s["skus"]) == 1 for s in sized["sizes"])
    too_big = requests.post(
        f"{url}/content/v2/get/cards/list", headers=HEADERS, json={"settings": {"cursor": {"limit": 101}}}
    )
    assert too_big.status_code == 400


def test_rate_limit_answers_429_with_the_ratelimit_headers(run_fake, small_dataset):
    url = run_fake(WildberriesFake(small_dataset, rate_limits=True)).url
    first = get(url, "/api/v1/supplier/sales", dateFrom="2026-10-01")
    assert first.ok and first.headers["X-Ratelimit-Limit"] == "1"
    limited = get(url, "/api/v1/supplier/sales", dateFrom="2026-10-01")
    assert limited.status_code == 429
    assert int(limited.headers["X-Ratelimit-Retry"]) >= 1 and int(limited.headers["X-Ratelimit-Reset"]) >= 1
    assert limited.headers["X-Ratelimit-Remaining"] == "0" and limited.json()["status"] == 429
    assert get(url, "/api/v1/supplier/orders", dateFrom="2026-10-01").ok  # its own bucket


def test_injected_429_carries_the_given_retry_header(wb):
    app, url = wb
    app.fail_next(429, headers={"X-Ratelimit-Retry": "2"}, path="/supplier/")
    response = get(url, "/api/v1/supplier/stocks", dateFrom="2026-10-01")
    assert response.status_code == 429 and response.headers["X-Ratelimit-Retry"] == "2"
    assert get(url, "/api/v1/supplier/stocks", dateFrom="2026-10-01").ok
