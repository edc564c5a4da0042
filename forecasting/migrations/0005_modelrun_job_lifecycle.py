"""ModelRun inherits core.jobs.JobRun: a heartbeat column, a longer stage, the "interrupted" status."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("forecasting", "0004_series_method_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="modelrun",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, help_text="Last sign of life of the worker.", null=True),
        ),
        migrations.AlterField(
            model_name="modelrun",
            name="stage",
            field=models.CharField(blank=True, default="", help_text="What the run is doing now.", max_length=200),
        ),
        migrations.AlterField(
            model_name="modelrun",
            name="status",
            field=models.CharField(
                choices=[("queued", "Queued"), ("running", "Running"), ("succeeded", "Succeeded"), ("failed", "Failed"),
                         ("interrupted", "Interrupted (to be retried)")],
                db_index=True, default="queued", max_length=20,
            ),
        ),
    ]
