from django.utils.translation import gettext
from rest_framework import serializers

from webhooks.choices import Event
from webhooks.models import WebhookDelivery, WebhookEndpoint


class WebhookEndpointSerializer(serializers.ModelSerializer):
    """`secret` is write-only: required on create, optional on update (empty keeps the stored one)."""

    secret = serializers.CharField(write_only=True, required=False, allow_blank=True, trim_whitespace=False,
                                   style={"input_type": "password"},
                                   help_text="HMAC-SHA256 signing secret (at least 16 characters); never returned.")
    events = serializers.ListField(child=serializers.ChoiceField(choices=Event.choices), required=False,
                                   help_text="Event names to receive; empty = every event.")
    url = serializers.CharField(max_length=500, help_text="https:// URL receiving a signed POST per event.")
    has_secret = serializers.BooleanField(read_only=True)

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "name", "url", "events", "is_active", "secret", "has_secret", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs):
        if self.instance is None and not attrs.get("secret"):
            raise serializers.ValidationError({"secret": [gettext("A signing secret is required for a new "
                                                                  "endpoint.")]})
        return attrs


class WebhookDeliverySerializer(serializers.ModelSerializer):
    endpoint_name = serializers.CharField(source="endpoint.name", read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = ["id", "endpoint", "endpoint_name", "event", "event_id", "payload", "status", "attempts",
                  "next_attempt_at", "last_attempt_at", "response_status", "response_excerpt", "error",
                  "created_at", "delivered_at"]
        read_only_fields = fields
