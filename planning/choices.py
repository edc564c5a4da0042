"""Choices of planning, with the state machines of purchase orders and production tasks next to them.

The transition maps are data, not code, so the services, the API (409 messages), the kanban board and the
tests all read the same single source of truth.
"""

from django.db import models


class MakeOrBuy(models.TextChoices):
    BUY = "buy", "Buy"
    MAKE = "make", "Make"


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", "Receipt"
    PRODUCTION_CONSUME = "production_consume", "Production: consume"
    PRODUCTION_PRODUCE = "production_produce", "Production: produce"
    ADJUSTMENT = "adjustment", "Adjustment"
    TRANSFER_IN = "transfer_in", "Transfer in"
    TRANSFER_OUT = "transfer_out", "Transfer out"
    SYNC_CORRECTION = "sync_correction", "Sync correction"
    STATUS_CHANGE = "status_change", "Status change"
    SCRAP = "scrap", "Scrap"
    REWORK = "rework", "Sent to rework"


# The sign each kind's quantity must have: +1 adds stock, -1 removes it, 0 either way.
MOVEMENT_SIGN: dict[str, int] = {
    MovementKind.RECEIPT: 1,
    MovementKind.PRODUCTION_CONSUME: -1,
    MovementKind.PRODUCTION_PRODUCE: 1,
    MovementKind.ADJUSTMENT: 0,
    MovementKind.TRANSFER_IN: 1,
    MovementKind.TRANSFER_OUT: -1,
    MovementKind.SYNC_CORRECTION: 0,
    # Always a pair (out of one status, into another) that nets to zero on the item.
    MovementKind.STATUS_CHANGE: 0,
    MovementKind.SCRAP: -1,
    MovementKind.REWORK: -1,
}


class StockStatus(models.TextChoices):
    """What a quantity of stock may be used for. Only available stock is consumed, released or planned with."""

    AVAILABLE = "available", "Available"
    QUARANTINE = "quarantine", "Quarantine"
    BLOCKED = "blocked", "Blocked"


class LotStatus(models.TextChoices):
    """The standing of a lot as a whole; its quantities carry the matching StockStatus (scrapped: none left)."""

    QUARANTINE = "quarantine", "Quarantine"
    AVAILABLE = "available", "Available"
    BLOCKED = "blocked", "Blocked"
    SCRAPPED = "scrapped", "Scrapped"


# A blocked lot comes back only through a decision with a note (unblock or scrap); scrapped is final.
LOT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    LotStatus.QUARANTINE: (LotStatus.AVAILABLE, LotStatus.BLOCKED, LotStatus.SCRAPPED),
    LotStatus.AVAILABLE: (LotStatus.BLOCKED, LotStatus.QUARANTINE),
    LotStatus.BLOCKED: (LotStatus.AVAILABLE, LotStatus.SCRAPPED),
    LotStatus.SCRAPPED: (),
}


class LotOrigin(models.TextChoices):
    RECEIPT = "receipt", "Purchase receipt"
    PRODUCTION = "production", "Production task"
    OTHER = "other", "Other (opening stock, count)"


class PurchaseOrderStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    PARTIALLY_RECEIVED = "partially_received", "Partially received"
    RECEIVED = "received", "Received"
    CANCELLED = "cancelled", "Cancelled"


# Legal transitions (status → statuses reachable from it). Receiving moves sent/partially_received forward.
PURCHASE_ORDER_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PurchaseOrderStatus.DRAFT: (PurchaseOrderStatus.SENT, PurchaseOrderStatus.CANCELLED),
    PurchaseOrderStatus.SENT: (
        PurchaseOrderStatus.PARTIALLY_RECEIVED,
        PurchaseOrderStatus.RECEIVED,
        PurchaseOrderStatus.CANCELLED,
    ),
    PurchaseOrderStatus.PARTIALLY_RECEIVED: (
        PurchaseOrderStatus.PARTIALLY_RECEIVED,
        PurchaseOrderStatus.RECEIVED,
        PurchaseOrderStatus.CANCELLED,
    ),
    PurchaseOrderStatus.RECEIVED: (),
    PurchaseOrderStatus.CANCELLED: (),
}
# Orders whose outstanding quantity is expected supply (drafts included: an approved proposal became a
# draft line, and tomorrow's proposal must not order the same quantity again).
OPEN_PURCHASE_ORDER_STATUSES = (
    PurchaseOrderStatus.DRAFT,
    PurchaseOrderStatus.SENT,
    PurchaseOrderStatus.PARTIALLY_RECEIVED,
)


class ProposalKind(models.TextChoices):
    BUY = "buy", "Buy"
    MAKE = "make", "Make"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ProposalRunStatus(models.TextChoices):
    """The same values as forecasting's RunStatus (so the API schema shares one enum for both)."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    INTERRUPTED = "interrupted", "Interrupted (to be retried)"


class TaskStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


TASK_TRANSITIONS: dict[str, tuple[str, ...]] = {
    TaskStatus.DRAFT: (TaskStatus.APPROVED, TaskStatus.CANCELLED),
    TaskStatus.APPROVED: (TaskStatus.IN_PROGRESS, TaskStatus.CANCELLED),
    TaskStatus.IN_PROGRESS: (TaskStatus.COMPLETED, TaskStatus.CANCELLED),
    TaskStatus.COMPLETED: (),
    TaskStatus.CANCELLED: (),
}
OPEN_TASK_STATUSES = (TaskStatus.DRAFT, TaskStatus.APPROVED, TaskStatus.IN_PROGRESS)
# The kanban board's columns, left to right.
BOARD_COLUMNS = (
    TaskStatus.DRAFT,
    TaskStatus.APPROVED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.COMPLETED,
    TaskStatus.CANCELLED,
)


class BomProblemCode(models.TextChoices):
    CYCLE = "cycle", "Cycle across levels"
    SELF_COMPONENT = "self_component", "Product is its own component"
    NON_POSITIVE_QUANTITY = "non_positive_quantity", "Zero or negative quantity"
    UNKNOWN_COMPONENT = "unknown_component", "Unknown component"
    UNIT_MISMATCH = "unit_mismatch", "Unit mismatch"
    INVALID_SCRAP = "invalid_scrap", "Scrap percentage out of range"
    DUPLICATE_COMPONENT = "duplicate_component", "Component listed twice"
    EMPTY = "empty", "No lines"
