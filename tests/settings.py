"""Settings for the test suite: production-like (DEBUG off) with safe test values.

pytest-django imports this before any conftest runs, so the environment defaults below are in place
when salesforecast.settings reads them. A developer's .env never leaks into tests; DATABASE_URL from
the environment is honoured so the same suite runs on PostgreSQL.
"""

import os

from cryptography.fernet import Fernet

os.environ["ENV_FILE"] = "/nonexistent/.env"
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-" + "x" * 60)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("CREDENTIALS_KEYS", Fernet.generate_key().decode())
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Each test sees fresh answers; tests/core/test_read_cache.py switches the read cache on where it is the subject.
os.environ.setdefault("API_CACHE_SECONDS", "0")
# The upstream fakes listen on 127.0.0.1; tests/integrations/test_account_safety.py switches this off.
os.environ.setdefault("INTEGRATIONS_ALLOW_PRIVATE_HOSTS", "true")
# The webhook receivers are pytest-httpserver on 127.0.0.1; tests/webhooks/test_url_guard.py switches it off.
os.environ.setdefault("WEBHOOKS_ALLOW_PRIVATE_HOSTS", "true")

from salesforecast.settings import *  # noqa: E402,F403

# Fast password hashing: the suite creates many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
ARTIFACTS_ROOT = BASE_DIR / "var" / "test-artifacts"  # noqa: F405
IMPORTS_ROOT = BASE_DIR / "var" / "test-imports"  # noqa: F405
# One process, per-test isolation (conftest clears it): counters must not leak between tests through a table
# that transactional tests do not flush. The database cache itself is tested in tests/core/test_read_cache.py.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
# The suite renders admin and API pages without running collectstatic first; tests/core/test_static_files.py
# collects into a temporary folder and switches the production storage back on.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# An empty STATIC_ROOT of its own, so WhiteNoise finds its directory (a developer's staticfiles/ is not read).
STATIC_ROOT = BASE_DIR / "var" / "test-static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Most tests log admins in with force_login (no second factor); tests/core/test_otp.py switches the production
# default (on) back on for the admin role.
OTP_REQUIRED_FOR_ADMIN_ROLE = False
