"""Root URLs: admin, /health, and the versioned API where each app mounts its own `api/urls.py`."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.api.views import PublicHealthView
from core.login_forms import GuardedAdminAuthenticationForm, GuardedAuthenticationForm
from core.metrics import metrics_view

admin.site.site_header = "salesforecast"
admin.site.site_title = "salesforecast admin"
admin.site.index_title = "Operations"
# Every login door shares the failed-login policy of the JWT login (salesforecast/login_guard.py).
admin.site.login_form = GuardedAdminAuthenticationForm

# rest_framework.urls with the guarded form; the namespace stays "rest_framework" for the browsable API's links.
api_auth = ([
    path("login/", auth_views.LoginView.as_view(template_name="rest_framework/login.html",
                                                authentication_form=GuardedAuthenticationForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
], "rest_framework")

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
    path("", include("webhooks.api.urls")),
]

urlpatterns = [
    path("health", PublicHealthView.as_view(), name="health"),
    path("metrics", metrics_view, name="metrics"),
    # The planner's workbench first: its home answers /admin/ (the table list moves to /admin/tables/).
    path("admin/", include("workbench.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api-auth/", include(api_auth)),
    path("", include("legacy.urls")),  # deprecated aliases in the old ERP's paths and shapes
    # The language switch of the workbench screens (POST /i18n/setlang/).
    path("i18n/", include("django.conf.urls.i18n")),
]

handler400 = "core.api.exceptions.json_400"
handler404 = "core.api.exceptions.json_404"
handler500 = "core.api.exceptions.json_500"
