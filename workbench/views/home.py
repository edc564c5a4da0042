"""The home screen: what needs the planner now, each figure a link to the list behind it."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from workbench.services.home import home_summary
from workbench.views.common import admin_context


def home(request: HttpRequest) -> HttpResponse:
    summary = home_summary()
    return TemplateResponse(request, "workbench/home.html", admin_context(request, "Today", summary=summary))


def tables(request: HttpRequest) -> HttpResponse:
    """Django's own index (every table), one click from home."""
    return admin.site.index(request)
