from django.urls import path
from rest_framework.routers import SimpleRouter

from integrations.api.views import IntegrationAccountViewSet, IntegrationStatusView, SyncRunViewSet

router = SimpleRouter()
router.register("integrations/accounts", IntegrationAccountViewSet, basename="integrationaccount")
router.register("integrations/runs", SyncRunViewSet, basename="syncrun")

urlpatterns = [
    path("integrations/status/", IntegrationStatusView.as_view(), name="integration-status"),
    *router.urls,
]
