"""The run models' move onto core.jobs.JobRun keeps their data, both ways (migrations are reversible)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("sales", "0006_demand_driver_advertised_extended_promotion"), ("planning", "0004_policy_replays"),
          ("integrations", "0002_rate_limit_bucket")]
AFTER = [("sales", "0007_importjob_job_lifecycle"), ("planning", "0005_proposalrun_job_lifecycle"),
         ("integrations", "0003_syncrun_job_lifecycle")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_run_data_survives_the_move_and_the_way_back():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE)
        job = old.get_model("sales", "ImportJob").objects.create(kind="sales", file="a.csv", progress=31.7)
        started = timezone.now() - timedelta(days=1)
        proposal = old.get_model("planning", "ProposalRun").objects.create(status="succeeded")
        old.get_model("planning", "ProposalRun").objects.filter(pk=proposal.pk).update(started_at=started)
        account = old.get_model("integrations", "IntegrationAccount").objects.create(
            kind="onec", name="1C", base_url="http://127.0.0.1:1")
        sync = old.get_model("integrations", "SyncRun").objects.create(
            account=account, stream="org", status="running", details={"phase": "Read page 3", "pages": 3})

        new = _migrate(AFTER)
        moved = new.get_model("sales", "ImportJob").objects.get(pk=job.pk)
        assert (moved.progress_done, moved.progress_total) == (317, 1000)
        assert new.get_model("planning", "ProposalRun").objects.get(pk=proposal.pk).created_at == started
        moved_sync = new.get_model("integrations", "SyncRun").objects.get(pk=sync.pk)
        assert moved_sync.stage == "Read page 3" and moved_sync.details == {"pages": 3}

        back = _migrate(BEFORE)
        assert back.get_model("sales", "ImportJob").objects.get(pk=job.pk).progress == 31.7
        assert back.get_model("planning", "ProposalRun").objects.get(pk=proposal.pk).started_at == started
        assert back.get_model("integrations", "SyncRun").objects.get(pk=sync.pk).details == {
            "pages": 3, "phase": "Read page 3"}
    finally:
        _migrate(latest)
