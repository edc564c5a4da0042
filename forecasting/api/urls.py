from django.urls import include, path
from rest_framework.routers import SimpleRouter

from forecasting.api import views

app_name = "forecasting"

router = SimpleRouter()
router.register("forecasting/runs", views.ModelRunViewSet, basename="modelrun")
router.register("forecasting/forecasts", views.ForecastViewSet, basename="forecast")
router.register("forecasting/scopes", views.ForecastScopeViewSet, basename="forecastscope")
router.register("forecasting/batches", views.ForecastBatchViewSet, basename="forecastbatch")

urlpatterns = [
    path("forecasting/accuracy/", views.AccuracyView.as_view(), name="accuracy"),
    path("forecasting/chart/", views.ChartView.as_view(), name="chart"),
    path("", include(router.urls)),
]
