from django.core.management.base import CommandParser

from integrations.choices import IntegrationKind
from integrations.management.stream_sync_command import StreamSyncCommand


class Command(StreamSyncCommand):
    help = ("Sync Sentos warehouses, products (with variants and per-warehouse stock) and orders: --account NAME "
            "(repeatable) | --all | --base-url URL --api-key K --api-secret S; --stream org|products|orders|all, "
            "--full, --from/--to YYYY-MM-DD. Exit code 1 if any run failed.")
    kind = IntegrationKind.SENTOS
    secret_options = (("api_key", "api_key"), ("api_secret", "api_secret"))

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--api-key", help="Ad hoc, with --base-url: the Sentos API key (Basic auth user).")
        parser.add_argument("--api-secret", help="Ad hoc, with --base-url: the Sentos API secret.")
