"""Failure mails: one per failure streak of an account's stream, one on recovery, after the commit."""

from __future__ import annotations

import pytest
from django.core import mail

from demo.fakes import SentosFake
from integrations.services.credentials import set_credentials
from integrations.services.notifications import FAILURE_SENT, RECOVERY_SENT

pytestmark = pytest.mark.django_db
GOOD = {"api_key": "test-sentos-api-key", "api_secret": "test-sentos-api-secret-not-a-secret"}
BAD = {"api_key": "test-sentos-api-key", "api_secret": "wrong-secret-000"}


@pytest.fixture
def failing_account(account_for, dataset, settings):
    settings.ADMINS = [("Ops lead", "lead@example.com")]
    settings.SITE_URL = "https://sf.example.com"
    return account_for("sentos", SentosFake(dataset), name="Sentos TR", secrets=BAD,
                       notification_emails="shop@example.com; ops@example.com")


def test_one_mail_per_failure_streak_and_one_on_recovery(failing_account, sync, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = sync(failing_account, "orders")
    assert first.status == "failed" and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[salesforecast] Sync failed: Sentos TR — orders"
    assert set(message.to) == {"shop@example.com", "ops@example.com", "lead@example.com"}
    assert "Sentos TR" in message.body and "'orders'" in message.body and "401" in message.body
    assert f"https://sf.example.com/admin/integrations/syncrun/{first.pk}/change/" in message.body
    assert "wrong-secret-000" not in message.body
    first.refresh_from_db()
    assert first.details["notification"] == FAILURE_SENT

    with django_capture_on_commit_callbacks(execute=True):
        assert sync(failing_account, "orders").status == "failed"
        assert sync(failing_account, "orders", "incremental").status == "failed"
    assert len(mail.outbox) == 1  # the same streak: quiet

    with django_capture_on_commit_callbacks(execute=True):
        assert sync(failing_account, "products").status == "failed"  # another stream: its own streak
    assert len(mail.outbox) == 2 and mail.outbox[1].subject.endswith("— products")

    set_credentials(failing_account, GOOD)
    with django_capture_on_commit_callbacks(execute=True):
        recovered = sync(failing_account, "orders")
    assert recovered.status == "succeeded" and len(mail.outbox) == 3
    assert mail.outbox[2].subject == "[salesforecast] Sync recovered: Sentos TR — orders"
    assert "after 3 failed run(s)" in mail.outbox[2].body
    recovered.refresh_from_db()
    assert recovered.details["notification"] == RECOVERY_SENT

    with django_capture_on_commit_callbacks(execute=True):
        assert sync(failing_account, "orders").status == "succeeded"
        set_credentials(failing_account, BAD)
        assert sync(failing_account, "orders").status == "failed"  # a new streak starts
    assert len(mail.outbox) == 4 and "failed" in mail.outbox[3].subject


def test_no_address_anywhere_sends_nothing(account_for, dataset, sync, settings, django_capture_on_commit_callbacks):
    settings.ADMINS = []
    account = account_for("sentos", SentosFake(dataset), secrets=BAD)
    with django_capture_on_commit_callbacks(execute=True):
        run = sync(account, "orders")
    assert run.status == "failed" and mail.outbox == []
    run.refresh_from_db()
    assert "notification" not in run.details


def test_a_mail_server_that_is_down_never_fails_the_sync(failing_account, sync, settings,
                                                         django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with django_capture_on_commit_callbacks(execute=True):
        run = sync(failing_account, "orders")
    run.refresh_from_db()
    assert run.status == "failed" and "notification" not in run.details
