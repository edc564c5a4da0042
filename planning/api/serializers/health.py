"""Planning API serializers: health."""



from rest_framework import serializers


class HealthForecastRunSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    age_days = serializers.IntegerField(allow_null=True)
    first_day = serializers.DateField(allow_null=True)
    last_day = serializers.DateField(allow_null=True)


class HealthLocationSerializer(serializers.Serializer):
    location = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    last_sales_day = serializers.DateField(allow_null=True)
    sales_age_days = serializers.IntegerField(allow_null=True)
    last_stock_snapshot = serializers.DateTimeField(allow_null=True)
    snapshot_age_days = serializers.IntegerField(allow_null=True)
    last_stock_movement = serializers.DateTimeField(allow_null=True)
    forecast_items = serializers.IntegerField(help_text="Products with a forecast planning would use.")
    forecast_run = serializers.IntegerField(allow_null=True, help_text="Newest run covering the location.")
    forecast_age_days = serializers.IntegerField(allow_null=True)
    warnings = serializers.ListField(child=serializers.CharField())


class HealthCoverageSerializer(serializers.Serializer):
    window_days = serializers.IntegerField()
    window_end = serializers.DateField(allow_null=True)
    active_items = serializers.IntegerField()
    with_forecast = serializers.IntegerField()
    with_settings = serializers.IntegerField()
    with_both = serializers.IntegerField()
    with_forecast_share = serializers.FloatField(allow_null=True)
    with_settings_share = serializers.FloatField(allow_null=True)
    with_both_share = serializers.FloatField(allow_null=True)


class HealthLastProposalRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class HealthProposalsSerializer(serializers.Serializer):
    open = serializers.IntegerField()
    open_with_quantity = serializers.IntegerField()
    last_run = HealthLastProposalRunSerializer(allow_null=True)


class PlanningHealthSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    today = serializers.DateField()
    forecast_run = HealthForecastRunSerializer()
    locations = HealthLocationSerializer(many=True)
    coverage = HealthCoverageSerializer()
    proposals = HealthProposalsSerializer()
    warnings = serializers.ListField(child=serializers.CharField())
