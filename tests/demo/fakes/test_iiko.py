"""The iikoServer fake: tokens and licence seats, XML org structure and its attacks, products, OLAP, stock."""

from __future__ import annotations

import threading
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
import pytest
import requests
from defusedxml import DTDForbidden, EntitiesForbidden

from demo.fakes.iiko import IIKO_LOGIN, IIKO_PASSWORD, LICENCE_TEXT, IikoFake, sha1_hex

PASS = sha1_hex(IIKO_PASSWORD)


def login(url: str, password_hash: str = PASS) -> requests.Response:
    return requests.get(
        f"{url}/resto/api/auth", params={"login": IIKO_LOGIN, "pass": password_hash}, timeout=5
    )


def olap_body(date_from: str = "2026-10-01", date_to: str = "2026-10-31", **filters) -> dict:
    return {
        "reportType": "SALES",
        "buildSummary": False,
        "groupByRowFields": ["Department.Id", "OpenDate.Typed", "DishId"],
        "groupByColFields": [],
        "aggregateFields": ["DishAmountInt", "DishSumInt", "DishDiscountSumInt"],
        "filters": {
            "OpenDate.Typed": {
                "filterType": "DateRange",
                "periodType": "CUSTOM",
                "from": date_from,
                "to": date_to,
                "includeLow": True,
                "includeHigh": False,
            },
            **filters,
        },
    }


NOT_DELETED = {
    "OrderDeleted": {"filterType": "IncludeValues", "values": ["NOT_DELETED"]},
    "DeletedWithWriteoff": {
        "filterType": "ExcludeValues",
        "values": ["DELETED_WITH_WRITEOFF", "DELETED_WITHOUT_WRITEOFF"],
    },
}


@pytest.fixture
def iiko(run_fake, small_dataset):
    app = IikoFake(small_dataset)
    return app, run_fake(app).url


def test_auth_with_sha1_gives_a_text_token_a_cookie_and_logout_frees_the_seat(iiko):
    app, url = iiko
    response = login(url)
    token = response.text
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/plain")
    assert response.cookies["key"] == token and len(token) == 36
    assert requests.get(f"{url}/resto/api/corporation/departments", cookies={"key": token}).status_code == 200
    assert app.unreleased_tokens() == [token]
    assert requests.get(f"{url}/resto/api/logout", params={"key": token}).status_code == 200
    assert app.unreleased_tokens() == [] and app.logged_out_tokens == [token]
    assert requests.get(f"{url}/resto/api/corporation/departments", params={"key": token}).status_code == 401


def test_wrong_password_and_missing_key_are_401_text(iiko):
    _app, url = iiko
    wrong = login(url, sha1_hex("resto#" + IIKO_PASSWORD))
    assert wrong.status_code == 401 and wrong.headers["Content-Type"].startswith("text/plain")
    assert requests.get(f"{url}/resto/api/corporation/departments").status_code == 401


def test_one_licence_seat_blocks_a_second_login_until_logout(iiko):
    app, url = iiko
    first = login(url).text
    second = login(url)
    assert second.status_code == 403 and second.text == LICENCE_TEXT
    requests.post(f"{url}/resto/api/logout", params={"key": first})
    assert login(url).status_code == 200
    assert len(app.issued_tokens) == 2


def test_more_seats_allow_parallel_tokens(run_fake, small_dataset):
    url = run_fake(IikoFake(small_dataset, seats=2)).url
    assert login(url).ok and login(url).ok
    assert login(url).status_code == 403


def test_idle_tokens_expire_and_a_restart_forgets_them(run_fake, small_dataset):
    now = [1000.0]
    app = IikoFake(small_dataset, token_ttl=60, clock=lambda: now[0])
    url = run_fake(app).url
    token = login(url).text
    now[0] += 30
    assert requests.get(
        f"{url}/resto/api/corporation/stores", params={"key": token}
    ).ok  # use renews idle time
    now[0] += 61
    assert requests.get(f"{url}/resto/api/corporation/stores", params={"key": token}).status_code == 401
    assert app.expired_tokens == [token] and app.unreleased_tokens() == []
    fresh = login(url).text  # the expired token freed its seat
    app.expire_tokens()
    assert requests.get(f"{url}/resto/api/corporation/stores", params={"key": fresh}).status_code == 401
    assert requests.get(f"{url}/resto/api/logout", params={"key": fresh}).status_code == 401


def test_departments_xml_links_iiko_codes_to_1c_and_stores_are_separate(iiko, small_dataset):
    _app, url = iiko
    token = login(url).text
    root = SafeET.fromstring(
        requests.get(
            f"{url}/resto/api/corporation/departments", params={"key": token, "revisionFrom": -1}
        ).content
    )
    assert root.tag == "corporateItemDtoes"
    items = root.findall("corporateItemDto")
    types = {i.findtext("type") for i in items}
    assert "CORPORATION" in types and "STORE" not in types
    corporation = next(i for i in items if i.findtext("type") == "CORPORATION")
    assert not corporation.findtext("parentId")
    onec_codes = {b.code for b in small_dataset.onec_branches}
    assert (
        sum(1 for i in items if i.findtext("type") == "DEPARTMENT" and i.findtext("code") in onec_codes) >= 6
    )
    nested = [i for i in items if i.find("jurPersonAdditionalPropertiesDto/taxpayerId") is not None]
    direct = [i for i in items if i.findtext("type") == "JURPERSON" and i.findtext("taxpayerIdNumber")]
    assert nested and direct
    stores = SafeET.fromstring(
        requests.get(f"{url}/resto/api/corporation/stores", params={"key": token}).content
    )
    assert {i.findtext("type") for i in stores.findall("corporateItemDto")} == {"STORE"}


@pytest.mark.parametrize(
    ("payload", "marker", "error"),
    [
        ("xxe", '<!ENTITY xxe SYSTEM "file:///etc/passwd">', EntitiesForbidden),
        ("billion_laughs", '<!ENTITY lol9 "&lol8;&lol8;', EntitiesForbidden),
    ],
)
def test_attack_payloads_are_served_when_switched_on(run_fake, small_dataset, payload, marker, error):
    app = IikoFake(small_dataset, xml_payload=payload)
    url = run_fake(app).url
    token = login(url).text
    text = requests.get(f"{url}/resto/api/corporation/departments", params={"key": token}).text
    assert "<!DOCTYPE corporateItemDtoes" in text and marker in text
    with pytest.raises((error, DTDForbidden)):
        SafeET.fromstring(text, forbid_dtd=True)
    app.xml_payload = "normal"
    assert (
        "<!DOCTYPE"
        not in requests.get(f"{url}/resto/api/corporation/departments", params={"key": token}).text
    )


def test_malformed_xml_breaks_parsing(iiko):
    app, url = iiko
    token = login(url).text
    app.malformed_next(path="departments")
    with pytest.raises(ParseError):
        SafeET.fromstring(
            requests.get(f"{url}/resto/api/corporation/departments", params={"key": token}).content
        )


def test_products_list_hides_deleted_unless_asked_and_filters_types(iiko, small_dataset):
    _app, url = iiko
    token = login(url).text
    live = requests.get(f"{url}/resto/api/v2/entities/products/list", params={"key": token}).json()
    everything = requests.get(
        f"{url}/resto/api/v2/entities/products/list", params={"key": token, "includeDeleted": "true"}
    ).json()
    assert len(live) == len(small_dataset.products_of("iiko")) and not any(p["deleted"] for p in live)
    assert len(everything) == len(live) + 2
    dishes = requests.get(
        f"{url}/resto/api/v2/entities/products/list", params={"key": token, "types": "DISH"}
    ).json()
    assert dishes and {p["type"] for p in dishes} == {"DISH"}
    assert {"id", "num", "code", "parent", "mainUnit", "defaultSalePrice", "type"} <= set(live[0])
    one = requests.get(
        f"{url}/resto/api/v2/entities/products/list",
        params={"key": token, "ids": [live[0]["id"], live[1]["id"]]},
    ).json()
    assert [p["id"] for p in one] == [live[0]["id"], live[1]["id"]]


def test_olap_sales_match_the_demo_data_and_deleted_rows_need_filtering(iiko, small_dataset):
    _app, url = iiko
    token = login(url).text
    post = lambda body: requests.post(f"{url}/resto/api/v2/reports/olap", params={"key": token}, json=body)  # noqa: E731
    clean = post(olap_body("2026-10-01", "2026-10-31", **NOT_DELETED)).json()
    assert clean["summary"] == [] and clean["data"]
    row = clean["data"][0]
    assert set(row) == {
        "Department.Id",
        "OpenDate.Typed",
        "DishId",
        "DishAmountInt",
        "DishSumInt",
        "DishDiscountSumInt",
    }
    sales = small_dataset.sales_of("iiko")
    october = sales[(sales["date"] >= "2026-10-01") & (sales["date"] <= "2026-10-30")]
    assert sum(r["DishAmountInt"] for r in clean["data"]) == october["units"].sum()
    assert round(sum(r["DishDiscountSumInt"] for r in clean["data"]), 2) == round(october["revenue"].sum(), 2)
    # Whole-window rows across all of the history: deleted ones exist and only show without the filters.
    totals = []
    for start, end in (("2026-09-01", "2026-10-01"), ("2026-10-01", "2026-10-31")):
        raw = post(olap_body(start, end)).json()["data"]
        kept = post(olap_body(start, end, **NOT_DELETED)).json()["data"]
        totals.append(sum(r["DishAmountInt"] for r in raw) - sum(r["DishAmountInt"] for r in kept))
    assert sum(totals) > 0
    grouped = post({**olap_body(), "groupByRowFields": ["OrderDeleted"], "buildSummary": True}).json()
    assert {r["OrderDeleted"] for r in grouped["data"]} <= {"NOT_DELETED", "DELETED"}
    assert grouped["summary"]


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        (
            {
                "reportType": "SALES",
                "groupByRowFields": ["DishId"],
                "aggregateFields": ["DishAmountInt"],
                "filters": {},
            },
            400,
            "Date filter",
        ),
        (olap_body("2026-08-01", "2026-10-01"), 400, "Period is too long"),
        (olap_body("01.10.2026", "2026-10-02"), 400, "Wrong date format"),
        ({**olap_body(), "groupByRowFields": ["Nonsense"]}, 400, "Unknown OLAP field"),
    ],
)
def test_olap_rejects_bad_requests_with_text(iiko, body, status, text):
    _app, url = iiko
    token = login(url).text
    response = requests.post(f"{url}/resto/api/v2/reports/olap", params={"key": token}, json=body)
    assert response.status_code == status and text in response.text
    assert response.headers["Content-Type"].startswith("text/plain")


def test_a_month_window_with_time_stamps_is_allowed(iiko):
    _app, url = iiko
    token = login(url).text
    body = olap_body("2026-09-01T00:00:00.000", "2026-10-01T00:00:00.000")
    assert requests.post(f"{url}/resto/api/v2/reports/olap", params={"key": token}, json=body).ok


def test_concurrent_requests_are_refused_and_sequential_ones_are_not(iiko):
    app, url = iiko
    token = login(url).text
    app.delay_next(0.5, path="olap")
    results = {}
    slow = threading.Thread(
        target=lambda: results.setdefault(
            "slow", requests.post(f"{url}/resto/api/v2/reports/olap", params={"key": token}, json=olap_body())
        )
    )
    slow.start()
    while not app.max_in_flight:
        threading.Event().wait(0.01)
    threading.Event().wait(0.1)
    second = requests.get(f"{url}/resto/api/corporation/stores", params={"key": token})
    slow.join()
    assert results["slow"].status_code == 200
    assert second.status_code == 409 and app.rejected_concurrent == 1
    app.clear_log()
    for _ in range(3):
        requests.get(f"{url}/resto/api/corporation/stores", params={"key": token})
    assert app.overlapping_requests() == []


def test_store_balances_skip_zero_rows_and_apply_filters(iiko, small_dataset):
    _app, url = iiko
    token = login(url).text
    assert (
        requests.get(f"{url}/resto/api/v2/reports/balance/stores", params={"key": token}).status_code == 400
    )
    rows = requests.get(
        f"{url}/resto/api/v2/reports/balance/stores",
        params={"key": token, "timestamp": "2026-10-31T23:59:59"},
    ).json()
    assert rows and all(r["amount"] != 0 for r in rows)
    assert set(rows[0]) == {"store", "product", "amount", "sum"}
    store = small_dataset.locations_of("iiko")[0].stock_store_id
    assert {r["store"] for r in rows} == {store}
    product = rows[0]["product"]
    only = requests.get(
        f"{url}/resto/api/v2/reports/balance/stores",
        params={"key": token, "timestamp": "2026-10-31T23:59:59", "store": store, "product": product},
    ).json()
    assert only == [rows[0]]
