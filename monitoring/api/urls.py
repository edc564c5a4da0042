"""Mounted at /api/v1/ by the project; the issue puts monitoring under /api/v1/planning/monitoring/.

Like planning's routes, every route answers with and without the trailing slash (the issue names them without
one, the rest of the API uses one), so neither form redirects — a redirected POST would lose its body.
"""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from monitoring.api import views

PREFIX = "planning/monitoring"


class OptionalSlashRouter(SimpleRouter):
    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = "/?"


router = OptionalSlashRouter()
router.register(f"{PREFIX}/alert-rules", views.AlertRuleViewSet, basename="monitoring-alert-rule")
router.register(f"{PREFIX}/alert-events", views.AlertEventViewSet, basename="monitoring-alert-event")

urlpatterns = [
    re_path(rf"^{PREFIX}/bootstrap/?$", views.BootstrapView.as_view(), name="monitoring-bootstrap"),
    re_path(rf"^{PREFIX}/status/?$", views.StatusView.as_view(), name="monitoring-status"),
    re_path(rf"^{PREFIX}/snapshot/?$", views.SnapshotView.as_view(), name="monitoring-snapshot"),
    re_path(rf"^{PREFIX}/history/?$", views.HistoryView.as_view(), name="monitoring-history"),
    re_path(rf"^{PREFIX}/timeseries/?$", views.TimeseriesView.as_view(), name="monitoring-timeseries"),
    *router.urls,
]
