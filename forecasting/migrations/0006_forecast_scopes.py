"""Forecast scopes (units of work) and "one active run per scope" in the database.

Before the constraints, runs left queued or running side by side on "everything" (the command never checked)
are settled: all but the newest are failed with a message, so the unique index can be built.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


ACTIVE = ("queued", "running")
SETTLED = "Failed by migration forecasting 0006: another run on the same scope was active at the same time."


def settle_parallel_active_runs(apps, schema_editor) -> None:
    ModelRun = apps.get_model("forecasting", "ModelRun")
    active = list(ModelRun.objects.filter(status__in=ACTIVE).order_by("-created_at", "-pk").values_list("pk", flat=True))
    if len(active) > 1:
        ModelRun.objects.filter(pk__in=active[1:]).update(status="failed", error=SETTLED)


class Migration(migrations.Migration):

    dependencies = [
        ('branches', '0002_location_proxies'),
        ('forecasting', '0005_modelrun_job_lifecycle'),
        ('sales', '0007_importjob_job_lifecycle'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ForecastScope',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True)),
                ('active', models.BooleanField(default=True, help_text='Active scopes are forecast by the nightly job.')),
                ('note', models.CharField(blank=True, default='', max_length=255)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('category', models.ForeignKey(blank=True, help_text='Root of the product-category subtree (empty = every product).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='forecast_scopes', to='sales.productcategory')),
                ('location', models.ForeignKey(blank=True, help_text='Root of the location subtree (empty = every location).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='forecast_scopes', to='branches.location')),
            ],
            options={
                'verbose_name': 'forecast scope',
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='modelrun',
            name='forecast_scope',
            field=models.ForeignKey(blank=True, help_text='The configured scope this run forecasts (empty = everything).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='runs', to='forecasting.forecastscope'),
        ),
        migrations.RunPython(settle_parallel_active_runs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='modelrun',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ('queued', 'running'))), fields=('forecast_scope',), name='modelrun_one_active_per_scope'),
        ),
        migrations.AddConstraint(
            model_name='modelrun',
            constraint=models.UniqueConstraint(models.Value(1), condition=models.Q(('forecast_scope__isnull', True), ('status__in', ('queued', 'running'))), name='modelrun_one_active_everything'),
        ),
    ]
