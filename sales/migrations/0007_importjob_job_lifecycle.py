"""ImportJob inherits core.jobs.JobRun.

The percent column ``progress`` becomes ``progress_done`` / ``progress_total`` (tenths of a percent, total 1000:
the API still shows ``progress`` as a percent, computed); existing values are converted both ways.
New columns: stage, heartbeat; new status "interrupted".
"""

from django.db import migrations, models

PER_MILLE = 1000


def percent_to_counts(apps, schema_editor):
    ImportJob = apps.get_model("sales", "ImportJob")
    for pk, percent in ImportJob.objects.values_list("pk", "progress"):
        done = max(0, min(PER_MILLE, round((percent or 0) * PER_MILLE / 100)))
        ImportJob.objects.filter(pk=pk).update(progress_done=done, progress_total=PER_MILLE)


def counts_to_percent(apps, schema_editor):
    ImportJob = apps.get_model("sales", "ImportJob")
    ImportJob.objects.filter(status="interrupted").update(status="failed")
    for pk, done, total in ImportJob.objects.values_list("pk", "progress_done", "progress_total"):
        percent = round(100.0 * min(done, total) / total, 1) if total else 0.0
        ImportJob.objects.filter(pk=pk).update(progress=percent)


class Migration(migrations.Migration):

    dependencies = [
        ("sales", "0006_demand_driver_advertised_extended_promotion"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="progress_done",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="importjob",
            name="progress_total",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(percent_to_counts, counts_to_percent),
        migrations.RemoveField(
            model_name="importjob",
            name="progress",
        ),
        migrations.AddField(
            model_name="importjob",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, help_text="Last sign of life of the worker.", null=True),
        ),
        migrations.AddField(
            model_name="importjob",
            name="stage",
            field=models.CharField(blank=True, default="", help_text="What the run is doing now.", max_length=200),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="status",
            field=models.CharField(
                choices=[("queued", "Queued"), ("running", "Running"), ("succeeded", "Succeeded"),
                         ("rejected", "Rejected (invalid rows, nothing written)"), ("failed", "Failed (error)"),
                         ("interrupted", "Interrupted (to be retried)")],
                db_index=True, default="queued", max_length=20,
            ),
        ),
    ]
