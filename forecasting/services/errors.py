"""Errors the forecasting services raise for people to read: each names the field or object at fault."""

from __future__ import annotations


class ForecastingError(Exception):
    """A forecasting request that cannot be carried out; ``field`` names the parameter at fault, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field
        self.message = message

    def as_dict(self) -> dict[str, list[str]]:
        """DRF-style error body: ``{field: [message]}`` (or ``detail`` when no field is at fault)."""
        return {self.field or "detail": [self.message]}


class InvalidParameter(ForecastingError):
    """A bad argument: unknown location/product/category, horizon out of range, bad engine parameter."""


class NoHistory(ForecastingError):
    """Nothing to train or forecast on in the chosen scope."""


class RunInProgress(ForecastingError):
    """Another training run is queued or running; starting a second one would only compete with it."""

    def __init__(self, message: str, *, run_id: int):
        super().__init__(message)
        self.run_id = run_id


class ModelUnavailable(ForecastingError):
    """The run has no stored model (it failed, or its file was removed from the artefact store)."""
