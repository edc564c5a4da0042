"""The demo command: loads the deterministic data set through the real services and is re-runnable."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from branches.models import Location
from sales.models import DailySale, DemandDriver, Product, StockLevel

pytestmark = pytest.mark.django_db(transaction=True)


def counts() -> dict[str, int]:
    return {
        "locations": Location.objects.count(),
        "products": Product.objects.count(),
        "daily_sales": DailySale.objects.count(),
        "stock": StockLevel.objects.count(),
        "drivers": DemandDriver.objects.count(),
        "users": get_user_model().objects.count(),
    }


def run_demo(**options) -> str:
    out = io.StringIO()
    call_command("demo", size="small", stdout=out, **options)
    return out.getvalue()


def test_direct_demo_is_re_runnable_without_duplicates():
    first_output = run_demo(source="direct", steps="")
    first = counts()
    assert first["locations"] >= 50 and first["products"] >= 200 and first["daily_sales"] > 0
    assert "created superuser 'admin' with password: " in first_output

    second_output = run_demo(source="direct", steps="")
    assert counts() == first
    # Nothing changed the second time, and the password is not printed again.
    assert "0 created, 0 updated" in second_output
    assert "with password" not in second_output and "exists" in second_output
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.groups.filter(name="admin").exists()
    # The shop floor: one embroidery job for an approved task (not duplicated by the re-run) and a label sheet.
    from django.conf import settings

    from shopfloor.models import EmbroideryJob

    job = EmbroideryJob.objects.get()
    assert job.status == "planned" and job.production_task.status == "approved"
    assert "embroidery job" in first_output
    assert (settings.MEDIA_ROOT / "demo" / "labels.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_full_demo_syncs_from_the_fakes_forecasts_proposes_and_is_re_runnable():
    """The whole pipeline end to end on the small data set, twice: sync → forecast → proposals → snapshot."""
    from forecasting.models import Forecast, ModelRun
    from integrations.models import SyncRun
    from planning.models import OrderProposal

    output = run_demo()
    assert "FAIL" not in output, output
    first = counts()
    assert first["daily_sales"] > 0 and first["stock"] > 0
    assert SyncRun.objects.filter(status="failed").count() == 0
    assert SyncRun.objects.values("account__kind").distinct().count() == 5
    run = ModelRun.objects.filter(status="succeeded").latest("id")
    assert Forecast.objects.filter(run=run).count() == run.series_count * run.horizon > 0
    assert OrderProposal.objects.exists()

    output = run_demo()
    assert "FAIL" not in output, output
    assert counts() == first


def test_demo_rejects_unknown_steps():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unknown step"):
        call_command("demo", size="small", steps="sync,teleport", stdout=io.StringIO())


def test_main_job_command_runs_every_step_on_an_empty_database():
    from django.core.management.base import CommandError

    out = io.StringIO()
    # Nothing to sync, nothing to forecast: the forecast step fails with a clear message, the others succeed.
    with pytest.raises(CommandError, match="forecast"):
        call_command("run_main_job", stdout=out)
    text = out.getvalue()
    assert "ok   sync" in text and "FAIL forecast" in text and "ok   snapshot" in text
    with pytest.raises(CommandError, match="--steps"):
        call_command("run_main_job", steps="nope", stdout=io.StringIO())
