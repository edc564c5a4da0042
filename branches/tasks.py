"""django-q2 entry points of branches: thin wrappers that call a service and nothing else."""

from salesforecast.schedules import ScheduleSpec

SCHEDULES: list[ScheduleSpec] = []
