"""Root URLs: admin, /health, and the versioned API where each app mounts its own `api/urls.py`."""

from django.contrib import admin
from django.urls import include, path

from core.api.views import PublicHealthView
from core.metrics import metrics_view

admin.site.site_header = "salesforecast"
admin.site.site_title = "salesforecast admin"
admin.site.index_title = "Operations"

api_v1 = [
    path("", include("core.api.urls")),
    path("", include("branches.api.urls")),
    path("", include("integrations.api.urls")),
    path("", include("sales.api.urls")),
    path("", include("forecasting.api.urls")),
    path("", include("planning.api.urls")),
    path("", include("quality.api.urls")),
    path("", include("monitoring.api.urls")),
    path("", include("shopfloor.api.urls")),
    path("", include("dashboard.api.urls")),
]

urlpatterns = [
    path("health", PublicHealthView.as_view(), name="health"),
    path("metrics", metrics_view, name="metrics"),
    # The planner's workbench first: its home answers /admin/ (the table list moves to /admin/tables/).
    path("admin/", include("workbench.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api-auth/", include("rest_framework.urls")),
    path("", include("legacy.urls")),  # deprecated aliases in the old ERP's paths and shapes
    # The language switch of the workbench screens (POST /i18n/setlang/).
    path("i18n/", include("django.conf.urls.i18n")),
]

handler404 = "core.api.exceptions.json_404"
handler500 = "core.api.exceptions.json_500"
