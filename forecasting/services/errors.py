"""Errors the forecasting services raise for people to read: each names the field or object at fault.

All are core.errors.DomainError subclasses: the API's exception handler answers them (400 naming the field,
409 for a run in progress, 422 when there is nothing to train on), so views never translate them.
"""

from __future__ import annotations

from typing import Any

from core.errors import DomainError


class ForecastingError(DomainError):
    """A forecasting request that cannot be carried out; ``field`` names the parameter at fault, if any."""

    def __init__(self, message: str, *, field: str | None = None, **kwargs: Any):
        super().__init__(message, field=field, **kwargs)


class InvalidParameter(ForecastingError):
    """A bad argument: unknown location/product/category, horizon out of range, bad engine parameter."""

    def as_dict(self) -> dict[str, Any]:
        """DRF-style error body ``{field: [message]}``, under ``detail`` when no field is at fault (as always)."""
        return {self.field or "detail": [self.message], "code": self.code}


class NoHistory(ForecastingError):
    """Nothing to train or forecast on in the chosen scope (422)."""

    status = 422
    code = "no_history"

    def as_dict(self) -> dict[str, Any]:
        return {"detail": self.message, "code": self.code}


class RunInProgress(ForecastingError):
    """Another training run is queued or running; starting a second one would only compete with it (409)."""

    status = 409
    code = "run_in_progress"

    def __init__(self, message: str, *, run_id: int):
        super().__init__(message, extra={"run_id": run_id})
        self.run_id = run_id


class ModelUnavailable(ForecastingError):
    """The run has no stored model (it failed, or its file was removed from the artefact store)."""
