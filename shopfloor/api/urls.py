"""Shop-floor routes under /api/v1/: embroidery/ and barcode/ (with or without the trailing slash)."""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from shopfloor.api import views


class OptionalSlashRouter(SimpleRouter):
    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = "/?"


router = OptionalSlashRouter()
router.register("embroidery/designs", views.EmbroideryDesignViewSet, basename="embroidery-design")
router.register("embroidery/steps", views.EmbroideryStepViewSet, basename="embroidery-step")
router.register("embroidery/jobs", views.EmbroideryJobViewSet, basename="embroidery-job")
router.register("barcode/scans", views.ScanEventViewSet, basename="scan-event")

urlpatterns = [
    re_path(r"^barcode/labels/?$", views.LabelView.as_view(), name="barcode-label"),
    re_path(r"^barcode/labels/sheet/?$", views.LabelSheetView.as_view(), name="barcode-label-sheet"),
    re_path(r"^barcode/scan/?$", views.ScanView.as_view(), name="barcode-scan"),
    re_path(r"^barcode/scan/action/?$", views.ScanActionView.as_view(), name="barcode-scan-action"),
    *router.urls,
]
