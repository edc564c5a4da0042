"""Planning API: core (stateless proposal, health), settings, proposals, warehouse, purchasing, BOM, PPIC.

Views shape requests and answers; every state change and computation is a call into planning.services.
The views live in one module per room (core, planning_settings, proposals, warehouse, purchasing,
bom, production), like planning/models/. Service refusals are core.errors.DomainError subclasses,
mapped to HTTP once by the API's exception handler: illegal states are 409 naming the current state, bad
input is 400 naming the field.
"""

from planning.api.views.bom import (  # noqa: F401
    BomViewSet,
)
from planning.api.views.core import (  # noqa: F401
    PlanningHealthView,
    ProposalCalculationView,
)
from planning.api.views.planning_settings import (  # noqa: F401
    PlanningSettingsViewSet,
    SupplierViewSet,
)
from planning.api.views.production import (  # noqa: F401
    BoardSchema,
    KanbanViewSet,
    ProductionTaskViewSet,
)
from planning.api.views.proposals import (  # noqa: F401
    OrderProposalViewSet,
    ProposalRunViewSet,
)
from planning.api.views.purchasing import (  # noqa: F401
    PurchaseOrderViewSet,
    PurchaseReceiptViewSet,
)
from planning.api.views.warehouse import (  # noqa: F401
    StockBalanceViewSet,
    StockMovementViewSet,
)
