"""Quality services: the only code that changes inspections, lab tests and lots (API, admin, demo call these)."""

from quality.services.inspections import pass_rate  # noqa: E402  (the dashboard's QC figure)

__all__ = ["pass_rate"]
