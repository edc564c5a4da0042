"""Quality routes under /api/v1/: finishgoods/ (inspections, defect codes, inventory) and quality/ (the lab)."""

from rest_framework.routers import SimpleRouter

from quality.api import views


class OptionalSlashRouter(SimpleRouter):
    """Routes that match with or without the trailing slash (as planning's)."""

    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = "/?"


router = OptionalSlashRouter()
router.register("finishgoods/inspections", views.InspectionViewSet, basename="fg-inspection")
router.register("finishgoods/defect-codes", views.DefectCodeViewSet, basename="fg-defect-code")
router.register("finishgoods/inventory", views.InventoryViewSet, basename="fg-inventory")
router.register("quality/methods", views.TestMethodViewSet, basename="quality-method")
router.register("quality/specifications", views.SpecificationViewSet, basename="quality-specification")
router.register("quality/tests", views.LabTestViewSet, basename="quality-test")
router.register("quality/lots", views.LotViewSet, basename="quality-lot")
router.register("quality/decisions", views.LotDecisionViewSet, basename="quality-decision")

urlpatterns = router.urls
