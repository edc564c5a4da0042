"""Webhook endpoints and their delivery log, for admins (the `admin` role holds the webhooks permissions)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from webhooks import services
from webhooks.api.serializers import WebhookDeliverySerializer, WebhookEndpointSerializer
from webhooks.models import WebhookDelivery, WebhookEndpoint


@extend_schema(tags=["webhooks"])
class WebhookEndpointViewSet(viewsets.ModelViewSet):
    """HTTPS endpoints that receive signed JSON events. `secret` is write-only."""

    queryset = WebhookEndpoint.objects.order_by("name")
    serializer_class = WebhookEndpointSerializer
    filterset_fields = ["is_active"]
    search_fields = ["name", "url"]
    ordering_fields = ["name", "created_at"]

    def perform_create(self, serializer):
        serializer.instance = services.create_endpoint(**serializer.validated_data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        secret = data.pop("secret", None)
        serializer.instance = services.update_endpoint(serializer.instance, secret=secret, **data)

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def ping(self, request, pk=None):
        """Sends a `webhook.ping` event to this endpoint now (in the worker); answers the delivery row."""
        delivery = services.send_test_event(self.get_object())
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["webhooks"])
class WebhookDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The delivery log: one row per event and endpoint, with every attempt's outcome."""

    queryset = WebhookDelivery.objects.select_related("endpoint")
    serializer_class = WebhookDeliverySerializer
    filterset_fields = ["status", "event", "endpoint"]
    ordering_fields = ["created_at", "next_attempt_at"]

    @property
    def required_permissions(self):
        if getattr(self, "action", None) == "retry":
            return {"POST": ["webhooks.view_webhookdelivery", "webhooks.change_webhookdelivery"]}
        return None

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Sends this delivery again now, even after the retries gave up."""
        delivery = services.retry_now(self.get_object())
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
