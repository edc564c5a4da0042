"""Every admin page of a seeded database answers without a server error, and the model run page opens."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _pages(request_factory_user) -> list[tuple[str, str]]:
    pages = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        base = f"admin:{opts.app_label}_{opts.model_name}"
        pages.append(("changelist", reverse(f"{base}_changelist")))
        pages.append(("add", reverse(f"{base}_add")))
        obj = model_admin.get_queryset(_Request(request_factory_user)).order_by("pk").first()
        if obj is not None:
            pages.append(("change", reverse(f"{base}_change", args=[obj.pk])))
            pages.append(("delete", reverse(f"{base}_delete", args=[obj.pk])))
            pages.append(("history", reverse(f"{base}_history", args=[obj.pk])))
    return pages


class _Request:
    """Just enough of a request for ModelAdmin.get_queryset."""

    def __init__(self, user) -> None:
        self.user = user
        self.GET = {}


def test_every_admin_page_answers_without_a_server_error(morning, admin_client, admin_user):
    failures = []
    pages = _pages(admin_user)
    assert len(pages) > 100
    for kind, url in pages:
        response = admin_client.get(url)
        # 403 = "not allowed here" (adding a run by hand), 302 = a redirect the admin chose: never 500.
        if response.status_code not in (200, 302, 403):
            failures.append(f"{kind} {url}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_every_changelist_and_change_page_opens_for_a_planner(morning, planner_client, planner):
    for kind, url in _pages(planner):
        if kind in ("changelist", "change"):
            response = planner_client.get(url)
            assert response.status_code in (200, 302, 403), f"{kind} {url}: {response.status_code}"


def test_the_model_run_page_opens_and_offers_the_model_to_admins_only(morning, admin_client, client, planner):
    url = reverse("admin:forecasting_modelrun_change", args=[morning.run.pk])
    download = reverse("admin:forecasting_modelrun_download", args=[morning.run.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert download in response.content.decode()
    file = admin_client.get(download)
    assert file.status_code == 200
    assert file["Content-Disposition"].startswith("attachment")
    assert b"".join(file.streaming_content) == b"not a model, just bytes"

    client.force_login(planner)
    page = client.get(url)
    assert page.status_code == 200
    assert download not in page.content.decode()
    assert morning.run.model_file.name in page.content.decode()
    assert client.get(download).status_code == 403


def test_a_run_without_a_model_file_has_no_download(morning, admin_client):
    from forecasting.models import ModelRun

    run = ModelRun.objects.create(status="failed")
    assert admin_client.get(reverse("admin:forecasting_modelrun_change", args=[run.pk])).status_code == 200
    assert admin_client.get(reverse("admin:forecasting_modelrun_download", args=[run.pk])).status_code == 404


def test_workbench_pages_answer_on_an_empty_database(admin_client):
    for name in ("admin:index", "workbench:tables", "workbench:queue", "workbench:kanban"):
        assert admin_client.get(reverse(name)).status_code == 200, name
