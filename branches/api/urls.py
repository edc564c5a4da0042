from rest_framework.routers import SimpleRouter

from branches.api.views import LocationViewSet

router = SimpleRouter()
router.register("branches", LocationViewSet, basename="location")

urlpatterns = router.urls
