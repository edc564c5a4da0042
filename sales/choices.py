from django.db import models


class ProductKind(models.TextChoices):
    GOODS = "goods", "Goods"
    DISH = "dish", "Dish"
    MATERIAL = "material", "Material"
    SEMI_FINISHED = "semi_finished", "Semi-finished"
    SERVICE = "service", "Service"


class OrderStatus(models.TextChoices):
    NEW = "new", "New"
    CONFIRMED = "confirmed", "Confirmed"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"
    RETURNED = "returned", "Returned"
    OTHER = "other", "Other"


class ImportKind(models.TextChoices):
    """What an import/export file holds; each kind has its own column layout (see sales.services.tabular)."""

    BRANCHES = "branches", "Branches (locations)"
    PRODUCTS = "products", "Products"
    SALES = "sales", "Daily sales and demand drivers"
    STOCK = "stock", "Stock levels"


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    REJECTED = "rejected", "Rejected (invalid rows, nothing written)"
    FAILED = "failed", "Failed (error)"
    INTERRUPTED = "interrupted", "Interrupted (to be retried)"


FINISHED_IMPORT_STATUSES = (ImportJobStatus.SUCCEEDED, ImportJobStatus.REJECTED, ImportJobStatus.FAILED,
                            ImportJobStatus.INTERRUPTED)
