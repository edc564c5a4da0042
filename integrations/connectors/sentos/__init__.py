"""Sentos (Turkish e-commerce integrator), external-apis.md section 3: warehouses as locations, products with
variants and per-warehouse stock, orders with lines."""

from integrations.connectors.sentos import orders, org, products  # noqa: F401 - register the streams
