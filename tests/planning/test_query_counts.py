"""List endpoints keep a flat number of queries however many rows they return."""

from datetime import date
from decimal import Decimal

import pytest

from planning.models import ProductionTask
from planning.services import purchasing
from planning.services.proposals import propose_orders

from .conftest import TODAY

D = Decimal


@pytest.fixture
def many(build):
    loc = build.location()
    supplier = build.supplier()
    products = [build.product() for _ in range(12)]
    dishes = [build.product(kind="dish") for _ in range(6)]
    for dish in dishes:
        build.bom(dish, [(products[0], "1"), (products[1], "2")])
    for product in products:
        build.stock(loc, product, 5)
        build.settings(product=product, location=loc, supplier=supplier, moq=D("2"))
    build.run({(loc, p): [3] * 14 for p in products + dishes})
    propose_orders(planning_date=TODAY)
    for _ in range(6):
        purchasing.create_purchase_order(location_id=loc.pk, supplier_id=supplier.pk, lines=[
            purchasing.LineInput(p.pk, D("1")) for p in products[:4]])
    for dish in dishes:
        ProductionTask.objects.create(product=dish, bom=dish.boms.get(), quantity=D("1"), location=loc,
                                      due_date=date(2026, 3, 5))


@pytest.mark.parametrize(
    ("url", "ceiling"),
    [
        ("/api/v1/planning/proposals/?page_size=100", 3),
        ("/api/v1/warehouse/stock/?page_size=100", 3),
        ("/api/v1/warehouse/movements/?page_size=100", 3),
        ("/api/v1/warehouse/bom/?page_size=100", 5),
        ("/api/v1/warehouse/bom/variants?page_size=100", 3),
        ("/api/v1/purchasing/orders/?page_size=100", 5),
        ("/api/v1/ppic/tasks/?page_size=100", 3),
        ("/api/v1/ppic/kanban/", 2),
        ("/api/v1/planning/settings/?page_size=100", 3),
    ],
)
def test_list_query_ceilings(many, client_for, django_assert_max_num_queries, url, ceiling):
    client = client_for("viewer")
    client.get(url)  # the user's permissions are cached after the first request
    with django_assert_max_num_queries(ceiling):
        response = client.get(url)
    assert response.status_code == 200


def _propose_queries(build, n_products: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    loc = build.location()
    products = [build.product() for _ in range(n_products)]
    dishes = [build.product(kind="dish") for _ in range(n_products // 3)]
    for dish in dishes:
        build.bom(dish, [(products[0], "1"), (products[-1], "1")])
    for product in products[::2]:
        build.stock(loc, product, 5)
    run = build.run({(loc, p): [3] * 14 for p in products + dishes})
    with CaptureQueriesContext(connection) as ctx:
        propose_orders(run=run, location_ids=[loc.pk], planning_date=TODAY)
    return len(ctx.captured_queries)


def test_propose_orders_query_count_does_not_grow_with_items(build):
    small = _propose_queries(build, 3)
    large = _propose_queries(build, 30)
    # Ten times the items: only the bulk INSERT may take another batch (SQLite caps parameters per statement).
    assert large <= small + 2, (small, large)  # does not grow with items (a few queries may depend on data)
