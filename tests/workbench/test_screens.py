"""Home, review queue, production board and snapshot screens: what they show and that decisions go through the
services (same refusals as the API), with flat query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from planning.models import OrderProposal, ProductionTask, PurchaseOrder, PurchaseOrderLine
from planning.services import purchasing
from planning.services.proposals import approve_proposal
from tests.workbench.conftest import build_morning

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


# --- home ---------------------------------------------------------------------------------------------------


def test_home_answers_what_needs_the_planner_now(morning, planner_client):
    response = planner_client.get(reverse("admin:index"))
    assert response.status_code == 200
    html = _text(response)
    summary = response.context["summary"]
    assert len(summary.open_alerts) == 1 and "Stock-out risks" in html
    assert [s.stream for s in summary.streams_needing_attention] == ["stock"]
    assert "401 Unauthorized" in html
    assert summary.latest_run.pk == morning.run.pk and summary.latest_run_wape == pytest.approx(0.21)
    # Waiting: the juice buy (no supplier) and the pie make; the zero dough proposal is counted apart.
    assert summary.proposals_waiting == 2 and summary.proposals_zero == 1
    assert summary.proposals_value == Decimal("60.00")  # 30 juice × 2.00; the pie has no price
    assert dict((s, n) for s, _label, n in summary.tasks_by_status) == {
        "draft": 1, "approved": 1, "in_progress": 0, "completed": 1, "cancelled": 0}
    assert summary.stockout_risk is not None
    assert reverse("workbench:queue") in html and reverse("workbench:kanban") in html
    assert reverse("workbench:tables") in html


def test_the_table_list_stays_one_click_away(planner_client):
    response = planner_client.get(reverse("workbench:tables"))
    assert response.status_code == 200
    assert "app_list" in response.context or "Planning" in _text(response)


def test_home_needs_a_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("extra", [0, 1])
def test_home_query_count_is_flat(planner_client, django_assert_max_num_queries, extra, settings, tmp_path):
    settings.ARTIFACTS_ROOT = tmp_path / "a"
    settings.IMPORTS_ROOT = tmp_path / "i"
    build_morning()
    if extra:  # more of everything must not mean more queries
        from integrations.models import IntegrationAccount, SyncRun
        for n in range(5):
            account = IntegrationAccount.objects.create(kind="iiko", name=f"more {n}", base_url="http://127.0.0.1:1/")
            SyncRun.objects.create(account=account, stream="sales", status="failed")
    planner_client.get(reverse("admin:index"))  # the first request of a session reads the user's preferences
    with django_assert_max_num_queries(18):
        assert planner_client.get(reverse("admin:index")).status_code == 200


# --- review queue -------------------------------------------------------------------------------------------


def test_queue_groups_hides_zero_and_shows_warnings(morning, planner_client):
    response = planner_client.get(reverse("workbench:queue"))
    html = _text(response)
    titles = [g.title for g in response.context["groups"]]
    assert titles == ["Buy — no supplier yet", "Make at Location KITCHEN"]
    assert "DOUGH" not in html  # zero quantity hidden by default
    assert "1 with nothing to order are hidden" in html
    assert "no stock known" in html  # the warning is in the row, not in a JSON field
    assert reverse("admin:forecasting_forecast_chart") in html
    shown = planner_client.get(reverse("workbench:queue") + "?zero=1")
    assert "DOUGH" in _text(shown)


def test_approve_from_the_row_links_to_the_purchase_order_line_and_back(morning, planner_client):
    proposal = morning.open_buy
    response = planner_client.post(
        reverse("workbench:queue"),
        {"action": "approve", "proposal": proposal.pk, "quantity": "24", "supplier": morning.supplier.pk},
        follow=True,
    )
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == "approved" and proposal.decided_quantity == Decimal("24")
    line = PurchaseOrderLine.objects.get(proposal=proposal)
    assert line.quantity == Decimal("24") and line.order.supplier_id == morning.supplier.pk
    po_url = reverse("admin:planning_purchaseorder_change", args=[line.order_id])
    html = _text(response)
    assert f"{po_url}#line-{line.pk}" in html  # in the success message and under "recently decided"
    back = planner_client.get(po_url)
    assert reverse("admin:planning_orderproposal_change", args=[proposal.pk]) in _text(back)


def test_a_refusal_is_the_services_message_not_an_error_page(morning, planner_client):
    response = planner_client.post(
        reverse("workbench:queue"), {"action": "approve", "proposal": morning.approved.pk}, follow=True
    )
    assert response.status_code == 200
    assert "only a proposed one can be approved or rejected" in _text(response)
    bad = planner_client.post(reverse("workbench:queue"),
                              {"action": "approve", "proposal": morning.open_buy.pk, "quantity": "lots"}, follow=True)
    assert "Quantity must be a number" in _text(bad)
    missing = planner_client.post(reverse("workbench:queue"), {"action": "reject", "proposal": 999999}, follow=True)
    assert missing.status_code == 200 and "no longer exists" in _text(missing)


def test_reject_with_a_note_and_approve_all_of_a_group(morning, planner_client):
    planner_client.post(reverse("workbench:queue"),
                        {"action": "reject", "proposal": morning.open_buy.pk, "note": "Juice is seasonal"})
    morning.open_buy.refresh_from_db()
    assert morning.open_buy.status == "rejected" and morning.open_buy.decision_note == "Juice is seasonal"
    make = OrderProposal.objects.get(product=morning.pie, status="proposed")
    response = planner_client.post(reverse("workbench:queue"), {"action": "approve_group", "proposals": [make.pk]},
                                   follow=True)
    assert "1 proposals approved" in _text(response)
    task = ProductionTask.objects.get(proposal=make)
    assert f"#task-{task.pk}" in _text(response)


def test_a_viewer_sees_the_queue_but_cannot_decide(morning, make_user, client):
    make_user("viewer", role="viewer", is_staff=True)
    client.login(username="viewer", password="Correct-Horse-Battery-9")
    response = client.get(reverse("workbench:queue"))
    assert response.status_code == 200 and 'name="approve"' not in _text(response)
    assert client.post(reverse("workbench:queue"), {"action": "reject", "proposal": morning.open_buy.pk}).status_code \
        == 403


def test_queue_query_count_is_flat(morning, planner_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        assert planner_client.get(reverse("workbench:queue") + "?zero=1").status_code == 200


def test_a_purchase_order_with_approved_proposals_is_deleted_only_by_returning_them(morning):
    order = morning.approved.purchase_order_line.order
    with pytest.raises(purchasing.PurchasingError, match="approved proposal"):
        purchasing.delete_purchase_order(order.pk)
    assert purchasing.delete_purchase_order(order.pk, return_proposals=True) == 1
    morning.approved.refresh_from_db()
    assert morning.approved.status == "proposed" and morning.approved.decided_at is None
    assert not PurchaseOrder.objects.filter(pk=order.pk).exists()
    approve_proposal(morning.approved.pk)  # back in review, it can be approved again


def test_deleting_that_order_in_the_admin_returns_its_proposals(morning, admin_client):
    order = morning.approved.purchase_order_line.order
    response = admin_client.post(reverse("admin:planning_purchaseorder_delete", args=[order.pk]), {"post": "yes"},
                                 follow=True)
    assert response.status_code == 200 and "went back to review" in _text(response)
    morning.approved.refresh_from_db()
    assert morning.approved.status == "proposed"


# --- production board ---------------------------------------------------------------------------------------


def test_board_shows_columns_and_moves_with_buttons(morning, planner_client):
    url = reverse("workbench:kanban")
    response = planner_client.get(url)
    html = _text(response)
    assert [c.status for c in response.context["columns"]] == [
        "draft", "approved", "in_progress", "completed", "cancelled"]
    assert f'id="task-{morning.approved_task.pk}"' in html
    moved = planner_client.post(url, {"task": morning.approved_task.pk, "status": "in_progress"}, follow=True)
    assert "is now In progress" in _text(moved)
    morning.approved_task.refresh_from_db()
    assert morning.approved_task.status == "in_progress"


def test_an_illegal_move_shows_the_services_message(morning, planner_client):
    url = reverse("workbench:kanban")
    response = planner_client.post(url, {"task": morning.draft_task.pk, "status": "completed"}, follow=True)
    assert response.status_code == 200
    assert "cannot become completed" in _text(response)
    as_json = planner_client.post(url, {"task": morning.draft_task.pk, "status": "completed"},
                                  HTTP_ACCEPT="application/json")
    assert as_json.status_code == 409 and "cannot become completed" in as_json.json()["message"]
    ok = planner_client.post(url, {"task": morning.draft_task.pk, "status": "approved"},
                             HTTP_ACCEPT="application/json")
    assert ok.status_code == 200 and ok.json()["task"]["status"] == "approved"


def test_board_filters_by_work_centre_and_due_date(morning, planner_client):
    url = reverse("workbench:kanban")
    by_shop = planner_client.get(url, {"location": morning.shop.pk})
    assert sum(len(c.tasks) for c in by_shop.context["columns"]) == 0
    due = morning.draft_task.due_date.isoformat()
    by_date = planner_client.get(url, {"due_from": due, "due_to": due, "location": morning.kitchen.pk})
    assert [t.pk for c in by_date.context["columns"] for t in c.tasks] == [morning.draft_task.pk]
    assert planner_client.get(url, {"due_from": "not-a-date"}).status_code == 200


def test_board_query_count_is_flat(morning, planner_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        assert planner_client.get(reverse("workbench:kanban")).status_code == 200


def test_a_viewer_cannot_move_tasks(morning, make_user, client):
    make_user("viewer", role="viewer", is_staff=True)
    client.login(username="viewer", password="Correct-Horse-Battery-9")
    assert client.get(reverse("workbench:kanban")).status_code == 200
    assert client.post(reverse("workbench:kanban"), {"task": morning.draft_task.pk, "status": "approved"}
                       ).status_code == 403


# --- snapshot -----------------------------------------------------------------------------------------------


def test_snapshot_page_shows_labelled_figures_not_metric_paths(morning, planner_client):
    from monitoring.models import MonitoringSnapshot

    snapshot = MonitoringSnapshot.objects.get()
    response = planner_client.get(reverse("workbench:snapshot", args=[snapshot.pk]))
    html = _text(response)
    assert response.status_code == 200
    assert "Items at risk of stock-out within their lead time" in html
    assert "planning.stockout_risk.count" not in html
    assert planner_client.get(reverse("workbench:snapshot", args=[999999])).status_code == 404


# --- language and time zone --------------------------------------------------------------------------------


def test_home_in_russian_from_the_browsers_language(morning, planner_client):
    response = planner_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="ru")
    html = _text(response)
    assert "Предложения на проверке" in html and "Доска производства" in html
    assert "Proposals awaiting review" not in html


@pytest.mark.parametrize("language, expected", [("kk", "Өндіріс тақтасы"), ("tr", "Üretim panosu")])
def test_kazakh_and_turkish_catalogues(planner_client, language, expected):
    assert expected in _text(planner_client.get(reverse("workbench:kanban"), HTTP_ACCEPT_LANGUAGE=language))


def test_the_users_choice_beats_the_browser_and_sets_the_time_zone(planner, planner_client):
    url = reverse("workbench:preferences")
    bad = planner_client.post(url, {"language": "tr", "time_zone": "Mars/Olympus"})
    assert "not a known time zone" in _text(bad)
    planner_client.post(url, {"language": "tr", "time_zone": "Asia/Almaty"})
    response = planner_client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
    html = _text(response)
    assert "Tercihlerim" in html and "Asia/Almaty" in html
    assert response.context["TIME_ZONE"] == "Asia/Almaty"


def test_times_are_shown_in_the_users_time_zone(morning, planner, planner_client):
    from datetime import UTC, datetime

    from workbench.models import PlannerProfile

    OrderProposal.objects.filter(pk=morning.approved.pk).update(decided_at=datetime(2026, 3, 2, 22, 30, tzinfo=UTC))
    PlannerProfile.objects.create(user=planner, time_zone="Asia/Almaty")  # UTC+5
    html = _text(planner_client.get(reverse("workbench:queue")))
    assert "March 3, 2026, 3:30 a.m." in html


def test_the_kanban_apis_browsable_form_shows_the_move_fields(morning, admin_client):
    html = _text(admin_client.get(f"/api/v1/ppic/kanban/{morning.draft_task.pk}/", HTTP_ACCEPT="text/html"))
    assert 'name="position"' in html and 'name="reason"' in html
    assert 'name="quantity"' not in html and 'name="due_date"' not in html


def test_home_links_the_latest_policy_replay(planner_client):
    from planning.models import ReplayRun

    html = _text(planner_client.get(reverse("admin:index")))
    assert reverse("admin:planning_replayrun_add") in html
    run = ReplayRun.objects.create(
        status="succeeded", date_from="2026-01-05", date_to="2026-03-29",
        contenders=[{"key": "model@0.95", "label": "Policy", "rule": "policy", "forecast": "model",
                     "service_level": "0.95", "fill_rate": 0.972, "avg_stock_value": 1234.0, "stockout_days": 7}])
    html = _text(planner_client.get(reverse("admin:index")))
    assert reverse("admin:planning_replayrun_change", args=[run.pk]) in html and "97 %" in html


def test_without_a_chosen_zone_times_are_the_home_locations(morning, planner, planner_client):
    from datetime import UTC, datetime

    from branches.models import Location
    from workbench.models import PlannerProfile

    OrderProposal.objects.filter(pk=morning.approved.pk).update(decided_at=datetime(2026, 3, 2, 22, 30, tzinfo=UTC))
    region = Location.objects.get(pk=morning.shop.parent_id)
    Location.objects.filter(pk=region.pk).update(time_zone="Asia/Almaty")  # UTC+5, inherited by the shop
    PlannerProfile.objects.create(user=planner, home_location=morning.shop)
    response = planner_client.get(reverse("workbench:queue"))
    assert response.context["TIME_ZONE"] == "Asia/Almaty"
    assert "March 3, 2026, 3:30 a.m." in _text(response)


def test_the_home_location_is_chosen_on_my_preferences(morning, planner, planner_client):
    from branches.models import Location
    from workbench.models import PlannerProfile

    Location.objects.filter(pk=morning.shop.pk).update(time_zone="Europe/Istanbul")
    url = reverse("workbench:preferences")
    assert planner_client.post(url, {"language": "", "time_zone": "", "home_location": morning.shop.pk}).status_code \
        == 302
    assert PlannerProfile.objects.get(user=planner).home_location_id == morning.shop.pk
    assert planner_client.get(url).context["TIME_ZONE"] == "Europe/Istanbul"
