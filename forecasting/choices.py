from django.db import models


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    INTERRUPTED = "interrupted", "Interrupted (to be retried)"


class RunKind(models.TextChoices):
    TRAIN = "train", "Train + forecast"
    FORECAST = "forecast", "Forecast with a stored model"


class Algorithm(models.TextChoices):
    LIGHTGBM = "lightgbm", "LightGBM (global model)"
    SEASONAL_NAIVE = "seasonal_naive", "Seasonal naive"
    MOVING_AVERAGE = "moving_average", "Moving average"
    ZERO = "zero", "Zero"


class MissingDayPolicy(models.TextChoices):
    """What a day without a sales row means for a location (the engine's ``missing_policy``)."""

    ZERO = "zero", "Zero demand (closed or nothing sold)"
    UNKNOWN = "unknown", "Unknown (not recorded; not trained on, not scored)"


class AccuracyGroupBy(models.TextChoices):
    RUN = "run", "Run"
    LOCATION = "location", "Location"
    PRODUCT = "product", "Product"
    HORIZON_DAY = "horizon_day", "Horizon day"
    FORECAST_SCOPE = "forecast_scope", "Forecast scope"
