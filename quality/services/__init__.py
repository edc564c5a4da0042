"""Quality services: the only code that changes inspections, lab tests and lots (API, admin, demo call these)."""
