"""Alert rules evaluated after each persisted snapshot: open on breach, resolve on recovery, mail both.

A rule breaches when its metric satisfies `comparator threshold` in each of the last `for_snapshots`
persisted snapshots (a missing value — e.g. no forecast run yet — never breaches). An open event resolves
when the newest value no longer breaches the rule's current condition; a missing value leaves it open
(unknown is not recovered); disabling a rule closes its open event without a mail. At most one open event
per rule: the database enforces it with a partial unique constraint, so a duplicate is impossible even with
concurrent evaluations. Mails go out after commit.

Queries: rules, recent metrics, open events, then one write per event opened or resolved (bounded by the
number of rules, never by data) and one bulk update of the still-open events.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from monitoring.choices import COMPARATOR_FUNCTIONS, COMPARATOR_SYMBOLS, AlertStatus
from monitoring.models import AlertEvent, AlertRule, MonitoringSnapshot
from monitoring.services.alert_events import emit_alert_event

logger = logging.getLogger("monitoring")


@dataclass
class AlertEvaluation:
    opened: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    still_open: list[int] = field(default_factory=list)


def breaches(rule: AlertRule, value: float | None) -> bool:
    return value is not None and COMPARATOR_FUNCTIONS[rule.comparator](value, rule.threshold)


def evaluate_alert_rules(snapshot: MonitoringSnapshot) -> AlertEvaluation:
    """Apply every enabled rule to the snapshot just stored (call inside its transaction)."""
    result = AlertEvaluation()
    now = timezone.now()
    rules = list(AlertRule.objects.filter(enabled=True).order_by("id"))
    open_events = {event.rule_id: event for event in AlertEvent.objects.filter(status=AlertStatus.OPEN)}
    # A rule switched off stops alerting: its open episode is closed (quietly: nothing recovered).
    enabled_ids = {rule.id for rule in rules}
    orphaned = [event for rule_id, event in open_events.items() if rule_id not in enabled_ids]
    for event in orphaned:
        event.status, event.resolved_at, event.resolved_snapshot = AlertStatus.RESOLVED, now, snapshot
        event.message = f"{event.message} Closed without recovery: the rule was disabled.".strip()
        result.resolved.append(event.id)
    if orphaned:
        AlertEvent.objects.bulk_update(orphaned, ["status", "resolved_at", "resolved_snapshot", "message"])
    if not rules:
        return result
    depth = max(rule.for_snapshots for rule in rules)
    recent = list(
        MonitoringSnapshot.objects.filter(slot__lte=snapshot.slot).order_by("-slot").values_list("metrics", flat=True)[
            :depth
        ]
    )
    touched: list[AlertEvent] = []
    for rule in rules:
        values = [(metrics or {}).get(rule.metric) for metrics in recent[: rule.for_snapshots]]
        current = values[0] if values else None
        event = open_events.get(rule.id)
        if event is None:
            if len(values) == rule.for_snapshots and all(breaches(rule, v) for v in values):
                opened = _open(rule, snapshot, current, now)
                if opened is not None:
                    result.opened.append(opened.id)
        elif current is not None and not breaches(rule, current):
            _resolve(event, rule, snapshot, current, now)
            result.resolved.append(event.id)
        else:
            event.last_value = current
            event.last_evaluated_at = now
            touched.append(event)
            result.still_open.append(event.id)
    if touched:
        AlertEvent.objects.bulk_update(touched, ["last_value", "last_evaluated_at"])
    return result


def _open(rule: AlertRule, snapshot: MonitoringSnapshot, value: float, now) -> AlertEvent | None:
    message = (
        f"{rule.metric} = {value:g} {COMPARATOR_SYMBOLS[rule.comparator]} {rule.threshold:g} "
        f"in {rule.for_snapshots} consecutive snapshot(s), the latest of slot {snapshot.slot:%Y-%m-%d %H:%M} UTC."
    )
    try:
        with transaction.atomic():
            event = AlertEvent.objects.create(
                rule=rule,
                status=AlertStatus.OPEN,
                severity=rule.severity,
                metric=rule.metric,
                comparator=rule.comparator,
                threshold=rule.threshold,
                opened_at=now,
                opened_snapshot=snapshot,
                value_at_open=value,
                last_value=value,
                last_evaluated_at=now,
                message=message,
            )
    except IntegrityError:  # another evaluation opened it first: never a duplicate
        return None
    _mail_after_commit(rule, event, "open")
    emit_alert_event(rule, event, "open")
    return event


def _resolve(event: AlertEvent, rule: AlertRule, snapshot: MonitoringSnapshot, value: float, now) -> None:
    event.status = AlertStatus.RESOLVED
    event.resolved_at = now
    event.resolved_snapshot = snapshot
    event.value_at_resolve = value
    event.last_value = value
    event.last_evaluated_at = now
    event.save(
        update_fields=["status", "resolved_at", "resolved_snapshot", "value_at_resolve", "last_value",
                       "last_evaluated_at"]
    )
    _mail_after_commit(rule, event, "resolved")
    emit_alert_event(rule, event, "resolved")


def recipients_for(rule: AlertRule) -> list[str]:
    """The rule's own recipients, else the ADMINS of the deployment."""
    return rule.recipient_list or [address for _name, address in settings.ADMINS]


def _mail_after_commit(rule: AlertRule, event: AlertEvent, kind: str) -> None:
    recipients = recipients_for(rule)
    if not recipients:
        logger.warning("alert has no recipients (rule and ADMINS empty)", extra={"rule": rule.pk, "event": event.pk})
        return
    link = settings.SITE_URL + reverse("admin:monitoring_alertevent_change", args=[event.pk])
    if kind == "open":
        subject = f"[salesforecast] ALERT {rule.get_severity_display().upper()}: {rule.name}"
        body = (
            f"The alert rule “{rule.name}” is in breach.\n\n{event.message}\n\n"
            f"Condition: {rule.condition_text}\nSeverity: {rule.get_severity_display()}\n"
            f"What to do: {rule.description or '(no description on the rule)'}\n\nEvent: {link}\n"
        )
    else:
        subject = f"[salesforecast] RESOLVED: {rule.name}"
        body = (
            f"The alert rule “{rule.name}” has recovered: {rule.metric} = {event.value_at_resolve:g} "
            f"in the snapshot of slot {event.resolved_snapshot.slot:%Y-%m-%d %H:%M} UTC.\n"
            f"Open since {event.opened_at:%Y-%m-%d %H:%M} UTC (value then: {event.value_at_open:g}).\n\nEvent: {link}\n"
        )

    def send() -> None:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        logger.info("alert mail sent", extra={"event": event.pk, "kind": kind, "recipients": len(recipients)})

    transaction.on_commit(send, robust=True)
