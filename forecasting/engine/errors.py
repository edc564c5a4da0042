"""The one exception type the engine raises for bad input, so callers can catch it cleanly."""

from __future__ import annotations


class EngineError(ValueError):
    """Bad parameter or unusable data; the message names the parameter or column at fault."""
