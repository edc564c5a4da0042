import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from integrations.errors import ConfigurationError
from integrations.models import IntegrationAccount
from integrations.services.credentials import (
    get_credentials,
    require_credentials,
    rotate_credentials,
    set_credentials,
    update_credentials,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    return IntegrationAccount.objects.create(name="iiko A", kind="iiko", base_url="https://a.example")


def test_round_trip_encrypted_at_rest(account):
    set_credentials(account, {"login": "api", "password": "pa55-word-xyz"})
    account.refresh_from_db()
    assert "pa55-word-xyz" not in account.credentials_encrypted
    assert get_credentials(account) == {"login": "api", "password": "pa55-word-xyz"}
    update_credentials(account, {"password": "new-one-123", "login": ""})
    assert get_credentials(account) == {"login": "api", "password": "new-one-123"}


def test_rotation_first_key_encrypts_all_decrypt(account, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CREDENTIALS_KEYS = [old]
    set_credentials(account, {"api_key": "k-123456"})
    settings.CREDENTIALS_KEYS = [new, old]
    assert get_credentials(account) == {"api_key": "k-123456"}
    assert rotate_credentials() == 1
    out = io.StringIO()
    call_command("rotate_credentials", stdout=out)  # already on the first key: nothing to do
    assert "0 account(s)" in out.getvalue()
    settings.CREDENTIALS_KEYS = [new]
    account.refresh_from_db()
    assert get_credentials(account) == {"api_key": "k-123456"}


def test_missing_key_is_a_clear_configuration_error(account, settings):
    settings.CREDENTIALS_KEYS = []
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured, match="CREDENTIALS_KEYS is not set"):
        set_credentials(account, {"api_key": "x"})


def test_undecryptable_value_names_the_account(account, settings):
    set_credentials(account, {"api_key": "x"})
    settings.CREDENTIALS_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ConfigurationError, match="iiko A: the stored credentials cannot be decrypted"):
        get_credentials(account)


def test_require_credentials_names_missing_ones(account):
    set_credentials(account, {"login": "api"})
    with pytest.raises(ConfigurationError, match="iiko A: credentials password are not set"):
        require_credentials(account, "login", "password")
