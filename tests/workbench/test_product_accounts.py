"""The product page and the accounts screens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integrations.models import SyncRun

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def test_product_page_gathers_stock_forecast_orders_and_bom(morning, planner_client, django_assert_max_num_queries):
    url = reverse("workbench:product", args=[morning.water.pk])
    planner_client.get(url)
    # 19: finding each location's forecast of record reads the scopes' records and the unscoped runs (+2).
    with django_assert_max_num_queries(19):
        response = planner_client.get(url)
    html = _text(response)
    assert response.status_code == 200
    assert "Location SHOP" in html and "test stock" in html  # stock and the ledger
    assert reverse("forecasting:chart") in html and "format=png" in html
    assert f"PO {morning.approved.purchase_order_line.order_id}" in html
    assert f"from proposal {morning.approved.pk}" in html
    pie = _text(planner_client.get(reverse("workbench:product", args=[morning.pie.pk])))
    assert "DOUGH" in pie  # its BOM
    dough_id = morning.pie.boms.get().lines.get().component_id
    dough = _text(planner_client.get(reverse("workbench:product", args=[dough_id])))
    assert "PIE" in dough  # where used
    assert planner_client.get(reverse("workbench:product", args=[999999])).status_code == 404


def test_product_page_shows_the_fallback_reason_when_the_run_recorded_one(morning, planner_client):
    from forecasting.models import SeriesMethod

    SeriesMethod.objects.create(run=morning.run, location=morning.shop, product=morning.water,
                                method="seasonal_naive", reason="backtest_worse")
    html = _text(planner_client.get(reverse("workbench:product", args=[morning.water.pk]),
                                    {"location": morning.shop.pk}))
    assert "same day last week: model was worse in the backtest" in html


def test_accounts_show_health_per_stream_and_sync_now(morning, make_user, client):
    make_user("integrator", role="integrator", is_staff=True)
    client.login(username="integrator", password="Correct-Horse-Battery-9")
    html = _text(client.get(reverse("workbench:accounts")))
    assert "iiko Almaty" in html and "401 Unauthorized" in html and "Sync now" in html
    page = _text(client.get(reverse("admin:integrations_integrationaccount_change", args=[morning.account.pk])))
    assert reverse("workbench:sync_now", args=[morning.account.pk]) in page
    before = SyncRun.objects.count()
    response = client.post(reverse("workbench:sync_now", args=[morning.account.pk]), follow=True)
    assert response.status_code == 200 and "queued" in _text(response)
    assert SyncRun.objects.count() > before


def test_a_planner_cannot_start_a_sync(morning, planner_client):
    assert "Sync now" not in _text(planner_client.get(reverse("workbench:accounts")))
    assert planner_client.post(reverse("workbench:sync_now", args=[morning.account.pk])).status_code == 403


def test_sync_run_in_plain_words(morning, planner_client):
    html = _text(planner_client.get(reverse("workbench:sync_run", args=[morning.failed_sync.pk])))
    assert "What went wrong" in html and "check the login stored for the account" in html
    assert "Pages" in html  # details as labelled lines, not JSON
    assert "{&quot;" not in html and '{"pages"' not in html
    assert planner_client.get(reverse("workbench:sync_run", args=[999999])).status_code == 404


@pytest.mark.parametrize("name, args", [
    ("workbench:accounts", ()), ("workbench:snapshot", None), ("workbench:sync_run", "failed"),
    ("workbench:preferences", ()),
])
def test_query_ceilings(morning, admin_client, django_assert_max_num_queries, name, args):
    from monitoring.models import MonitoringSnapshot

    if args is None:
        args = (MonitoringSnapshot.objects.get().pk,)
    elif args == "failed":
        args = (morning.failed_sync.pk,)
    url = reverse(name, args=args)
    admin_client.get(url)
    with django_assert_max_num_queries(11):
        assert admin_client.get(url).status_code == 200


def test_run_lists_load_the_live_script(morning, admin_client):
    for name in ("admin:integrations_syncrun_changelist", "admin:forecasting_modelrun_changelist",
                 "admin:planning_proposalrun_changelist", "admin:sales_importjob_changelist"):
        assert "workbench/live-runs.js" in _text(admin_client.get(reverse(name))), name
    run_page = _text(admin_client.get(reverse("admin:integrations_syncrun_change", args=[morning.failed_sync.pk])))
    assert reverse("workbench:sync_run", args=[morning.failed_sync.pk]) in run_page
