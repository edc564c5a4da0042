"""1C exchange service (external-apis.md section 6): branches over `GET {base_url}/branches` with X-API-Key."""

from integrations.connectors.onec import org  # noqa: F401 - registers the connector
