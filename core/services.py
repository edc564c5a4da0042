"""Project-level services: health, password reset mail."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import DatabaseError, connections
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core import login_guard

logger = logging.getLogger("salesforecast")


def check_database(alias: str = "default") -> tuple[bool, str]:
    """One trivial query; health depends on our database only, never on an external system."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("health: database unavailable", extra={"error": str(exc).splitlines()[0][:200]})
        return False, "database unavailable"
    return True, "ok"


def send_password_reset(email: str) -> int:
    """Mail a reset link to every active user with this address; silent when none (no account probing)."""
    sent = 0
    for user in get_user_model().objects.filter(email__iexact=email, is_active=True):
        if not user.has_usable_password():
            continue
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = f"{settings.PASSWORD_RESET_URL}?uid={uid}&token={token}"
        send_mail(
            subject="salesforecast: reset your password",
            message=(
                f"Hello {user.get_username()},\n\nSomeone asked to reset the password of your salesforecast account.\n"
                f"Open this link within {settings.PASSWORD_RESET_TIMEOUT // 60} minutes to choose a new one:\n"
                f"{link}\n\n"
                f"Or POST uid={uid} and token={token} with new_password to /api/v1/auth/password-reset/confirm/.\n"
                "If it was not you, ignore this message."
            ),
            from_email=None,
            recipient_list=[user.email],
        )
        sent += 1
    logger.info("password reset requested", extra={"mails_sent": sent})
    return sent


def complete_password_reset(user, new_password: str) -> None:
    """Sets the new password from a valid reset link and lifts every failed-login lock on the username: the
    owner proved they hold the mailbox, so an attacker's failures must not keep them out (login_guard)."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    login_guard.forgive(user.get_username())
