from rest_framework.routers import SimpleRouter

from webhooks.api.views import WebhookDeliveryViewSet, WebhookEndpointViewSet

router = SimpleRouter()
router.register("webhooks/endpoints", WebhookEndpointViewSet, basename="webhookendpoint")
router.register("webhooks/deliveries", WebhookDeliveryViewSet, basename="webhookdelivery")

urlpatterns = router.urls
