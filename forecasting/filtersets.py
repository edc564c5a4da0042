"""API filters of forecasting. A location filter always means its whole subtree, a category its sub-categories."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from rest_framework.exceptions import ValidationError

from branches.models import Location
from forecasting.choices import RunKind, RunStatus
from forecasting.models import Forecast, ForecastAccuracyLog, ModelRun
from forecasting.services.scope import ForecastScope
from sales.models import Product, ProductCategory


class SeriesFilterSet(django_filters.FilterSet):
    """Filters shared by forecasts and accuracy rows: location subtree, product, category subtree, dates."""

    location = django_filters.ModelChoiceFilter(
        queryset=Location.objects.all(), method="filter_location", label="Location id (its whole subtree)"
    )
    product = django_filters.ModelChoiceFilter(queryset=Product.objects.all(), label="Product id")
    sku = django_filters.CharFilter(field_name="product__sku", label="Product SKU (exact)")
    category = django_filters.ModelChoiceFilter(
        queryset=ProductCategory.objects.all(), method="filter_category", label="Category id (with sub-categories)"
    )
    date = django_filters.DateFromToRangeFilter(label="Forecast date range (date_after, date_before)")

    def filter_location(self, queryset: QuerySet, name: str, value: Location) -> QuerySet:
        return queryset.filter(ForecastScope(locations=(value.pk,)).series_q())

    def filter_category(self, queryset: QuerySet, name: str, value: ProductCategory) -> QuerySet:
        return queryset.filter(ForecastScope(categories=(value.pk,)).series_q())


class ForecastFilterSet(SeriesFilterSet):
    run = django_filters.CharFilter(
        method="filter_run", label="Run id, or 'latest' (the default: each series' forecast of record)"
    )

    class Meta:
        model = Forecast
        fields = ["run", "location", "product", "sku", "category", "date"]

    def filter_run(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value.lower() == "latest":
            return queryset  # the view narrows to the latest run after every other filter
        if not value.isdigit():
            raise ValidationError({"run": [gettext("Expected a run id or 'latest', got %(value)r.") % {
                                               "value": value,
                                           }]})
        if not ModelRun.objects.filter(pk=int(value)).exists():
            raise ValidationError({"run": [gettext("No forecast run with id %(value)s.") % {"value": value}]})
        return queryset.filter(run_id=int(value))


def _filter_forecast_scope(queryset: QuerySet, prefix: str, value: str) -> QuerySet:
    from forecasting.services.errors import InvalidParameter
    from forecasting.services.scopes import resolve_scope_unit

    try:
        unit = resolve_scope_unit(value)
    except InvalidParameter as exc:
        raise ValidationError({"forecast_scope": [exc.message]}) from None
    if unit is None:
        return queryset.filter(**{f"{prefix}forecast_scope__isnull": True})
    return queryset.filter(**{f"{prefix}forecast_scope": unit})


class AccuracyFilterSet(SeriesFilterSet):
    run = django_filters.ModelChoiceFilter(queryset=ModelRun.objects.all(), label="Run id")
    forecast_scope = django_filters.CharFilter(
        method="filter_forecast_scope", label="Runs of this forecast scope (name or id; 'everything' = no scope)"
    )

    class Meta:
        model = ForecastAccuracyLog
        fields = ["run", "forecast_scope", "location", "product", "sku", "category", "date"]

    def filter_forecast_scope(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _filter_forecast_scope(queryset, "run__", value)


class ModelRunFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=RunStatus.choices)
    kind = django_filters.ChoiceFilter(choices=RunKind.choices)
    created = django_filters.DateFromToRangeFilter(field_name="created_at", label="Created (created_after/_before)")
    has_forecasts = django_filters.BooleanFilter(method="filter_has_forecasts", label="Has forecasts")
    forecast_scope = django_filters.CharFilter(
        method="filter_forecast_scope", label="Forecast scope (name or id; 'everything' = runs without a scope)"
    )

    class Meta:
        model = ModelRun
        fields = ["status", "kind", "algorithm", "created", "has_forecasts", "forecast_scope"]

    def filter_forecast_scope(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _filter_forecast_scope(queryset, "", value)

    def filter_has_forecasts(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(forecast_count__gt=0) if value else queryset.filter(Q(forecast_count=0))
