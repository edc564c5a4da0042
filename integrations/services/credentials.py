"""Secrets of integration accounts, encrypted at rest with Fernet keys from `settings.CREDENTIALS_KEYS`.

The first key encrypts, every key decrypts (MultiFernet), so keys rotate by putting a new key first and
running `rotate_credentials()` (or `manage.py rotate_credentials`), then dropping the old key.
The plain dict only ever lives in memory: never in a form, a response or a log line.
"""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

from integrations.errors import ConfigurationError
from integrations.models import IntegrationAccount


def _fernet() -> MultiFernet:
    return MultiFernet(_fernets())


def _fernets() -> list[Fernet]:
    keys = [k for k in getattr(settings, "CREDENTIALS_KEYS", []) if k]
    if not keys and settings.DEBUG:
        # Developer laptops only: a key derived from SECRET_KEY, so `runserver` works without setup.
        keys = [base64.urlsafe_b64encode(hashlib.sha256(("credentials:" + settings.SECRET_KEY).encode()).digest())]
    if not keys:
        raise ImproperlyConfigured(
            "CREDENTIALS_KEYS is not set, so integration credentials cannot be stored or read. Set CREDENTIALS_KEYS "
            "to one or more Fernet keys (comma-separated; generate one with "
            "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`)."
        )
    try:
        return [Fernet(k) for k in keys]
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "CREDENTIALS_KEYS holds a value that is not a Fernet key (32 url-safe base64-encoded bytes)."
        ) from exc


def encrypt_credentials(secrets: dict[str, str]) -> str:
    return _fernet().encrypt(json.dumps(secrets, sort_keys=True).encode()).decode()


def set_credentials(account: IntegrationAccount, secrets: dict[str, str], *, save: bool = True) -> None:
    """Replace the account's secrets; empty values are dropped (an empty dict clears them)."""
    cleaned = {str(k): str(v) for k, v in secrets.items() if v not in (None, "")}
    account.credentials_encrypted = encrypt_credentials(cleaned) if cleaned else ""
    if save and account.pk:
        IntegrationAccount.objects.filter(pk=account.pk).update(credentials_encrypted=account.credentials_encrypted)


def update_credentials(account: IntegrationAccount, changes: dict[str, str], *, save: bool = True) -> None:
    """Merge: keys with a non-empty value are replaced, others kept (how write-only forms behave)."""
    current = get_credentials(account) if account.credentials_encrypted else {}
    current.update({k: v for k, v in changes.items() if v not in (None, "")})
    set_credentials(account, current, save=save)


def get_credentials(account: IntegrationAccount) -> dict[str, str]:
    if not account.credentials_encrypted:
        return {}
    try:
        return json.loads(_fernet().decrypt(account.credentials_encrypted.encode()))
    except InvalidToken:
        raise ConfigurationError(
            gettext("the stored credentials cannot be decrypted with any key in CREDENTIALS_KEYS (was a key "
                    "removed?); enter them again or restore the old key"), account=account.name,
        ) from None


def require_credentials(account: IntegrationAccount, *names: str) -> dict[str, str]:
    """The secrets a connector needs, or a ConfigurationError naming the missing ones."""
    secrets = get_credentials(account)
    missing = [n for n in names if not secrets.get(n)]
    if missing:
        raise ConfigurationError(gettext("credentials %(missing)s are not set") % {
                                     "missing": ', '.join(missing),
                                 }, account=account.name)
    return secrets


def secret_values(account: IntegrationAccount) -> list[str]:
    """Every stored secret value, for redaction of error texts."""
    try:
        return [v for v in get_credentials(account).values() if v]
    except ConfigurationError:
        return []


def rotate_credentials() -> int:
    """Re-encrypt with the first key every account's secrets that another key encrypted. Returns how many."""
    fernets = _fernets()
    every_key, first_key = MultiFernet(fernets), fernets[0]
    count = 0
    for account in IntegrationAccount.objects.exclude(credentials_encrypted="").only("pk", "credentials_encrypted"):
        token = account.credentials_encrypted.encode()
        try:
            first_key.decrypt(token)
            continue  # already on the first key
        except InvalidToken:
            pass
        rotated = every_key.rotate(token).decode()
        IntegrationAccount.objects.filter(pk=account.pk).update(credentials_encrypted=rotated)
        count += 1
    return count
