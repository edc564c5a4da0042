"""Every admin page and workbench screen answers without a server error on the demo data set (small size)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from sales.models import Product
from tests.workbench.test_admin_pages import _pages

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_every_page_of_the_demo_answers(settings, tmp_path, client):
    settings.ARTIFACTS_ROOT = tmp_path / "artifacts"
    call_command("demo", size="small", source="direct", stdout=io.StringIO())
    admin = get_user_model().objects.get(username="admin")
    client.force_login(admin)
    pages = _pages(admin) + [("screen", reverse(name)) for name in (
        "admin:index", "workbench:queue", "workbench:kanban", "workbench:accounts", "workbench:preferences")]
    pages += [("product", reverse("workbench:product", args=[pk]))
              for pk in Product.objects.order_by("pk").values_list("pk", flat=True)[:20]]
    failures = [f"{kind} {url}: {status}" for kind, url in pages
                if (status := client.get(url).status_code) not in (200, 302, 403)]
    assert not failures, "\n".join(failures)
    home = client.get(reverse("admin:index")).context["summary"]
    assert home.proposals_waiting > 0 and sum(n for _s, _l, n in home.tasks_by_status) > 0
    assert len(home.open_alerts) >= 1
