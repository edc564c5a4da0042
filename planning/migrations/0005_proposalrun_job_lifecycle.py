"""ProposalRun inherits core.jobs.JobRun.

``started_at`` was the creation time (auto_now_add); it becomes the time a worker started the run, and the new
``created_at`` takes over the creation time (copied from ``started_at`` for every existing run, and back).
New columns: stage, task id, heartbeat; new status "interrupted".
"""

from django.db import migrations, models
from django.db.models import F
from django.utils import timezone


def copy_started_to_created(apps, schema_editor):
    apps.get_model("planning", "ProposalRun").objects.update(created_at=F("started_at"))


def copy_created_to_started(apps, schema_editor):
    ProposalRun = apps.get_model("planning", "ProposalRun")
    ProposalRun.objects.filter(status="interrupted").update(status="failed")
    ProposalRun.objects.filter(started_at__isnull=True).update(started_at=F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("planning", "0004_policy_replays"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposalrun",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, default=timezone.now),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="proposalrun",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(copy_started_to_created, copy_created_to_started),
        migrations.AlterModelOptions(
            name="proposalrun",
            options={"ordering": ["-created_at", "-id"]},
        ),
        migrations.AddField(
            model_name="proposalrun",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, help_text="Last sign of life of the worker.", null=True),
        ),
        migrations.AddField(
            model_name="proposalrun",
            name="stage",
            field=models.CharField(blank=True, default="", help_text="What the run is doing now.", max_length=200),
        ),
        migrations.AddField(
            model_name="proposalrun",
            name="task_id",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AlterField(
            model_name="proposalrun",
            name="status",
            field=models.CharField(
                choices=[("queued", "Queued"), ("running", "Running"), ("succeeded", "Succeeded"), ("failed", "Failed"),
                         ("interrupted", "Interrupted (to be retried)")],
                db_index=True, default="running", max_length=20,
            ),
        ),
    ]
