"""Serializers of the planning API. Writes go through services; serializers only shape and validate input.

One module per room (like planning/api/views/); this package re-exports every serializer.
"""

from planning.api.serializers.bom import (  # noqa: F401
    BomDraftLineSerializer,
    BomExplosionSerializer,
    BomLineSerializer,
    BomProblemSerializer,
    BomSearchResultSerializer,
    BomSerializer,
    BomValidateRequestSerializer,
    BomValidateResponseSerializer,
    BomVariantCreateSerializer,
    BomVariantSummarySerializer,
    ExplodedComponentSerializer,
)
from planning.api.serializers.calculation import (  # noqa: F401
    DemandInputSerializer,
    OpenOrderInputSerializer,
    PolicySettingsEchoSerializer,
    PolicySettingsInputSerializer,
    ProposalRequestSerializer,
    ProposalResultSerializer,
    QuantileDaySerializer,
    RoundingStepSerializer,
    SupplyInputSerializer,
)
from planning.api.serializers.common import (  # noqa: F401
    MAX_DAILY,
    QTY,
    LocationBriefSerializer,
    ProductBriefSerializer,
)
from planning.api.serializers.health import (  # noqa: F401
    HealthCoverageSerializer,
    HealthForecastRunSerializer,
    HealthLastProposalRunSerializer,
    HealthLocationSerializer,
    HealthProposalsSerializer,
    PlanningHealthSerializer,
)
from planning.api.serializers.planning_settings import (  # noqa: F401
    EffectiveSettingsQuerySerializer,
    EffectiveSettingsSerializer,
    PlanningSettingsSerializer,
    SupplierSerializer,
)
from planning.api.serializers.production import (  # noqa: F401
    KanbanBoardSerializer,
    KanbanColumnSerializer,
    KanbanMoveSerializer,
    ProductionTaskSerializer,
)
from planning.api.serializers.proposals import (  # noqa: F401
    OrderProposalSerializer,
    ProposalDecisionSerializer,
    ProposalRunSerializer,
    ProposalSummarySerializer,
    ProposeOrdersRequestSerializer,
)
from planning.api.serializers.purchasing import (  # noqa: F401
    PurchaseOrderLineSerializer,
    PurchaseOrderSerializer,
    PurchaseReceiptLineSerializer,
    PurchaseReceiptSerializer,
    ReasonSerializer,
    ReceiveLineSerializer,
    ReceiveSerializer,
)
from planning.api.serializers.stock import (  # noqa: F401
    MovementCreateSerializer,
    StockAdjustmentSerializer,
    StockBalanceSerializer,
    StockMovementSerializer,
)
