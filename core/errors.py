"""One error vocabulary for the whole product (after Saleor's error codes and our `integrations/errors.py`).

Every service refuses with a subclass of :class:`DomainError`: a message a person can read (built with
``gettext("… %(name)s …") % {...}`` where it is raised, so it is in the request's language: the user's preference,
else the browser's Accept-Language, else LANGUAGE_CODE; a subclass's ``hint`` is ``gettext_lazy``), the field at fault
(if any), a stable machine code, the HTTP status an API answer should carry, and a hint saying what to do.
The API's exception handler (`core.api.exceptions`) turns any DomainError into JSON in one place, so views
never translate errors by hand; the admin shows ``str(error)``; commands print it and exit non-zero.

Body shape (what API clients see)::

    {"<field>": ["<message>"], "code": "<code>", "hint": "<hint>", ...extra}    # when a field is at fault
    {"detail": "<message>", "code": "<code>", "hint": "<hint>", ...extra}       # otherwise
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every refusal a service raises on purpose. Subclasses set ``status``, ``code`` and ``hint``."""

    status: int = 400
    code: str = "invalid"
    hint: str = ""
    field: str | None = None  # a subclass may name the field its refusals point at

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        status: int | None = None,
        hint: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        if hint is not None:
            self.hint = hint
        self.extra: dict[str, Any] = dict(extra or {})

    def as_dict(self) -> dict[str, Any]:
        """The JSON body of the API answer (DRF's ``{field: [message]}`` convention, plus code and hint)."""
        # str(): a message or hint may be lazy (gettext_lazy on a class); it renders in the active language.
        message = str(self.message)
        body: dict[str, Any] = {self.field or "detail": [message] if self.field else message}
        # A field may itself be called "code" or "hint" (a scanned code): then the field keeps its key.
        body["error_code" if "code" in body else "code"] = self.code
        if self.hint:
            body["error_hint" if "hint" in body else "hint"] = str(self.hint)
        for key, value in self.extra.items():
            body.setdefault(key, value)
        return body


class InvalidInput(DomainError):
    """A value the caller sent is wrong (400)."""

    status = 400
    code = "invalid"


class NotFound(DomainError):
    """The object named does not exist (or the caller may not see it) (404)."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The request conflicts with the current state: an illegal transition, a duplicate, a run in progress (409)."""

    status = 409
    code = "conflict"


class Unprocessable(DomainError):
    """Well-formed but impossible to carry out on this data (422)."""

    status = 422
    code = "unprocessable"


class TooLarge(DomainError):
    """The input is over a configured limit (413)."""

    status = 413
    code = "too_large"


class IllegalTransition(Conflict):
    """A state machine refused a move; ``current`` names the state the object is in."""

    code = "illegal_transition"

    def __init__(self, message: str, *, current: str, **kwargs: Any) -> None:
        extra = {"current_status": current, **kwargs.pop("extra", {})}
        super().__init__(message, extra=extra, **kwargs)
        self.current = current
