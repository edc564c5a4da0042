"""The snapshot's query count is bounded and does not grow with the data."""

from __future__ import annotations

import pytest

from monitoring.services.snapshots import build_and_persist_snapshot, build_snapshot
from tests.monitoring.conftest import NOW, World, populate

pytestmark = pytest.mark.django_db

# 4 integrations + 4 data + 3 forecasting + 2 lead-time rules + 1 item query + 3 counts-with-ids = 17.
BUILD_QUERY_CEILING = 17


def test_build_query_count_is_the_same_for_small_and_much_larger_data(django_assert_max_num_queries):
    world = World()
    populate(world, scale=2)
    with django_assert_max_num_queries(BUILD_QUERY_CEILING):
        small = build_snapshot(NOW)
    populate(world, scale=8)  # 4× more locations, products (16× items), runs, proposals, orders, tasks
    with django_assert_max_num_queries(BUILD_QUERY_CEILING):
        large = build_snapshot(NOW)
    assert large.payload["planning"]["items_evaluated"] > 10 * small.payload["planning"]["items_evaluated"]
    assert large.payload["planning"]["proposals_awaiting_approval"]["count"] == 10
    assert small.query_count == large.query_count == BUILD_QUERY_CEILING


def test_persisting_adds_a_bounded_number_of_queries(django_assert_max_num_queries):
    from monitoring.metrics import METRIC_PATHS
    from monitoring.models import AlertRule

    for i, path in enumerate(METRIC_PATHS):  # every metric watched by a rule that fires
        AlertRule.objects.create(name=f"r{i}", metric=path, comparator="gte", threshold=-1)
    populate(World(), scale=3)
    # build + advisory lock (PostgreSQL) + slot check + insert + rules/recent/open events + prune, then one
    # insert (in a savepoint: 3 statements) per event opened: bounded by the number of rules, never by the data.
    with django_assert_max_num_queries(BUILD_QUERY_CEILING + 11 + 3 * len(METRIC_PATHS)):
        outcome = build_and_persist_snapshot(NOW)
    assert outcome.created and len(outcome.alerts_opened) == len(METRIC_PATHS)
