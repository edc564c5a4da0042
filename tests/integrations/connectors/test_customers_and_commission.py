"""Customers and commission come from every source that has them, not only Wildberries (loopback fakes)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from demo.fakes import MoySkladFake
from sales.models import Customer, Order
from tests.integrations.connectors.test_sentos import CraftedOrders, crafted_order

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def test_a_sentos_sync_fills_the_customers_table(sentos_account, sync):
    run = sync(sentos_account, "orders")
    assert run.status == "succeeded", run.error
    orders = Order.objects.filter(account=sentos_account)
    assert orders.exists() and not orders.filter(customer__isnull=True).exists()
    # The demo fake's buyers have no id: an e-mail per buyer (customer{order_id % 997}), one Customer each.
    buyers = {int(external_id) % 997 for external_id in orders.values_list("external_id", flat=True)}
    customers = Customer.objects.filter(account=sentos_account)
    assert customers.count() == len(buyers)
    some = customers.first()
    assert some.external_id == f"email:{some.email}" and some.name.startswith("Müşteri")
    assert run.details["shapes"]["customer key"] == "e-mail"
    again = sync(sentos_account, "orders")
    assert again.status == "succeeded" and Customer.objects.filter(account=sentos_account).count() == len(buyers)


def _order(order_id: int, day: dt.date, **extra: Any) -> dict[str, Any]:
    order = crafted_order(order_id, f"{day} 12:00:00")
    order.update(extra)
    return order


def test_sentos_buyer_keys_and_marketplace_commission(account_for, sync):
    day = dt.datetime.now(UTC).date() - dt.timedelta(days=1)
    with_commission = _order(1, day, customer={"id": 501, "first_name": "Ayşe", "last_name": "Yılmaz",
                                               "email": "AYSE@example.com", "phone": "+905551112233"})
    with_commission["lines"][0]["commission"] = "74.97"
    order_level = _order(2, day, customer={"phone": "+905550000000"}, commission_total="50.00")
    fake = CraftedOrders({day: [with_commission, order_level, _order(3, day, customer={}), _order(4, day)]})
    account = account_for("sentos", fake)
    run = sync(account, "orders", date_from=day.isoformat(), date_to=day.isoformat())
    assert run.status == "succeeded", run.error
    first = Order.objects.get(account=account, external_id="1")
    assert first.customer.external_id == "501" and first.customer.name == "Ayşe Yılmaz"
    assert first.customer.email == "ayse@example.com" and first.customer.phone == "+905551112233"
    assert first.commission_total == Decimal("74.97") and first.lines.get().commission == Decimal("74.97")
    second = Order.objects.get(account=account, external_id="2")
    assert second.customer.external_id == "phone:+905550000000"
    # An order-level commission is spread over the lines, so analytics reads it from lines like any other.
    assert second.commission_total == Decimal("50.00") and second.lines.get().commission == Decimal("50.00")
    assert Order.objects.get(account=account, external_id="3").customer is None
    assert Order.objects.get(account=account, external_id="4").customer is None


def test_sentos_commission_shows_in_lira_analytics(account_for, sync, client_for):
    day = dt.datetime.now(UTC).date() - dt.timedelta(days=1)
    order = _order(1, day)
    order["lines"][0]["commission_amount"] = "12.50"
    account = account_for("sentos", CraftedOrders({day: [order]}))
    assert sync(account, "orders", date_from=day.isoformat(), date_to=day.isoformat()).status == "succeeded"
    body = client_for("viewer").get("/api/v1/analytics/summary/", {"date_from": day.isoformat(),
                                                                   "date_to": day.isoformat()}).json()
    assert body["currency"] == "TRY" and Decimal(str(body["current"]["commission"])) == Decimal("12.50")


class MoySkladWithAgents(MoySkladFake):
    """Retail demands that name their counterparty (`agent`), as MoySklad documents carry one."""

    def _render_demand(self, request, demand, expand):
        body = super()._render_demand(request, demand, expand)
        agent_id = "a0000000-0000-0000-0000-00000000000" + str(len(demand["id"]) % 2)
        body["agent"] = {**self._meta(request, "counterparty", agent_id), "name": "Розничный покупатель"}
        return body


def test_moysklad_counterparties_become_customers(account_for, sync, dataset):
    account = account_for("moysklad", MoySkladWithAgents(dataset))
    run = sync(account, "sales")
    assert run.status == "succeeded", run.error
    orders = Order.objects.filter(account=account)
    assert orders.exists() and not orders.filter(customer__isnull=True).exists()
    names = set(Customer.objects.filter(account=account).values_list("name", flat=True))
    assert names == {"Розничный покупатель"}
    assert run.details["shapes"]["customer key"] == "id"
