"""XLSX and CSV exports of the proposals, purchase orders, forecasts and daily sales lists, with the list's filters."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from planning.models import OrderProposal

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    separator = ";" if text.splitlines()[0].count(";") else ","
    return list(csv.reader(io.StringIO(text), delimiter=separator))


@pytest.mark.parametrize("name, admin_list", [
    ("proposals", "admin:planning_orderproposal_changelist"),
    ("purchase-orders", "admin:planning_purchaseorder_changelist"),
    ("forecasts", "admin:forecasting_forecast_changelist"),
    ("daily-sales", "admin:sales_dailysale_changelist"),
])
def test_each_list_offers_xlsx_and_csv(morning, admin_client, name, admin_list):
    page = admin_client.get(reverse(admin_list)).content.decode()
    assert reverse("workbench:export", args=[name]) in page
    xlsx = admin_client.get(reverse("workbench:export", args=[name]), {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) >= 2  # header + data
    as_csv = admin_client.get(reverse("workbench:export", args=[name]), {"format": "csv"})
    assert as_csv.status_code == 200 and len(_csv(as_csv)) == len(rows)


def test_the_lists_filters_apply(morning, admin_client):
    url = reverse("workbench:export", args=["proposals"])
    everything = _csv(admin_client.get(url, {"format": "csv"}))
    approved = _csv(admin_client.get(url, {"format": "csv", "status__exact": "approved"}))
    assert len(everything) - 1 == OrderProposal.objects.count()
    assert len(approved) - 1 == 1 and approved[1][0] == str(morning.approved.pk)
    searched = _csv(admin_client.get(url, {"format": "csv", "q": "JUICE"}))
    assert [row[4] for row in searched[1:]] == ["JUICE"]


def test_russian_csv_has_semicolons_decimal_commas_and_russian_headers(morning, admin_client):
    response = admin_client.get(reverse("workbench:export", args=["proposals"]),
                                {"format": "csv", "status__exact": "approved"}, HTTP_ACCEPT_LANGUAGE="ru")
    text = response.content.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.startswith("Предложение;Статус;")
    row = text.splitlines()[1].split(";")
    assert row[6] == "95,000"  # quantity with a decimal comma
    english = admin_client.get(reverse("workbench:export", args=["proposals"]), {"format": "csv"})
    assert english.content.decode("utf-8-sig").splitlines()[0].startswith("Proposal,Status,")


def test_times_in_the_export_are_the_users(morning, planner, planner_client):
    from datetime import UTC, datetime

    from workbench.models import PlannerProfile

    OrderProposal.objects.filter(pk=morning.approved.pk).update(decided_at=datetime(2026, 3, 2, 22, 30, tzinfo=UTC))
    PlannerProfile.objects.create(user=planner, time_zone="Europe/Istanbul")  # UTC+3
    rows = _csv(planner_client.get(reverse("workbench:export", args=["proposals"]),
                                   {"format": "csv", "status__exact": "approved"}))
    assert rows[1][17] == "2026-03-03 01:30"


def test_export_needs_the_lists_view_permission(morning, make_user, client):
    make_user("nobody", is_staff=True)
    client.login(username="nobody", password="Correct-Horse-Battery-9")
    assert client.get(reverse("workbench:export", args=["proposals"]), {"format": "csv"}).status_code == 403
    assert client.get(reverse("workbench:export", args=["unknown"])).status_code == 404


def test_times_in_the_export_are_the_home_locations_without_a_chosen_zone(morning, planner, planner_client):
    from datetime import UTC, datetime

    from branches.models import Location
    from workbench.models import PlannerProfile

    OrderProposal.objects.filter(pk=morning.approved.pk).update(decided_at=datetime(2026, 3, 2, 22, 30, tzinfo=UTC))
    Location.objects.filter(pk=morning.shop.pk).update(time_zone="Europe/Istanbul")  # UTC+3
    PlannerProfile.objects.create(user=planner, home_location=morning.shop)
    rows = _csv(planner_client.get(reverse("workbench:export", args=["proposals"]),
                                   {"format": "csv", "status__exact": "approved"}))
    assert rows[1][17] == "2026-03-03 01:30"
