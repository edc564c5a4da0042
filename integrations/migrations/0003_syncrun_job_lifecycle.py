"""SyncRun inherits core.jobs.JobRun: a stage column (what the run is doing now) and the "interrupted" status.

The phase a running sync reported lived in ``details["phase"]``; it is copied into ``stage`` (and back).
"""

from django.db import migrations, models


def phase_to_stage(apps, schema_editor):
    SyncRun = apps.get_model("integrations", "SyncRun")
    for run in SyncRun.objects.filter(details__has_key="phase").only("pk", "details"):
        phase = str(run.details.pop("phase") or "")[:200]
        SyncRun.objects.filter(pk=run.pk).update(stage=phase, details=run.details)


def stage_to_phase(apps, schema_editor):
    SyncRun = apps.get_model("integrations", "SyncRun")
    SyncRun.objects.filter(status="interrupted").update(status="failed")
    for run in SyncRun.objects.exclude(stage="").only("pk", "details", "stage"):
        SyncRun.objects.filter(pk=run.pk).update(details={**(run.details or {}), "phase": run.stage})


class Migration(migrations.Migration):

    dependencies = [
        ("integrations", "0002_rate_limit_bucket"),
    ]

    operations = [
        migrations.AddField(
            model_name="syncrun",
            name="stage",
            field=models.CharField(blank=True, default="", help_text="What the run is doing now.", max_length=200),
        ),
        migrations.AlterField(
            model_name="syncrun",
            name="status",
            field=models.CharField(
                choices=[("queued", "Queued"), ("running", "Running"), ("succeeded", "Succeeded"),
                         ("partial", "Partially succeeded"), ("failed", "Failed"),
                         ("interrupted", "Interrupted (to be retried)")],
                db_index=True, default="queued", max_length=20,
            ),
        ),
        migrations.RunPython(phase_to_stage, stage_to_phase),
    ]
