"""MoySklad JSON API 1.2, external-apis.md section 5: stores as locations, products, retail demands as orders and
daily sales, stock per store."""

from integrations.connectors.moysklad import streams  # noqa: F401 - registers the streams
