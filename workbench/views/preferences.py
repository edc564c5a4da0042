"""My preferences: the language, time zone and home location the screens and exports use for me."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Location
from workbench.middleware import forget_preferences
from workbench.models import PlannerProfile
from workbench.views.common import admin_context

COMMON_ZONES = ["Asia/Almaty", "Asia/Aqtobe", "Asia/Tashkent", "Europe/Istanbul", "Europe/Moscow", "UTC"]


class PreferencesForm(forms.ModelForm):
    time_zone = forms.CharField(
        label=gettext_lazy("time zone"), required=False, max_length=64,
        widget=forms.TextInput(attrs={"list": "wb-zones"}),
        help_text=gettext_lazy("Empty: your home location's time zone, else the site's. For example Asia/Almaty or "
                               "Europe/Istanbul."),
    )

    class Meta:
        model = PlannerProfile
        fields = ["language", "time_zone", "home_location"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_location"].queryset = Location.objects.active().order_by("tree_path")


def preferences(request: HttpRequest) -> HttpResponse:
    profile = PlannerProfile.objects.filter(user=request.user).first() or PlannerProfile(user=request.user)
    form = PreferencesForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        forget_preferences(request)
        messages.success(request, _("Preferences saved."))
        return HttpResponseRedirect(request.path)
    context = {
        "form": form, "zones": COMMON_ZONES,
        **admin_context(request, _("My preferences")),
    }
    return TemplateResponse(request, "workbench/preferences.html", context)
