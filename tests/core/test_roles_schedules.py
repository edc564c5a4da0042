import pytest
from django.contrib.auth.models import Group
from django_q.models import Schedule

from core import schedules
from core.roles import ROLES
from core.schedules import ScheduleSpec, register_schedules


@pytest.mark.django_db
def test_roles_exist_after_migrate_with_their_permissions():
    # Created by the data migration and given permissions on post_migrate of the test database.
    groups = {g.name: g for g in Group.objects.filter(name__in=ROLES)}
    assert set(groups) == set(ROLES)
    viewer = {f"{p.content_type.app_label}.{p.codename}" for p in groups["viewer"].permissions.all()}
    planner = {f"{p.content_type.app_label}.{p.codename}" for p in groups["planner"].permissions.all()}
    integrator = {f"{p.content_type.app_label}.{p.codename}" for p in groups["integrator"].permissions.all()}
    admin = {f"{p.content_type.app_label}.{p.codename}" for p in groups["admin"].permissions.all()}
    assert "sales.view_dailysale" in viewer and all(p.split(".")[1].startswith("view_") for p in viewer)
    assert "forecasting.add_modelrun" in planner and "integrations.add_integrationaccount" not in planner
    assert "integrations.change_integrationaccount" in integrator and "forecasting.add_modelrun" not in integrator
    assert {"auth.view_user", "forecasting.delete_modelrun", "integrations.add_syncrun"} <= admin


@pytest.mark.django_db
def test_schedule_registration_is_idempotent_and_follows_declarations(monkeypatch):
    specs = [
        ScheduleSpec(name="test.every-15", func="monitoring.tasks.example", schedule_type=Schedule.MINUTES, minutes=15),
        ScheduleSpec(name="test.nightly", func="forecasting.tasks.example", schedule_type=Schedule.CRON,
                     cron="30 3 * * *"),
    ]
    monkeypatch.setattr(schedules, "collect_schedule_specs", lambda: list(specs))
    first = register_schedules()
    assert first["created"] == 2
    again = register_schedules()
    assert again == {"created": 0, "updated": 0, "unchanged": 2, "removed": 0, "skipped": 0}
    assert Schedule.objects.filter(name__startswith="sf:test.").count() == 2

    specs[0] = ScheduleSpec(name="test.every-15", func="monitoring.tasks.example", schedule_type=Schedule.MINUTES,
                            minutes=30)
    del specs[1]
    changed = register_schedules()
    assert changed["updated"] == 1 and changed["removed"] == 1
    assert Schedule.objects.get(name="sf:test.every-15").minutes == 30
    # Schedules that are not ours are left alone.
    Schedule.objects.create(name="someone-else", func="math.floor", schedule_type=Schedule.ONCE)
    register_schedules()
    assert Schedule.objects.filter(name="someone-else").exists()


@pytest.mark.django_db
def test_declared_schedules_point_at_importable_task_functions():
    import importlib

    for spec in schedules.collect_schedule_specs():
        module, _, func = spec.func.rpartition(".")
        assert callable(getattr(importlib.import_module(module), func)), spec.func
