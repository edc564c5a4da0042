"""Labels the workbench translates at render time but that are defined elsewhere in English (choices of lower
apps, the monitoring metric catalogue). Listed here with gettext_noop so makemessages puts them in the catalogues;
the screens pass them through {% translate %}."""

from django.utils.translation import gettext_noop

LABELS = [
    # planning.choices.TaskStatus, ProposalKind, ProposalStatus
    gettext_noop("Draft"), gettext_noop("Approved"), gettext_noop("In progress"), gettext_noop("Completed"),
    gettext_noop("Cancelled"), gettext_noop("Buy"), gettext_noop("Make"), gettext_noop("Proposed"),
    gettext_noop("Rejected"),
    # workbench.views.snapshot section titles
    gettext_noop("Data syncs"), gettext_noop("Sales and stock data"), gettext_noop("Forecasting"),
    gettext_noop("Planning"),
    # monitoring.metrics labels
    gettext_noop("Integration accounts"), gettext_noop("Enabled integration accounts"),
    gettext_noop("Account streams with failures since their last success"),
    gettext_noop("Longest failure streak of any account stream"), gettext_noop("Sync runs queued or running"),
    gettext_noop("Account streams that never succeeded"),
    gettext_noop("Age of the oldest last success (enabled accounts)"),
    gettext_noop("Active locations with sales history"), gettext_noop("Locations whose sales stopped arriving"),
    gettext_noop("Days since the newest sales day anywhere"),
    gettext_noop("Age of the newest stock snapshot from a source"),
    gettext_noop("Age of the newest stock ledger movement"),
    gettext_noop("Age of the latest successful forecast run"),
    gettext_noop("Backtest WAPE of the latest forecast run"),
    gettext_noop("Forecast WAPE over the last 7 days of actuals"),
    gettext_noop("Forecast WAPE over the last 28 days of actuals"), gettext_noop("7-day WAPE ÷ backtest WAPE"),
    gettext_noop("28-day WAPE ÷ backtest WAPE"), gettext_noop("Items with a forecast in the latest run"),
    gettext_noop("Items at risk of stock-out within their lead time"),
    gettext_noop("Items stocked beyond the forecast horizon"), gettext_noop("Order proposals awaiting a decision"),
    gettext_noop("Open purchase orders past their expected date"),
    gettext_noop("Open production tasks past their due date"),
]
