"""iikoServer ("resto") API: IikoSession (auth/logout, token reuse), the org stream (departments) and the
commerce streams (products, OLAP daily sales, store balances)."""

# Importing the stream modules registers their connectors.
from integrations.connectors.iiko import org, products, sales, stock  # noqa: F401
