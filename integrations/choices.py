from django.db import models


class IntegrationKind(models.TextChoices):
    IIKO = "iiko", "iiko (iikoServer)"
    ONEC = "onec", "1C exchange service"
    SENTOS = "sentos", "Sentos"
    WILDBERRIES = "wildberries", "Wildberries"
    MOYSKLAD = "moysklad", "MoySklad"


class SyncStream(models.TextChoices):
    ORG = "org", "Org structure"
    PRODUCTS = "products", "Products"
    SALES = "sales", "Sales"
    ORDERS = "orders", "Orders"
    STOCK = "stock", "Stock"


class SyncMode(models.TextChoices):
    FULL = "full", "Full refresh"
    INCREMENTAL = "incremental", "Incremental (live)"


class SyncStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    PARTIAL = "partial", "Partially succeeded"
    FAILED = "failed", "Failed"
    INTERRUPTED = "interrupted", "Interrupted (to be retried)"


ACTIVE_SYNC_STATUSES = (SyncStatus.QUEUED, SyncStatus.RUNNING)


class SyncTrigger(models.TextChoices):
    API = "api", "API"
    ADMIN = "admin", "Admin action"
    COMMAND = "command", "Management command"
    SCHEDULE = "schedule", "Schedule"
