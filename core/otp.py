"""Second factor (TOTP with django-otp): enrolment with a QR code, backup codes, and the checks every login door
shares (the admin, the browsable API's session login and the two-step JWT login).

Who must give a code: everyone who enrolled a device, and, while OTP_REQUIRED_FOR_ADMIN_ROLE is on (the default),
every user of the admin role (superusers and the `admin` group) -- those without a device yet are sent to enrol
before they get any access. A code is a 6-digit TOTP or one of the single-use backup codes handed out when the
authenticator is confirmed. Wrong codes count as failed logins (core/login_guard.py); django-otp also
slows repeated failures per device.
"""

from __future__ import annotations

import secrets
from base64 import b32encode
from dataclasses import dataclass
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django_otp import devices_for_user, verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

LOGIN_TICKET_SALT = "core.otp.login-ticket"
AUTHENTICATOR_NAME = "authenticator app"
BACKUP_NAME = "backup codes"


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    otpauth_url: str
    secret: str  # base32, for typing into an app that cannot scan
    qr_svg: str  # the otpauth URL as an SVG QR code


def is_admin_role(user) -> bool:
    return bool(user.is_superuser or user.groups.filter(name="admin").exists())


def has_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def needs_otp(user) -> bool:
    """True when this user must give a code to log in (or enrol first: see `has_device`)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if has_device(user):
        return True
    return bool(getattr(settings, "OTP_REQUIRED_FOR_ADMIN_ROLE", True)) and is_admin_role(user)


def qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@transaction.atomic
def start_enrolment(user) -> Enrolment:
    """A new, unconfirmed authenticator for the user (replacing any earlier unconfirmed one); confirmed by the
    first right code (`verify_code`)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    url = device.config_url
    return Enrolment(device=device, otpauth_url=url, secret=b32encode(device.bin_key).decode().rstrip("="),
                     qr_svg=qr_svg(url))


@transaction.atomic
def new_backup_codes(user) -> list[str]:
    """Replaces the user's backup codes with fresh ones; shown once, each works once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(getattr(settings, "OTP_BACKUP_CODES", 10))]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def verify_code(user, code: str) -> tuple[Device | None, list[str]]:
    """Checks a code against the user's confirmed devices, else against an authenticator being enrolled (which
    the right code confirms, with a first set of backup codes). Returns (device or None, new backup codes)."""
    code = "".join(str(code or "").split())
    if not code:
        return None, []
    # A 6-digit code goes to the authenticator, anything else to the backup codes: a failure only slows down the
    # device it was meant for (django-otp throttles each device after failures).
    kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    for device in devices_for_user(user, confirmed=True):
        if not isinstance(device, kind):
            continue
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified, []
    if kind is StaticDevice:
        return None, []
    with transaction.atomic():
        pending = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if pending is not None and pending.verify_token(code):
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            return pending, new_backup_codes(user)
    return None, []


def issue_login_ticket(user) -> str:
    """What the JWT login answers instead of tokens when a code is needed: proof that the password was right,
    valid for OTP_LOGIN_TICKET_SECONDS and void once the password changes."""
    return signing.dumps({"uid": user.pk, "pw": user.password[-16:]}, salt=LOGIN_TICKET_SALT, compress=True)


def read_login_ticket(ticket: str):
    """The user a login ticket was issued to, or None when it is forged, expired or outdated."""
    try:
        data = signing.loads(ticket or "", salt=LOGIN_TICKET_SALT,
                             max_age=getattr(settings, "OTP_LOGIN_TICKET_SECONDS", 300))
    except signing.BadSignature:
        return None
    user = get_user_model().objects.filter(pk=data.get("uid"), is_active=True).first()
    if user is None or user.password[-16:] != data.get("pw"):
        return None
    return user
