"""Planning routes under /api/v1/: planning/, warehouse/, purchasing/ and ppic/.

Every route answers with and without a trailing slash (the issue names them without one; the rest of the
API uses one), so neither form redirects or 404s.
"""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from planning.api import views
from planning.api.replay import ReplayRunViewSet


class OptionalSlashRouter(SimpleRouter):
    """A SimpleRouter whose routes match with or without the trailing slash."""

    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = "/?"


router = OptionalSlashRouter()
router.register("planning/settings", views.PlanningSettingsViewSet, basename="planning-settings")
router.register("planning/proposals", views.OrderProposalViewSet, basename="order-proposal")
router.register("planning/proposal-runs", views.ProposalRunViewSet, basename="proposal-run")
router.register("planning/replays", ReplayRunViewSet, basename="replay-run")
router.register("warehouse/stock", views.StockBalanceViewSet, basename="stock-balance")
router.register("warehouse/movements", views.StockMovementViewSet, basename="stock-movement")
router.register("warehouse/bom", views.BomViewSet, basename="bom")
router.register("purchasing/orders", views.PurchaseOrderViewSet, basename="purchase-order")
router.register("purchasing/receipts", views.PurchaseReceiptViewSet, basename="purchase-receipt")
router.register("purchasing/suppliers", views.SupplierViewSet, basename="supplier")
router.register("ppic/tasks", views.ProductionTaskViewSet, basename="production-task")
router.register("ppic/kanban", views.KanbanViewSet, basename="kanban")

urlpatterns = [
    re_path(r"^planning/core/proposal/?$", views.ProposalCalculationView.as_view(), name="planning-core-proposal"),
    re_path(r"^planning/core/health/?$", views.PlanningHealthView.as_view(), name="planning-core-health"),
    *router.urls,
]
