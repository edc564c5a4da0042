"""Schedules and task wrappers, and the admin pages planners use (runs, forecasts, chart, accuracy)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from croniter import croniter
from django.urls import reverse
from django_q.models import Schedule

from core.schedules import collect_schedule_specs, register_schedules
from forecasting import tasks
from forecasting.choices import RunStatus
from forecasting.models import ForecastAccuracyLog, ModelRun
from forecasting.services import update_accuracy
from sales.models import DailySale
from tests.forecasting.conftest import END, FAST, make_run, scoped_accuracy

pytestmark = pytest.mark.django_db


def test_schedules_run_after_the_daily_syncs_and_register():
    specs = {s.name: s for s in collect_schedule_specs() if s.func.startswith("forecasting.")}
    # stale runs: core's one sweep
    assert set(specs) == {"forecasting-nightly", "forecasting-accuracy", "forecasting-retention"}
    for spec in specs.values():
        assert callable(getattr(tasks, spec.func.rpartition(".")[2]))
    for name in ("forecasting-nightly", "forecasting-accuracy"):
        assert specs[name].schedule_type == Schedule.CRON and croniter.is_valid(specs[name].cron)
    assert specs["forecasting-nightly"].cron == "30 3 * * *"
    assert specs["forecasting-nightly"].kwargs == {"horizon": 28}
    register_schedules()
    assert Schedule.objects.get(name="sf:forecasting-nightly").func == "forecasting.tasks.nightly_train_and_forecast"


def test_task_wrappers_call_the_services(world):
    world.sales(world.store_a, world.bread, days=45)
    run = make_run([(world.store_a, world.bread)], days=2)
    DailySale.objects.create(location=world.store_a, product=world.bread, date=END + dt.timedelta(days=1),
                             quantity=Decimal(3))
    assert tasks.update_forecast_accuracy() == 1
    assert ForecastAccuracyLog.objects.get().run == run
    queued = ModelRun.objects.create(horizon=3, parameters=FAST)
    assert tasks.run_training(queued.pk) == queued.pk
    queued.refresh_from_db()
    assert queued.status == RunStatus.SUCCEEDED


@pytest.fixture
def admin_client_(client, make_user):
    user = make_user("boss", is_superuser=True, is_staff=True)
    client.force_login(user)
    return client


def test_admin_pages_render(admin_client_, world):
    world.sales(world.store_a, world.bread, days=30)
    run = make_run([(world.store_a, world.bread)], days=3,
                   metrics={"models": {"lightgbm": {"wape": 0.31, "rmsse": 0.8}},
                            "per_fold": [{"fold": 1, "origin": "2026-03-01", "models": {"lightgbm": {"wape": 0.3}}}]},
                   feature_importance={"lag_7": 0.6, "day_of_week": 0.4}, parameters={"num_leaves": 63})
    ModelRun.objects.create(status=RunStatus.FAILED, error="history: not enough history")
    DailySale.objects.create(location=world.store_a, product=world.bread, date=END + dt.timedelta(days=1),
                             quantity=Decimal(3))
    update_accuracy()
    for name in ("modelrun", "forecast", "forecastaccuracylog", "locationforecastpolicy"):
        response = admin_client_.get(reverse(f"admin:forecasting_{name}_changelist"))
        assert response.status_code == 200, name
    detail = admin_client_.get(reverse("admin:forecasting_modelrun_change", args=[run.pk])).content.decode()
    assert "lag_7" in detail and "60.0%" in detail and "0.310" in detail and "fold 1 from 2026-03-01" in detail
    runs_page = admin_client_.get(reverse("admin:forecasting_modelrun_changelist")).content.decode()
    assert "not enough history" not in runs_page  # errors live on the detail page; the list stays readable
    assert reverse("admin:forecasting_forecast_chart") in runs_page
    accuracy_page = admin_client_.get(reverse("admin:forecasting_forecastaccuracylog_changelist")).content.decode()
    assert "Accuracy of the filtered rows" in accuracy_page
    assert "by forecast scope" not in accuracy_page  # no scopes: the runs' table says it all


def test_admin_accuracy_page_adds_up_each_forecast_scope(admin_client_, world):
    scope, _run = scoped_accuracy(world, "Store A scope")
    url = reverse("admin:forecasting_forecastaccuracylog_changelist")
    page = admin_client_.get(url).content.decode()
    assert "by forecast scope" in page and "Store A scope" in page and "Everything (runs without a scope)" in page
    only = admin_client_.get(url + f"?run__forecast_scope__id__exact={scope.pk}").content.decode()
    assert "Store A scope" in only and "Everything (runs without a scope)" not in only


def test_admin_chart_page_embeds_the_png(admin_client_, world):
    world.sales(world.store_a, world.bread, days=30)
    run = make_run([(world.store_a, world.bread), (world.warehouse, world.cola)], days=3)
    page = admin_client_.get(reverse("admin:forecasting_forecast_chart") + f"?run={run.pk}").content.decode()
    src = re.search(r'<img src="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert src.startswith(reverse("forecasting:chart")) and "format=png" in src
    image = admin_client_.get(src)  # the admin session is enough for the API
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    empty = admin_client_.get(reverse("admin:forecasting_forecast_chart") + "?run=999").content.decode()
    assert "No forecasts to chart yet" in empty


def test_admin_chart_page_speaks_the_planners_language(admin_client_, world):
    run = make_run([(world.store_a, world.bread)], days=3, series_count=1)
    url = reverse("admin:forecasting_forecast_chart")
    page = admin_client_.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    for words in ("График прогноза", "Показать", "действующий прогноз", f"#{run.pk}", "1 ряд", "Ряд в формате JSON"):
        assert words in page, words
    assert "Forecast chart" not in page and "Series as JSON" not in page
    empty = admin_client_.get(url + "?run=999", HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert "Henüz grafiği çizilecek tahmin yok" in empty and reverse("admin:forecasting_modelrun_changelist") in empty


def test_admin_retrain_action_queues_a_run(admin_client_, world, django_capture_on_commit_callbacks):
    world.sales(world.store_a, world.bread, days=30)
    run = make_run([(world.store_a, world.bread)], days=3, parameters={"num_leaves": 15, "horizon": 3},
                   scope={"product": [world.bread.pk]})
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            reverse("admin:forecasting_modelrun_changelist"),
            {"action": "retrain_now", "_selected_action": [run.pk]},
            follow=True,
        )
    assert response.status_code == 200
    new = ModelRun.objects.exclude(pk=run.pk).get()
    assert new.status == RunStatus.QUEUED and new.parameters == {"num_leaves": 15}
    assert new.scope == {"product": [world.bread.pk]} and new.horizon == 3 and new.task_id
    assert f"Run #{new.pk} queued" in response.content.decode()
    # A second click while it waits is refused with the reason.
    response = admin_client_.post(
        reverse("admin:forecasting_modelrun_changelist"), {"action": "retrain_now", "_selected_action": [run.pk]},
        follow=True,
    )
    assert f"run #{new.pk} is queued" in response.content.decode()
