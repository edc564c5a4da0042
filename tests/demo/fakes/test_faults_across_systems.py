"""Each fake's own 429 (``throttle_next``), feed overrides for iiko, and MoySklad's parallel-request cap."""

from __future__ import annotations

import threading

import defusedxml.ElementTree as SafeET
import pytest
import requests

from demo.fakes import (
    IikoFake,
    MoySkladFake,
    OneCFake,
    SentosFake,
    WildberriesFake,
    default_credentials,
    synthetic_org_tree,
    with_cycle,
)
from demo.fakes.iiko import IIKO_LOGIN, IIKO_PASSWORD, sha1_hex

CREDENTIALS = default_credentials()
MS_AUTH = (CREDENTIALS["moysklad"]["login"], CREDENTIALS["moysklad"]["password"])


def _onec(url: str) -> requests.Response:
    return requests.get(f"{url}/branches", headers={"X-API-Key": CREDENTIALS["onec"]["api_key"]})


def _iiko(url: str) -> requests.Response:
    return requests.get(
        f"{url}/resto/api/auth", params={"login": IIKO_LOGIN, "pass": sha1_hex(IIKO_PASSWORD)}
    )


def _sentos(url: str) -> requests.Response:
    sentos = CREDENTIALS["sentos"]
    return requests.get(f"{url}/api/warehouses", auth=(sentos["api_key"], sentos["api_secret"]))


def _wildberries(url: str) -> requests.Response:
    return requests.get(f"{url}/ping", headers={"Authorization": CREDENTIALS["wildberries"]["token"]})


def _moysklad(url: str) -> requests.Response:
    return requests.get(f"{url}/api/remap/1.2/entity/store", auth=MS_AUTH)


@pytest.mark.parametrize(
    ("factory", "call", "header", "value"),
    [
        (OneCFake, _onec, "Retry-After", "2"),
        (IikoFake, _iiko, "Retry-After", "2"),
        (SentosFake, _sentos, "Retry-After", "2"),
        (WildberriesFake, _wildberries, "X-Ratelimit-Retry", "2"),
        (MoySkladFake, _moysklad, "X-Lognex-Retry-After", "1500"),
    ],
)
def test_throttle_next_uses_each_systems_retry_header(run_fake, small_dataset, factory, call, header, value):
    app = factory(small_dataset)
    url = run_fake(app).url
    app.throttle_next(1.5)
    limited = call(url)
    assert limited.status_code == 429 and limited.headers[header] == value
    assert call(url).status_code == 200
    if factory is MoySkladFake:
        assert limited.json()["errors"][0]["code"] == 1049


def test_iiko_department_feed_can_be_replaced(run_fake, small_dataset):
    app = IikoFake(small_dataset)
    url = run_fake(app).url
    nodes = with_cycle(synthetic_org_tree(40, depth=12, seed=5))
    app.set_departments(nodes)
    token = _iiko(url).text
    root = SafeET.fromstring(
        requests.get(f"{url}/resto/api/corporation/departments", params={"key": token}).content
    )
    ids = [item.findtext("id") for item in root.findall("corporateItemDto")]
    assert ids == [n["id"] for n in nodes]
    requests.get(f"{url}/resto/api/logout", params={"key": token})
    assert app.unreleased_tokens() == []


def test_moysklad_refuses_more_parallel_requests_than_allowed(run_fake, small_dataset):
    app = MoySkladFake(small_dataset, rate_limits=True, max_parallel=1)
    url = run_fake(app).url
    app.delay_next(0.5, path="entity/store")
    slow = threading.Thread(target=_moysklad, args=(url,))
    slow.start()
    while not app.max_in_flight:
        threading.Event().wait(0.01)
    second = requests.get(f"{url}/api/remap/1.2/entity/product", auth=MS_AUTH, params={"limit": 1})
    slow.join()
    assert second.status_code == 429 and second.json()["errors"][0]["code"] == 1073
    assert requests.get(f"{url}/api/remap/1.2/entity/product", auth=MS_AUTH, params={"limit": 1}).ok
