# The loopback 1C service and account builders of the integrations tests, for the aliases that start syncs.
from tests.integrations.conftest import (  # noqa: F401
    _onec_server_shared,
    fast_retries,
    make_account,
    onec_account,
    onec_server,
)
