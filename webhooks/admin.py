"""Webhook endpoints (secret write-only) and the delivery log, with 'send a test event' and 'send again'."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from webhooks import services
from webhooks.choices import Event
from webhooks.models import WebhookDelivery, WebhookEndpoint


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https", help_text="https:// URL receiving a signed POST.")
    secret = forms.CharField(
        required=False, strip=False, label="Signing secret",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Write-only: never shown again. Leave empty to keep the stored secret.")
    events = forms.MultipleChoiceField(choices=Event.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text="None ticked = every event.")

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events", "is_active"]

    def clean(self):
        cleaned = super().clean()
        try:
            services.endpoints.validate_url(cleaned.get("url") or "")
            if cleaned.get("secret"):
                services.endpoints.validate_secret(cleaned["secret"])
            elif not self.instance.pk:
                raise ValidationError({"secret": [gettext("A signing secret is required for a new endpoint.")]})
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                self.add_error(field, errors)
        return cleaned


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["name", "url", "is_active", "event_list", "has_secret", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    actions = ["send_test_event"]

    @admin.display(description="events")
    def event_list(self, obj: WebhookEndpoint) -> str:
        return ", ".join(obj.events) or "every event"

    @admin.display(boolean=True, description="secret stored")
    def has_secret(self, obj: WebhookEndpoint) -> bool:
        return obj.has_secret

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in ("name", "url", "events", "is_active")}
        if change:
            services.update_endpoint(obj, secret=form.cleaned_data.get("secret") or None, **data)
        else:
            created = services.create_endpoint(secret=form.cleaned_data["secret"], **data)
            obj.pk = created.pk
            obj.secret_encrypted = created.secret_encrypted

    @admin.action(description="Send a test event")
    def send_test_event(self, request, queryset):
        for endpoint in queryset:
            services.send_test_event(endpoint)
        self.message_user(request, gettext("Test event queued for %(count)s endpoint(s); see the deliveries.") % {
                                       "count": queryset.count(),
                                   },
                          messages.SUCCESS)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "endpoint", "status", "attempts", "response_status", "next_attempt_at"]
    list_filter = ["status", "event", "endpoint"]
    date_hierarchy = "created_at"
    list_select_related = ["endpoint"]
    actions = ["send_again"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Send again now", permissions=["view"])
    def send_again(self, request, queryset):
        for delivery in queryset:
            services.retry_now(delivery)
        self.message_user(request, gettext("%(count)s delivery(ies) queued again.") % {
                                       "count": queryset.count(),
                                   }, messages.SUCCESS)
