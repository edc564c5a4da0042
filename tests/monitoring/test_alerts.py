"""Alert rules: open after N breaching snapshots, no duplicates while open, resolve on recovery, mail both."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from monitoring.models import AlertEvent, AlertRule
from monitoring.services.snapshots import build_and_persist_snapshot
from planning.models import ProductionTask
from tests.monitoring.conftest import NOW, day

pytestmark = pytest.mark.django_db
QUARTER = timedelta(minutes=15)


@pytest.fixture
def persist(django_capture_on_commit_callbacks):
    """Store the snapshot of the k-th slot after NOW, running the after-commit callbacks (the mails)."""

    def _persist(k: int):
        with django_capture_on_commit_callbacks(execute=True):
            outcome = build_and_persist_snapshot(NOW + k * QUARTER)
        assert outcome.created
        return outcome

    return _persist


def overdue_rule(**extra) -> AlertRule:
    values = {
        "name": "Overdue production", "metric": "planning.overdue_production_tasks.count", "comparator": "gt",
        "threshold": 0, "for_snapshots": 2, "severity": "critical", "recipients": "ops@example.com, boss@example.com",
        "description": "Chase the workshop.",
    }
    return AlertRule.objects.create(**(values | extra))


def test_open_dedupe_resolve_cycle_with_mails(world, persist):
    overdue_rule()
    store, product = world.location(), world.product()
    world.task(store, product, 3, due=day(-1))

    first = persist(0)
    assert first.alerts_opened == [] and AlertEvent.objects.count() == 0  # 1 of 2 breaching snapshots
    assert mail.outbox == []

    second = persist(1)
    event = AlertEvent.objects.get()
    assert second.alerts_opened == [event.pk]
    assert (event.status, event.value_at_open, event.severity, event.threshold) == ("open", 1, "critical", 0)
    assert event.opened_snapshot == second.snapshot
    assert len(mail.outbox) == 1
    opened_mail = mail.outbox[0]
    assert opened_mail.to == ["ops@example.com", "boss@example.com"]
    assert "ALERT CRITICAL: Overdue production" in opened_mail.subject
    assert "planning.overdue_production_tasks.count = 1 > 0" in opened_mail.body
    assert "Chase the workshop." in opened_mail.body and f"/admin/monitoring/alertevent/{event.pk}/" in opened_mail.body

    world.task(store, product, 1, due=day(-2))  # still breaching, now 2: no second event, no mail
    third = persist(2)
    assert third.alerts_opened == [] and AlertEvent.objects.count() == 1
    event.refresh_from_db()
    assert event.status == "open" and event.last_value == 2
    assert len(mail.outbox) == 1

    ProductionTask.objects.filter(due_date__lt=day(0)).update(status="completed")
    fourth = persist(3)
    event.refresh_from_db()
    assert fourth.alerts_resolved == [event.pk]
    assert (event.status, event.value_at_resolve, event.resolved_snapshot) == ("resolved", 0, fourth.snapshot)
    assert len(mail.outbox) == 2 and mail.outbox[1].subject == "[salesforecast] RESOLVED: Overdue production"
    assert "Open since" in mail.outbox[1].body

    persist(4)
    assert AlertEvent.objects.count() == 1 and len(mail.outbox) == 2


def test_a_new_breach_after_recovery_opens_a_new_event(world, persist):
    rule = overdue_rule(for_snapshots=1)
    store, product = world.location(), world.product()
    world.task(store, product, 3, due=day(-1))
    persist(0)
    ProductionTask.objects.update(status="completed")
    persist(1)
    world.task(store, product, 3, due=day(-1))
    persist(2)
    assert list(rule.events.order_by("opened_at").values_list("status", flat=True)) == ["resolved", "open"]


def test_the_database_refuses_a_second_open_event_of_a_rule():
    rule = overdue_rule()
    fields = {"rule": rule, "severity": "warning", "metric": rule.metric, "comparator": "gt", "threshold": 0,
              "opened_at": NOW, "value_at_open": 1}
    AlertEvent.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        AlertEvent.objects.create(**fields)
    AlertEvent.objects.create(**fields | {"status": "resolved"})  # resolved ones may pile up


def test_disabled_rules_and_missing_values_never_open(world, persist):
    overdue_rule(enabled=False, for_snapshots=1)
    AlertRule.objects.create(name="Accuracy", metric="forecasting.accuracy_7d.wape", comparator="gte", threshold=0,
                             recipients="ops@example.com")  # no accuracy log: the value is null
    world.task(world.location(), world.product(), 3, due=day(-1))
    persist(0)
    persist(1)
    assert AlertEvent.objects.count() == 0 and mail.outbox == []


def test_an_open_event_stays_open_while_the_value_is_unknown_and_resolves_when_the_rule_is_relaxed(world, persist):
    rule = AlertRule.objects.create(name="Sales lag", metric="data.sales.lag_days", comparator="gte", threshold=3,
                                    recipients="ops@example.com")
    location, product = world.location(), world.product()
    world.sale(location, product, day(-5))
    persist(0)
    event = AlertEvent.objects.get(status="open")
    assert event.value_at_open == 5
    from sales.models import DailySale

    DailySale.objects.all().delete()  # lag unknown now: not a recovery
    persist(1)
    event.refresh_from_db()
    assert event.status == "open" and event.last_value is None
    world.sale(location, product, day(-5))
    rule.threshold = 10
    rule.save()
    persist(2)
    event.refresh_from_db()
    assert event.status == "resolved" and event.value_at_resolve == 5


def test_recipients_fall_back_to_admins(world, persist, settings):
    settings.ADMINS = [("Ops", "admins@example.com")]
    overdue_rule(recipients="", for_snapshots=1)
    world.task(world.location(), world.product(), 3, due=day(-1))
    persist(0)
    assert [m.to for m in mail.outbox] == [["admins@example.com"]]


def test_no_recipients_anywhere_opens_the_event_without_mail(world, persist, settings):
    settings.ADMINS = []
    overdue_rule(recipients="", for_snapshots=1)
    world.task(world.location(), world.product(), 3, due=day(-1))
    persist(0)
    assert AlertEvent.objects.filter(status="open").count() == 1 and mail.outbox == []


def test_disabling_a_rule_closes_its_open_event_quietly(world, persist):
    rule = overdue_rule(for_snapshots=1)
    world.task(world.location(), world.product(), 3, due=day(-1))
    persist(0)
    event = AlertEvent.objects.get(status="open")
    assert len(mail.outbox) == 1
    rule.enabled = False
    rule.save()
    outcome = persist(1)
    event.refresh_from_db()
    assert outcome.alerts_resolved == [event.pk] and event.status == "resolved" and event.value_at_resolve is None
    assert "rule was disabled" in event.message and len(mail.outbox) == 1
