"""django-q2 entry points of branches: thin wrappers that call a service and nothing else."""

from core.schedules import ScheduleSpec

SCHEDULES: list[ScheduleSpec] = []
