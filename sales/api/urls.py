from django.urls import path
from rest_framework.routers import SimpleRouter

from sales.api import views

router = SimpleRouter()
router.register("products", views.ProductViewSet, basename="product")
router.register("product-categories", views.ProductCategoryViewSet, basename="productcategory")
router.register("daily-sales", views.DailySaleViewSet, basename="dailysale")
router.register("stock-levels", views.StockLevelViewSet, basename="stocklevel")
router.register("orders", views.OrderViewSet, basename="order")
router.register("customers", views.CustomerViewSet, basename="customer")
router.register("demand-drivers", views.DemandDriverViewSet, basename="demanddriver")
router.register("import-export/jobs", views.ImportJobViewSet, basename="importjob")

urlpatterns = [
    path("import-export/validate/", views.ImportValidateView.as_view(), name="import-validate"),
    path("import-export/upload/", views.ImportUploadView.as_view(), name="import-upload"),
    path("import-export/templates/<str:kind>/", views.ImportTemplateView.as_view(), name="import-template"),
    path("import-export/export/<str:kind>/", views.ExportView.as_view(), name="export"),
    path("analytics/summary/", views.SummaryView.as_view(), name="analytics-summary"),
    path("analytics/timeseries/", views.TimeseriesView.as_view(), name="analytics-timeseries"),
    path("analytics/top-products/", views.TopProductsView.as_view(), name="analytics-top-products"),
    path("analytics/product-performance/<str:product>/", views.ProductPerformanceView.as_view(),
         name="analytics-product-performance"),
    *router.urls,
]
