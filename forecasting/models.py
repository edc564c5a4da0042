"""Forecast runs, their forecasts, forecast-vs-actual accuracy, and per-location forecasting policy."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import cached_property

from core.jobs import ACTIVE_STATUSES, JobRun, one_active_per
from forecasting.choices import Algorithm, MissingDayPolicy, RunKind, RunStatus


class ArtifactStorage(FileSystemStorage):
    """Files under ARTIFACTS_ROOT, read when first used (and again if the setting changes, as in tests).

    Trained models live here rather than under MEDIA_ROOT: never served over HTTP, one folder to back up.
    """

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.ARTIFACTS_ROOT)

    def url(self, name):
        raise NotImplementedError("Artefacts are not served over HTTP; open them through the storage.")

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "ARTIFACTS_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


_artifact_storage = ArtifactStorage()


def artifacts_storage() -> ArtifactStorage:
    """The storage of trained models (a callable, so migrations do not freeze a path)."""
    return _artifact_storage


class ForecastScope(models.Model):
    """A unit of forecasting work: a location subtree × a product-category subtree (either empty = all).

    Runs on disjoint scopes train at once on different workers; each scope's newest succeeded run is its
    forecast of record. Configured in the admin or the API; every change goes through
    ``forecasting.services.scopes`` (which refuses two active scopes that overlap).
    """

    name = models.CharField(max_length=100, unique=True)
    location = models.ForeignKey(
        "branches.Location", null=True, blank=True, on_delete=models.PROTECT, related_name="forecast_scopes",
        help_text="Root of the location subtree (empty = every location).",
    )
    category = models.ForeignKey(
        "sales.ProductCategory", null=True, blank=True, on_delete=models.PROTECT, related_name="forecast_scopes",
        help_text="Root of the product-category subtree (empty = every product).",
    )
    active = models.BooleanField(default=True, help_text="Active scopes are forecast by the nightly job.")
    note = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "forecast scope"

    def __str__(self) -> str:
        return self.name


class ForecastBatch(JobRun):
    """The nightly forecast fanned out: one run per active scope, queued as one django-q2 group.

    Rolls up its runs: progress is scopes finished of scopes queued; it ends ``succeeded`` when every scope
    succeeded, ``partial`` when some failed (the error names them) and ``failed`` when all did. One failing
    scope never stops the others, and never touches their forecasts of record.
    """

    trigger = models.CharField(max_length=20, default="schedule", help_text="schedule, command, api or admin.")
    horizon = models.PositiveIntegerField(default=28)
    scopes_total = models.PositiveIntegerField(default=0)
    scopes_succeeded = models.PositiveIntegerField(default=0)
    scopes_failed = models.PositiveIntegerField(default=0)
    outcome = models.JSONField(
        default=dict, blank=True, help_text="Per scope: run id, status and error (scope name → details)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "forecast batch"
        verbose_name_plural = "forecast batches"
        constraints = [one_active_per(name="forecastbatch_one_active")]

    @property
    def group(self) -> str:
        """The django-q2 group its tasks are queued in."""
        return f"forecast-batch-{self.pk}"

    def __str__(self) -> str:
        return f"Forecast batch #{self.pk} ({self.status})"


class ModelRun(JobRun):
    """One training (+ optional backtest) and the forecasts it produced; the model is kept for reuse.

    Status, stage, progress, error, task id, timestamps and heartbeat come from :class:`core.jobs.JobRun`.
    """

    kind = models.CharField(max_length=20, choices=RunKind.choices, default=RunKind.TRAIN)
    algorithm = models.CharField(max_length=30, choices=Algorithm.choices, default=Algorithm.LIGHTGBM)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED, db_index=True)
    source_run = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reused_by",
        help_text="For forecast-only runs: the run whose stored model was reused.",
    )
    parameters = models.JSONField(default=dict, blank=True)
    features = models.JSONField(default=list, blank=True)
    scope = models.JSONField(default=dict, blank=True, help_text="Filters: location subtree, products, category.")
    horizon = models.PositiveIntegerField(default=28)
    backtest_folds = models.PositiveSmallIntegerField(default=0, help_text="Rolling-origin folds (0 = no backtest).")
    frequency = models.CharField(max_length=10, default="D")
    data_start = models.DateField(null=True, blank=True)
    data_end = models.DateField(null=True, blank=True)
    data_fingerprint = models.CharField(max_length=64, blank=True, default="")
    series_count = models.PositiveIntegerField(default=0)
    forecast_start = models.DateField(null=True, blank=True)
    forecast_end = models.DateField(null=True, blank=True)
    forecast_count = models.PositiveIntegerField(default=0)
    metrics = models.JSONField(default=dict, blank=True, help_text="Backtest metrics per model and fold.")
    method_counts = models.JSONField(
        default=dict, blank=True,
        help_text="Series per forecasting method and reason, e.g. {'lightgbm': 380, 'zero/dormant': 3}.",
    )
    feature_importance = models.JSONField(default=dict, blank=True)
    model_file = models.FileField(
        storage=artifacts_storage, upload_to="models/%Y/%m/", max_length=500, blank=True, default=""
    )
    model_sha256 = models.CharField(max_length=64, blank=True, default="")
    seconds = models.JSONField(default=dict, blank=True, help_text="Wall time per stage.")
    accuracy_through = models.DateField(
        null=True, blank=True, help_text="Actuals up to this date have been compared with the forecasts."
    )
    accuracy_checked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # ``scope`` (above) holds the filters the history was read with; this is the configured unit of work the
    # run belongs to (empty = "everything", as before scopes existed). Named apart so the filters keep their name.
    forecast_scope = models.ForeignKey(
        ForecastScope, null=True, blank=True, on_delete=models.PROTECT, related_name="runs",
        help_text="The configured scope this run forecasts (empty = everything).",
    )
    batch = models.ForeignKey(
        ForecastBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs",
        help_text="The nightly fan-out this run was part of.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One queued or running run per scope, and one for "everything"; overlapping scopes are checked
            # by the service under a lock (a containment test the database cannot express).
            models.UniqueConstraint(
                fields=["forecast_scope"], condition=models.Q(status__in=ACTIVE_STATUSES),
                name="modelrun_one_active_per_scope",
            ),
            models.UniqueConstraint(
                models.Value(1),
                condition=models.Q(status__in=ACTIVE_STATUSES, forecast_scope__isnull=True),
                name="modelrun_one_active_everything",
            ),
        ]

    def __str__(self) -> str:
        return f"Run #{self.pk} {self.algorithm} ({self.status})"


class Forecast(models.Model):
    run = models.ForeignKey(ModelRun, on_delete=models.CASCADE, related_name="forecasts")
    location = models.ForeignKey("branches.Location", on_delete=models.CASCADE, related_name="forecasts")
    product = models.ForeignKey("sales.Product", on_delete=models.CASCADE, related_name="forecasts")
    date = models.DateField()
    yhat = models.FloatField()
    p10 = models.FloatField()
    p50 = models.FloatField()
    p90 = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "location", "product", "date"], name="forecast_unique_point")
        ]
        indexes = [models.Index(fields=["location", "product", "date"], name="forecast_series_date_idx")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.location_id}/{self.product_id}/{self.date}: {self.yhat:.2f}"


class SeriesMethod(models.Model):
    """How one series of a run was forecast, and why not by the model when it was not (see the engine's guards)."""

    run = models.ForeignKey(ModelRun, on_delete=models.CASCADE, related_name="series_methods")
    location = models.ForeignKey("branches.Location", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("sales.Product", on_delete=models.CASCADE, related_name="+")
    method = models.CharField(max_length=30, help_text="lightgbm, a baseline, cold_start or zero.")
    reason = models.CharField(
        max_length=30, blank=True, default="",
        help_text="Empty when the model was trusted; else dormant, no_sales, short_history, backtest_worse, "
        "outside_band.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "location", "product"], name="series_method_unique")
        ]
        indexes = [models.Index(fields=["run", "reason"], name="series_method_reason_idx")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.location_id}/{self.product_id}: {self.method} {self.reason}".strip()


class ForecastAccuracyLog(models.Model):
    """Forecast vs actual for one point once the actual arrived; aggregated by run/location/product/horizon."""

    run = models.ForeignKey(ModelRun, on_delete=models.CASCADE, related_name="accuracy_logs")
    location = models.ForeignKey("branches.Location", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("sales.Product", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    horizon_day = models.PositiveSmallIntegerField(help_text="1 = first forecast day of the run.")
    forecast = models.FloatField()
    actual = models.FloatField()
    error = models.FloatField(help_text="forecast − actual (positive = over-forecast).")
    abs_error = models.FloatField()
    p10 = models.FloatField(null=True, blank=True)
    p90 = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "location", "product", "date"], name="accuracy_unique_point")
        ]
        indexes = [
            models.Index(fields=["date"], name="accuracy_date_idx"),
            # Covering index for rolling-window accuracy (monitoring, /metrics): the sums read no table rows.
            models.Index(fields=["date", "abs_error", "actual", "error"], name="accuracy_window_cover_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.location_id}/{self.product_id}/{self.date}"


class LocationForecastPolicy(models.Model):
    """How forecasting reads a location's gaps; inherited by its subtree (the nearest ancestor's row wins).

    Kept here rather than on branches.Location because it is a forecasting concern and the tree belongs
    to branches. Locations without a policy anywhere up the tree use ``zero`` (the issue's default).
    """

    location = models.OneToOneField(
        "branches.Location", on_delete=models.CASCADE, related_name="forecast_policy"
    )
    missing_day_policy = models.CharField(
        max_length=10, choices=MissingDayPolicy.choices, default=MissingDayPolicy.ZERO
    )
    note = models.CharField(max_length=255, blank=True, default="", help_text="Why this location differs.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "location forecast policy"
        verbose_name_plural = "location forecast policies"

    def __str__(self) -> str:
        return f"{self.location}: missing days = {self.missing_day_policy}"
