"""Models of planning: settings, stock ledger, purchasing, BOMs, order proposals and production tasks."""

from planning.models.bom import BillOfMaterials, BomLine
from planning.models.ledger import StockBalance, StockMovement
from planning.models.lots import StockBucket, StockLot
from planning.models.production import ProductionTask
from planning.models.proposals import OrderProposal, ProposalRun
from planning.models.purchasing import PurchaseOrder, PurchaseOrderLine, PurchaseReceipt, PurchaseReceiptLine
from planning.models.replay import ReplayItem, ReplayRun
from planning.models.settings import PlanningSettings, Supplier

__all__ = [
    "BillOfMaterials",
    "BomLine",
    "OrderProposal",
    "PlanningSettings",
    "ProductionTask",
    "ProposalRun",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "PurchaseReceipt",
    "PurchaseReceiptLine",
    "ReplayItem",
    "ReplayRun",
    "StockBalance",
    "StockBucket",
    "StockLot",
    "StockMovement",
    "Supplier",
]
