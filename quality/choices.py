"""Choices of quality, with the state machines next to them (data, read by services, API and tests)."""

from django.db import models


class InspectionStatus(models.TextChoices):
    OPEN = "open", "Open"
    RELEASED = "released", "Released"
    REJECTED = "rejected", "Rejected"


INSPECTION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    InspectionStatus.OPEN: (InspectionStatus.RELEASED, InspectionStatus.REJECTED),
    InspectionStatus.RELEASED: (),
    InspectionStatus.REJECTED: (),
}


class MethodKind(models.TextChoices):
    NUMERIC = "numeric", "Measured value (min/max)"
    PASS_FAIL = "pass_fail", "Pass / fail"


class LabTestStatus(models.TextChoices):
    OPEN = "open", "Open (recording results)"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"


LAB_TEST_TRANSITIONS: dict[str, tuple[str, ...]] = {
    LabTestStatus.OPEN: (LabTestStatus.PASSED, LabTestStatus.FAILED),
    LabTestStatus.PASSED: (),
    LabTestStatus.FAILED: (),
}


class LotAction(models.TextChoices):
    """A decision on a lot and the lot status it leads to (planning.choices.LotStatus)."""

    RELEASE = "release", "Release (quarantine → available)"
    BLOCK = "block", "Block"
    UNBLOCK = "unblock", "Unblock (blocked → available)"
    SCRAP = "scrap", "Scrap"


LOT_ACTION_TARGET = {
    LotAction.RELEASE: "available",
    LotAction.BLOCK: "blocked",
    LotAction.UNBLOCK: "available",
    LotAction.SCRAP: "scrapped",
}
# The lot status each action starts from (release and unblock both lead to available, from different places).
LOT_ACTION_FROM = {
    LotAction.RELEASE: ("quarantine",),
    LotAction.BLOCK: ("quarantine", "available"),
    LotAction.UNBLOCK: ("blocked",),
    LotAction.SCRAP: ("quarantine", "blocked"),
}
