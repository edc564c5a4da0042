"""Admin: secrets are write-only (never rendered), runs are read-only, "sync now" queues a run."""

import pytest
from django.contrib.auth import get_user_model

from integrations.models import IntegrationAccount, SyncRun
from integrations.services.credentials import get_credentials, set_credentials

pytestmark = pytest.mark.django_db

SECRET = "admin-form-secret-123"


@pytest.fixture
def admin_client_(client, roles):
    user = get_user_model().objects.create_user("boss", password="x-Long-Password-1", is_staff=True,
                                                is_superuser=True)
    client.force_login(user)
    return client


def _form(**overrides):
    data = {"name": "iiko Moscow", "kind": "iiko", "base_url": "https://moscow.iiko.it/resto/api", "enabled": "on",
            "timezone": "Europe/Moscow", "options": "{}", "full_sync_enabled": "on", "full_sync_at": "02:00",
            "live_sync_every_minutes": 10, "live_sync_from": "08:00", "live_sync_to": "23:00",
            "secret_login": "api_sync", "secret_password": SECRET, "notification_emails": ""}
    data.update(overrides)
    return data


def test_secrets_stored_encrypted_and_never_rendered(admin_client_):
    response = admin_client_.post("/admin/integrations/integrationaccount/add/", _form())
    assert response.status_code == 302, response.content.decode()[:2000]
    account = IntegrationAccount.objects.get()
    assert get_credentials(account) == {"login": "api_sync", "password": SECRET}
    pages = ("/admin/integrations/integrationaccount/", f"/admin/integrations/integrationaccount/{account.pk}/change/")
    for url in pages:
        page = admin_client_.get(url).content.decode()
        assert SECRET not in page and "api_sync" not in page and account.credentials_encrypted not in page
    change = admin_client_.get(f"/admin/integrations/integrationaccount/{account.pk}/change/").content.decode()
    assert 'type="password"' in change and "Stored; leave empty to keep it." in change
    # Saving with empty secret inputs keeps the stored ones.
    admin_client_.post(f"/admin/integrations/integrationaccount/{account.pk}/change/",
                       _form(secret_login="", secret_password="", name="iiko Moscow 2"))
    account.refresh_from_db()
    assert account.name == "iiko Moscow 2" and get_credentials(account)["password"] == SECRET


def test_secret_of_another_kind_is_refused(admin_client_):
    response = admin_client_.post("/admin/integrations/integrationaccount/add/", _form(secret_api_key="k"))
    assert response.status_code == 200 and "iiko accounts do not use &#x27;api_key&#x27;" in response.content.decode()


def test_sync_now_action_and_read_only_runs(admin_client_):
    account = IntegrationAccount.objects.create(name="1C", kind="onec", base_url="https://1c.example")
    set_credentials(account, {"api_key": SECRET})
    response = admin_client_.post("/admin/integrations/integrationaccount/",
                                  {"action": "sync_org_now", "_selected_action": [account.pk]}, follow=True)
    assert "queued" in response.content.decode()
    run = SyncRun.objects.get()
    assert run.trigger == "admin"
    runs_page = admin_client_.get("/admin/integrations/syncrun/", {"status__exact": "queued"})
    assert runs_page.status_code == 200 and SECRET not in runs_page.content.decode()
    detail = admin_client_.get(f"/admin/integrations/syncrun/{run.pk}/change/").content.decode()
    assert 'name="status"' not in detail  # read-only
    assert admin_client_.get("/admin/integrations/syncrun/add/").status_code == 403
    assert admin_client_.get("/admin/integrations/synccursor/").status_code == 200
