"""HMAC-SHA256 signatures of webhook bodies, as receivers check them.

The signed message is `<timestamp>.<body>` (the Unix time in the X-Salesforecast-Timestamp header, a dot, the raw
body bytes): binding the time lets a receiver refuse replays older than a few minutes. The header
X-Salesforecast-Signature carries `sha256=<hex digest>`; compare in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Salesforecast-Signature"
TIMESTAMP_HEADER = "X-Salesforecast-Timestamp"
EVENT_HEADER = "X-Salesforecast-Event"
DELIVERY_HEADER = "X-Salesforecast-Delivery"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str | int, body: bytes, signature: str, *, tolerance: int = 300,
           now: float | None = None) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent (replays are refused)."""
    try:
        stamp = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - stamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, stamp, body), signature or "")
