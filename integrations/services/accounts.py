"""Rules for creating and changing integration accounts, shared by the API and the admin (one door).

``account_problems(...) -> dict[str, list[str]]`` says what is wrong with a proposed account state:

* `base_url` (and URL options) must be http(s) to an allowed host (integrations/safety.py);
* `options` must fit the kind's schema (integrations/options.py);
* moving an account with stored secrets to another server (scheme, host or port of `base_url` or of a URL
  option) needs the secrets entered again in the same change, unless an admin makes it: otherwise an
  integrator could PATCH the URL to a server of theirs, trigger a sync and read the stored password there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from integrations.models import IntegrationAccount
from integrations.options import URL_OPTIONS, options_problems
from integrations.safety import UnsafeURL, check_url, origin
from integrations.services.credentials import get_credentials


def is_account_admin(user: Any) -> bool:
    """Superusers and the admin role may move an account's secrets to another server."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.groups.filter(name="admin").exists())


def _origins(base_url: str, options: Any) -> set[tuple[str, str, int | None]]:
    found = {origin(base_url)}
    if isinstance(options, dict):
        found |= {origin(options[key]) for key in URL_OPTIONS if isinstance(options.get(key), str) and options[key]}
    return found


def account_problems(
    *,
    kind: str,
    base_url: str,
    options: Any,
    instance: IntegrationAccount | None = None,
    new_secret_names: Iterable[str] = (),
    clearing_secrets: bool = False,
    user: Any = None,
) -> dict[str, list[str]]:
    """Field → messages for a proposed account state ({} when it may be saved)."""
    problems: dict[str, list[str]] = {}
    if base_url:
        try:
            check_url(base_url)
        except UnsafeURL as exc:
            problems.setdefault("base_url", []).append(str(exc))
    for key, message in options_problems(kind, options).items():
        problems.setdefault("options", []).append(f"{key}: {message}")
    if instance is None or not instance.pk or not instance.credentials_encrypted or clearing_secrets:
        return problems
    if _origins(base_url or instance.base_url, options) == _origins(instance.base_url, instance.options):
        return problems
    if is_account_admin(user):
        return problems
    try:
        stored = set(get_credentials(instance))
    except Exception:  # noqa: BLE001 - undecryptable secrets: every one must be entered again anyway
        stored = set()
    missing = sorted(stored - {n for n in new_secret_names})
    if missing or not stored:
        problems.setdefault("base_url", []).append(
            "Moving the account to another server (scheme, host or port) sends its stored secrets there, so "
            f"they must be entered again in the same change: send credentials {', '.join(missing or ['…'])} "
            "(or clear them), or ask an admin to make the change.")
    return problems


def apply_account_changes(account: IntegrationAccount, changes: Mapping[str, Any], *,
                          secrets: Mapping[str, str] | None = None, clear_secrets: bool = False,
                          save: bool = True) -> IntegrationAccount:
    """Set fields and (merged) secrets on an account and save it: callers validated with account_problems."""
    from integrations.services.credentials import update_credentials

    for key, value in changes.items():
        setattr(account, key, value)
    if clear_secrets:
        account.credentials_encrypted = ""
    if secrets:
        update_credentials(account, dict(secrets), save=False)
    if save:
        account.save()
    return account
