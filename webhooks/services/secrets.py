"""Endpoint secrets encrypted at rest with the same keys as integration credentials (CREDENTIALS_KEYS; first
encrypts, all decrypt). Kept here rather than imported from integrations: this app depends on none of ours."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> MultiFernet:
    keys = [k for k in getattr(settings, "CREDENTIALS_KEYS", []) if k]
    if not keys and settings.DEBUG:
        keys = [base64.urlsafe_b64encode(hashlib.sha256(("credentials:" + settings.SECRET_KEY).encode()).digest())]
    if not keys:
        raise ImproperlyConfigured("CREDENTIALS_KEYS is not set, so webhook secrets cannot be stored or read.")
    return MultiFernet([Fernet(k) for k in keys])


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def decrypt_secret(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode() if token else ""
