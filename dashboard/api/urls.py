from django.urls import path

from dashboard.api import views

urlpatterns = [
    path("dashboard/overview/", views.OverviewView.as_view(), name="dashboard-overview"),
    path("dashboard/stats/", views.StatsView.as_view(), name="dashboard-stats"),
    path("dashboard/analytics/", views.AnalyticsView.as_view(), name="dashboard-analytics"),
    path("dashboard/production/", views.ProductionView.as_view(), name="dashboard-production"),
]
