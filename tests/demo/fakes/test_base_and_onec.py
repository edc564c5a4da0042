"""Common fake machinery (serving, request log, faults) and the 1C exchange fake, over real HTTP."""

from __future__ import annotations

import threading

import pytest
import requests

from demo.dataset import ZERO_GUID
from demo.fakes import (
    FakeApp,
    FakeRequest,
    FakeResponse,
    OneCFake,
    default_credentials,
    serve,
    start_all,
    synthetic_org_tree,
    with_cycle,
    with_duplicates,
    with_unknown_parents,
)
from demo.fakes.onec import ONEC_API_KEY

KEY = {"X-API-Key": ONEC_API_KEY}


class EchoApp(FakeApp):
    system = "echo"

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.route("GET", r"/echo", lambda request: FakeResponse.json({"q": request.arg("q")}))
        self.route("POST", r"/echo", lambda request: FakeResponse.json(request.json()))
        self.route("GET", r"/wait", self.wait)

    def wait(self, request: FakeRequest) -> FakeResponse:
        self.gate.wait(5)
        return FakeResponse.text("done")


def walk_pages(url: str, page_size: int) -> list[dict]:
    items, page = [], 1
    while True:
        body = requests.get(
            f"{url}/exchange/branches", params={"page": page, "page_size": page_size}, headers=KEY, timeout=5
        ).json()
        items.extend(body["items"])
        if page >= body["pages"]:
            return items
        page += 1


# --- base -------------------------------------------------------------------------------------------------


def test_serve_binds_loopback_on_a_free_port_and_logs_requests(run_fake):
    app = EchoApp()
    server = run_fake(app)
    assert server.url.startswith("http://127.0.0.1:") and server.port > 0
    assert requests.get(f"{server.url}/echo", params={"q": "привет"}, headers={"X-Test": "1"}).json() == {
        "q": "привет"
    }
    assert requests.post(f"{server.url}/echo", json={"a": 1}).json() == {"a": 1}
    log = app.requests
    assert [(r.method, r.path, r.status) for r in log] == [("GET", "/echo", 200), ("POST", "/echo", 200)]
    assert log[0].query == {"q": ["привет"]} and log[0].headers["x-test"] == "1"
    assert log[1].body == b'{"a": 1}'
    assert app.requests_to("/echo", method="POST") == [log[1]]
    assert requests.get(f"{server.url}/nowhere").status_code == 404
    assert requests.delete(f"{server.url}/echo").status_code == 405
    with pytest.raises(ValueError, match="loopback"):
        serve(app, host="0.0.0.0")


def test_fail_next_answers_the_given_status_then_recovers(run_fake):
    app = EchoApp()
    server = run_fake(app)
    app.fail_next(429, times=2, headers={"Retry-After": "3"}, path="/echo")
    first = requests.get(f"{server.url}/echo")
    second = requests.get(f"{server.url}/echo")
    assert (first.status_code, first.headers["Retry-After"]) == (429, "3")
    assert second.status_code == 429
    assert requests.get(f"{server.url}/echo").status_code == 200
    app.fail_next(500, body="boom", query={"q": "x"})
    assert requests.get(f"{server.url}/echo", params={"q": "y"}).status_code == 200
    failed = requests.get(f"{server.url}/echo", params={"q": "x"})
    assert (failed.status_code, failed.text) == (500, "boom")
    assert [r.fault for r in app.requests].count("fail") == 3


def test_delay_next_trips_client_timeouts_and_malformed_next_truncates(run_fake):
    app = EchoApp()
    server = run_fake(app)
    app.delay_next(0.6)
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(f"{server.url}/echo", params={"q": "slow"}, timeout=0.2)
    assert requests.get(f"{server.url}/echo", params={"q": "fast"}, timeout=2).status_code == 200
    app.malformed_next()
    broken = requests.get(f"{server.url}/echo", params={"q": "abcdef"})
    with pytest.raises(ValueError):
        broken.json()


def test_overlapping_requests_are_detected(run_fake):
    app = EchoApp()
    server = run_fake(app)
    waiter = threading.Thread(target=requests.get, args=(f"{server.url}/wait",))
    waiter.start()
    while not app.max_in_flight:
        threading.Event().wait(0.01)
    requests.get(f"{server.url}/echo")
    app.gate.set()
    waiter.join()
    assert app.max_in_flight == 2
    assert len(app.overlapping_requests()) == 1


def test_random_failures_and_start_all(small_dataset):
    with start_all(small_dataset) as upstreams:
        assert set(upstreams.servers) == {"onec", "iiko", "sentos", "wildberries", "moysklad"}
        app = upstreams.app("onec")
        app.fail_rate = 1.0
        assert requests.get(f"{upstreams.base_url('onec')}/branches", headers=KEY).status_code == 503
        app.fail_rate = 0.0
        assert requests.get(f"{upstreams.base_url('onec')}/branches", headers=KEY).status_code == 200
    assert default_credentials()["onec"]["api_key"] == ONEC_API_KEY


def test_fake_upstreams_command_prints_urls_and_credentials(capsys):
    from demo.management.commands.fake_upstreams import Command

    Command().handle(port_base=0, size="small", seed=42, rate_limits=False, fail_rate=0.0, serve_seconds=0.1)
    out = capsys.readouterr().out
    for system in ("onec", "iiko", "sentos", "wildberries", "moysklad"):
        assert system in out
    assert "http://127.0.0.1:" in out and ONEC_API_KEY in out and "stopped" in out


def test_synthetic_org_feeds_have_depth_cycles_orphans_and_duplicates():
    nodes = synthetic_org_tree(300, depth=60, seed=3)
    assert len(nodes) == 300 and len({n["id"] for n in nodes}) == 300
    parents = {n["id"]: n["parent_id"] for n in nodes}
    deepest = 0
    for node_id in parents:
        depth, current = 1, parents[node_id]
        while current:
            depth, current = depth + 1, parents[current]
        deepest = max(deepest, depth)
    assert deepest >= 60
    index = {n["id"]: i for i, n in enumerate(nodes)}
    assert any(n["parent_id"] and index[n["parent_id"]] > i for i, n in enumerate(nodes))  # child first
    assert len(with_cycle(nodes, 3)) == 303
    orphans = with_unknown_parents(nodes, 2)[-2:]
    assert all(o["parent_id"] not in parents for o in orphans)
    duplicated = with_duplicates(nodes, 2)
    assert len(duplicated) == 302 and duplicated[-1]["id"] in parents


# --- 1C -----------------------------------------------------------------------------------------------------


def test_onec_happy_path_serves_the_demo_tree_in_any_order(run_fake, small_dataset):
    server = run_fake(OneCFake(small_dataset))
    items = walk_pages(server.url, 7)
    assert {i["id"] for i in items} == {b.id for b in small_dataset.onec_branches}
    assert {i["parent_id"] for i in items} >= {"0", "", None, ZERO_GUID}
    first = requests.get(f"{server.url}/exchange/branches", headers=KEY).json()
    assert first["page"] == 1 and first["pages"] == 1 and first["total"] == len(small_dataset.onec_branches)
    positions = {item["id"]: n for n, item in enumerate(first["items"])}
    assert any(
        i["parent_id"] in positions and positions[i["parent_id"]] > positions[i["id"]] for i in first["items"]
    )
    assert set(first["items"][0]) == {"id", "parent_id", "code", "name", "is_group", "inn"}


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "wrong"}])
def test_onec_rejects_a_missing_or_wrong_key(run_fake, small_dataset, headers):
    server = run_fake(OneCFake(small_dataset))
    response = requests.get(f"{server.url}/branches", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid API Key"}


def test_onec_exact_page_boundary_and_empty_page(run_fake):
    nodes = synthetic_org_tree(10, depth=3, seed=1)
    server = run_fake(OneCFake(nodes=nodes, page_overlap=0))
    pages = [
        requests.get(f"{server.url}/branches", params={"page": p, "page_size": 5}, headers=KEY).json()
        for p in (1, 2, 3)
    ]
    assert [len(p["items"]) for p in pages] == [5, 5, 0]
    assert all(p["pages"] == 2 and p["total"] == 10 for p in pages)
    assert [i["id"] for p in pages for i in p["items"]] == [n["id"] for n in nodes]


def test_onec_overlapping_pages_repeat_an_id_but_cover_everything(run_fake):
    nodes = synthetic_org_tree(10, depth=3, seed=1)
    server = run_fake(OneCFake(nodes=nodes))  # default overlap of one item
    items = walk_pages(server.url, 4)
    ids = [i["id"] for i in items]
    assert len(ids) > len(set(ids)) and set(ids) == {n["id"] for n in nodes}


def test_onec_feed_override_serves_cycles_orphans_and_duplicates_as_given(run_fake):
    nodes = with_duplicates(with_unknown_parents(with_cycle(synthetic_org_tree(20, depth=5))), 1)
    app = OneCFake(nodes=nodes, page_overlap=0, root_parent_styles=("0",))
    server = run_fake(app)
    items = walk_pages(server.url, 1000)
    assert [i["id"] for i in items] == [n["id"] for n in nodes]
    assert items[-1]["name"].endswith("(обновлено)")
    assert {i["parent_id"] for i in items if i["id"].startswith("ORPH")} == {"MISSING0001", "MISSING0002"}
    app.set_nodes([])
    assert requests.get(f"{server.url}/branches", headers=KEY).json() == {
        "items": [],
        "page": 1,
        "pages": 1,
        "total": 0,
    }


def test_onec_fails_mid_paging_and_rejects_bad_paging_parameters(run_fake, small_dataset):
    app = OneCFake(small_dataset)
    server = run_fake(app)
    app.fail_next(500, query={"page": "2"})
    assert requests.get(f"{server.url}/branches", params={"page": 1, "page_size": 10}, headers=KEY).ok
    failed = requests.get(f"{server.url}/branches", params={"page": 2, "page_size": 10}, headers=KEY)
    assert failed.status_code == 500 and "detail" in failed.json()
    assert requests.get(f"{server.url}/branches", params={"page": 2, "page_size": 10}, headers=KEY).ok
    for params in ({"page": "x"}, {"page": 0}, {"page_size": -1}):
        assert requests.get(f"{server.url}/branches", params=params, headers=KEY).status_code == 400
    capped = requests.get(f"{server.url}/branches", params={"page_size": 5000}, headers=KEY).json()
    assert capped["pages"] == 1
