"""django-q2 wrappers for webhook deliveries: each calls a service and nothing else."""

from django_q.models import Schedule

from core.schedules import ScheduleSpec
from webhooks import services


def deliver_webhook(delivery_id: int) -> str | None:
    delivery = services.deliver(delivery_id)
    return None if delivery is None else delivery.status


def retry_due_webhook_deliveries() -> int:
    return len(services.retry_due_deliveries())


SCHEDULES = [
    ScheduleSpec(name="webhooks:retry-due", func="webhooks.tasks.retry_due_webhook_deliveries",
                 schedule_type=Schedule.MINUTES, minutes=1),
]
