"""Wildberries seller APIs, external-apis.md section 4: content cards as products, orders, sales and returns,
stock snapshots."""

from integrations.connectors.wildberries import streams  # noqa: F401 - registers the streams
