from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fast_lists import CompiledListSerializer
from forecasting.choices import AccuracyGroupBy
from forecasting.models import Forecast, ForecastBatch, ForecastScope, ModelRun, SeriesMethod
from forecasting.services.runs import MAX_BACKTEST_FOLDS, MAX_HORIZON


class ModelRunListSerializer(serializers.ModelSerializer):
    """A run as a row in a list: status and progress, no heavy JSON."""

    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    progress = serializers.SerializerMethodField(help_text="Percent of the current stage done (null if unknown).")
    wape = serializers.SerializerMethodField(help_text="Backtest WAPE of LightGBM (null without a backtest).")

    class Meta:
        model = ModelRun
        fields = [
            "id", "kind", "algorithm", "status", "stage", "progress", "progress_done", "progress_total", "horizon",
            "backtest_folds", "scope", "forecast_scope", "batch", "frequency", "data_start", "data_end", "series_count",
            "forecast_start", "forecast_end", "forecast_count", "wape", "source_run", "error", "created_by",
            "created_at", "started_at", "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, run: ModelRun) -> float | None:
        if not run.progress_total:
            return None
        return round(100.0 * min(run.progress_done, run.progress_total) / run.progress_total, 1)

    def get_wape(self, run: ModelRun) -> float | None:
        return ((run.metrics or {}).get("models") or {}).get("lightgbm", {}).get("wape")


class SeriesMethodSerializer(serializers.ModelSerializer):
    """How one series of a run was forecast; ``reason`` is empty when the model was trusted."""

    location_code = serializers.CharField(source="location.code", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)

    class Meta:
        model = SeriesMethod
        fields = ["location", "location_code", "product", "sku", "method", "reason"]
        read_only_fields = fields


class FeatureImportanceSerializer(serializers.Serializer):
    feature = serializers.CharField()
    share = serializers.FloatField(help_text="Share of the model's total gain (0–1).")


class ModelRunSerializer(ModelRunListSerializer):
    """Everything about a run: parameters, features and their importance, backtest metrics, timings."""

    has_model = serializers.SerializerMethodField()
    feature_importance = serializers.SerializerMethodField(help_text="Features by share of gain, largest first.")

    class Meta(ModelRunListSerializer.Meta):
        fields = [
            *ModelRunListSerializer.Meta.fields, "method_counts", "parameters", "features", "feature_importance",
            "metrics",
            "data_fingerprint", "seconds", "has_model", "model_sha256", "accuracy_through", "task_id",
        ]
        read_only_fields = fields

    def get_has_model(self, run: ModelRun) -> bool:
        return bool(run.model_file)

    @extend_schema_field(FeatureImportanceSerializer(many=True))
    def get_feature_importance(self, run: ModelRun) -> list[dict]:
        items = sorted((run.feature_importance or {}).items(), key=lambda kv: (-kv[1], kv[0]))
        return [{"feature": name, "share": share} for name, share in items]


class ModelRunCreateSerializer(serializers.Serializer):
    """What to train: horizon, optional backtest, scope (ids; a location means its subtree), engine overrides."""

    horizon = serializers.IntegerField(min_value=1, max_value=MAX_HORIZON, default=28)
    backtest_folds = serializers.IntegerField(min_value=0, max_value=MAX_BACKTEST_FOLDS, default=0)
    location = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list,
                                     help_text="Location ids; each includes its whole subtree.")
    product = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)
    category = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list,
                                     help_text="Category ids; each includes its sub-categories.")
    parameters = serializers.DictField(required=False, default=dict,
                                       help_text="Engine overrides, e.g. {\"num_leaves\": 31}.")
    forecast_scope = serializers.CharField(required=False, allow_blank=True, default="",
                                           help_text="A configured forecast scope (name or id); then leave "
                                                     "location, product and category empty.")


class ForecastSerializer(serializers.ModelSerializer):
    location_code = serializers.CharField(source="location.code", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)

    class Meta:
        model = Forecast
        fields = ["id", "run", "location", "location_code", "product", "sku", "date", "yhat", "p10", "p50", "p90"]
        read_only_fields = fields
        list_serializer_class = CompiledListSerializer  # the forecasts page (core/api/fast_lists.py)


class AccuracyQuerySerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=AccuracyGroupBy.choices, default=AccuracyGroupBy.RUN)


class AccuracyGroupSerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=AccuracyGroupBy.choices)
    key = serializers.IntegerField(
        allow_null=True,
        help_text="Run, location, product or forecast scope id, or the horizon day; null: runs without a scope.",
    )
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="Scored forecast points.")
    wape = serializers.FloatField(allow_null=True, help_text="Σ|error| / Σ|actual|.")
    mae = serializers.FloatField(allow_null=True)
    bias = serializers.FloatField(allow_null=True, help_text="Σ(forecast − actual) / Σ|actual|; > 0 over-forecasts.")
    coverage = serializers.FloatField(allow_null=True, help_text="Share of actuals inside [p10, p90].")
    actual = serializers.FloatField(help_text="Σ actual.")
    forecast = serializers.FloatField(help_text="Σ forecast.")


class ChartQuerySerializer(serializers.Serializer):
    location = serializers.IntegerField(min_value=1, help_text="Location id.")
    product = serializers.IntegerField(min_value=1, help_text="Product id.")
    run = serializers.CharField(required=False, allow_blank=True,
                                help_text="Run id or 'latest' (default: newest succeeded run with this pair).")
    history_days = serializers.IntegerField(min_value=1, max_value=3 * 366, required=False,
                                            help_text="Days of history before the forecast (default 84).")


class ChartPointSerializer(serializers.Serializer):
    date = serializers.DateField()
    actual = serializers.FloatField(allow_null=True)


class ChartForecastPointSerializer(serializers.Serializer):
    date = serializers.DateField()
    yhat = serializers.FloatField()
    p10 = serializers.FloatField()
    p50 = serializers.FloatField()
    p90 = serializers.FloatField()


class ChartLocationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class ChartProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()


class ChartRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    frequency = serializers.CharField()
    finished_at = serializers.DateTimeField(allow_null=True)
    method = serializers.CharField(help_text="How this series was forecast (lightgbm, a baseline, cold_start, zero).")
    reason = serializers.CharField(allow_blank=True, help_text="Why not by the model; empty when it was trusted.")


class ChartSerializer(serializers.Serializer):
    location = ChartLocationSerializer()
    product = ChartProductSerializer()
    run = ChartRunSerializer(allow_null=True)
    missing_day_policy = serializers.CharField()
    history = ChartPointSerializer(many=True)
    forecast = ChartForecastPointSerializer(many=True)
    actuals = ChartPointSerializer(many=True)



class ForecastScopeSerializer(serializers.ModelSerializer):
    """A forecast scope: location subtree root × category subtree root (null = all), and its forecast of record."""

    location_code = serializers.CharField(source="location.code", read_only=True, allow_null=True, default=None)
    category_code = serializers.CharField(source="category.code", read_only=True, allow_null=True, default=None)
    record_run = serializers.SerializerMethodField(help_text="Its forecast of record: the newest succeeded run.")
    active_run = serializers.SerializerMethodField(help_text="Its queued or running run, if any.")

    class Meta:
        model = ForecastScope
        fields = ["id", "name", "location", "location_code", "category", "category_code", "active", "note",
                  "record_run", "active_run", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        # Uniqueness and overlap are the service's checks (400 naming the field), not the serializer's.
        extra_kwargs = {"name": {"validators": []}}

    def get_record_run(self, scope: ForecastScope) -> int | None:
        return getattr(scope, "record", None)

    def get_active_run(self, scope: ForecastScope) -> int | None:
        return getattr(scope, "active_run_id", None)


class ScopeRunSerializer(serializers.Serializer):
    """How to run a scope now (the scope itself decides what is read)."""

    horizon = serializers.IntegerField(min_value=1, max_value=MAX_HORIZON, default=28)
    backtest_folds = serializers.IntegerField(min_value=0, max_value=MAX_BACKTEST_FOLDS, default=0)
    parameters = serializers.DictField(required=False, default=dict)


class ForecastBatchSerializer(serializers.ModelSerializer):
    """A nightly fan-out: one run per scope, rolled up (``outcome``: scope name → run, status, error)."""

    class Meta:
        model = ForecastBatch
        fields = ["id", "status", "stage", "trigger", "horizon", "scopes_total", "scopes_succeeded", "scopes_failed",
                  "progress_done", "progress_total", "outcome", "error", "task_id", "created_at", "started_at",
                  "finished_at"]
        read_only_fields = fields


class ForecastBatchCreateSerializer(serializers.Serializer):
    horizon = serializers.IntegerField(min_value=1, max_value=MAX_HORIZON, default=28)
