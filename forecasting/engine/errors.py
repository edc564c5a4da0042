"""The one exception type the engine raises for bad input, so callers can catch it cleanly.

It is a ``core.errors.DomainError`` (422 "engine_error", the field named by the message's ``"name: …"`` prefix),
so an engine refusal reaches the API through the one exception handler like every other service refusal, with
no try/except per view. ``core.errors`` imports nothing from Django, so the engine stays importable and testable
without it (``pytest tests/forecasting/engine -p no:django``).
"""

from __future__ import annotations

from typing import Any

from core.errors import Unprocessable


class EngineError(Unprocessable, ValueError):
    """Bad parameter or unusable data; the message names the parameter or column at fault."""

    code = "engine_error"
    hint = "Change the parameter or column named in the message (forecasting engine), then run again."

    def __init__(self, message: str, **kwargs: Any) -> None:
        if "field" not in kwargs:
            head = message.split(":", 1)[0] if ":" in message else ""
            # "learning_rate: must be in (0, 1]" names a field; "the panel has no rows: …" does not.
            kwargs["field"] = head if head and head.isidentifier() else None
        super().__init__(message, **kwargs)
