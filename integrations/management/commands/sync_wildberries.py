from django.core.management.base import CommandParser

from integrations.choices import IntegrationKind
from integrations.management.stream_sync_command import StreamSyncCommand


class Command(StreamSyncCommand):
    help = ("Sync Wildberries content cards (products), orders, sales and returns, and stock: --account NAME "
            "(repeatable) | --all | --base-url URL --token T; --stream products|orders|sales|stock|all, --full, "
            "--from YYYY-MM-DD. Exit code 1 if any run failed.")
    kind = IntegrationKind.WILDBERRIES
    secret_options = (("token", "token"),)

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--token", help="Ad hoc, with --base-url: the seller API token (Statistics + Content).")
