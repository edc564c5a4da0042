"""Choices of the shop floor, with the embroidery job state machine as data (services, API and tests read it)."""

from django.db import models


class JobStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


# status → statuses reachable from it.
JOB_TRANSITIONS: dict[str, tuple[str, ...]] = {
    JobStatus.PLANNED: (JobStatus.IN_PROGRESS, JobStatus.CANCELLED),
    JobStatus.IN_PROGRESS: (JobStatus.DONE, JobStatus.CANCELLED),
    JobStatus.DONE: (),
    JobStatus.CANCELLED: (),
}
OPEN_JOB_STATUSES = (JobStatus.PLANNED, JobStatus.IN_PROGRESS)


class Symbology(models.TextChoices):
    CODE128 = "code128", "Code 128"
    QR = "qr", "QR code"


class ImageFormat(models.TextChoices):
    PNG = "png", "PNG"
    SVG = "svg", "SVG"


class ScanOutcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved"
    DONE = "done", "Action done"
    NOT_FOUND = "not_found", "Unknown code"
    REFUSED = "refused", "Action refused"
