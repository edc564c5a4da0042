import pytest

from integrations.models import IntegrationAccount
from integrations.services.credentials import set_credentials
from tests.integrations.loopback import IikoServer, OneCServer


@pytest.fixture(autouse=True)
def fast_retries(settings):
    """Real waits, but tiny: tests stay fast while the retry paths really run."""
    settings.INTEGRATIONS_HTTP = {"backoff_base": 0.001, "backoff_max": 0.01, "max_attempts": 3,
                                  "max_total_wait": 5.0, "read_timeout": 5.0, "connect_timeout": 2.0}


@pytest.fixture(scope="session")
def _onec_server_shared():
    server = OneCServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _iiko_server_shared():
    server = IikoServer().start()
    yield server
    server.stop()


@pytest.fixture
def onec_server(_onec_server_shared):
    """The loopback 1C service, fresh for each test (one server per session: stopping one takes 0.5 s)."""
    _onec_server_shared.reset()
    yield _onec_server_shared
    _onec_server_shared.reset()


@pytest.fixture
def iiko_server(_iiko_server_shared):
    _iiko_server_shared.reset()
    yield _iiko_server_shared
    _iiko_server_shared.reset()


@pytest.fixture
def make_account(db):
    def _make(kind: str, base_url: str, secrets: dict[str, str] | None = None, name: str | None = None,
              **fields) -> IntegrationAccount:
        account = IntegrationAccount.objects.create(kind=kind, base_url=base_url,
                                                    name=name or f"{kind} {IntegrationAccount.objects.count() + 1}",
                                                    **fields)
        if secrets:
            set_credentials(account, secrets)
        return account

    return _make


@pytest.fixture
def onec_account(make_account, onec_server):
    return make_account("onec", onec_server.base_url, {"api_key": onec_server.api_key}, name="1C main")
