from django.core.management.base import CommandParser

from integrations.choices import IntegrationKind, SyncStream
from integrations.management.stream_sync_command import StreamSyncCommand


class Command(StreamSyncCommand):
    help = ("Sync iiko departments (org structure) of one or more iiko servers (\"domains\"): --account NAME "
            "(repeatable) | --all | --base-url URL --login L --password P. Each domain is synced on its own: a "
            "failing one fails its run and makes the exit code 1, the others are still synced. "
            "--stream products|sales|stock|all adds the commerce streams (OLAP daily sales in month windows, "
            "store balances); --full, --from/--to YYYY-MM-DD.")
    kind = IntegrationKind.IIKO
    default_streams = (SyncStream.ORG,)
    secret_options = (("login", "login"), ("password", "password"))

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--login", help="Ad hoc, with --base-url: iiko API user.")
        parser.add_argument("--password", help="Ad hoc, with --base-url: its password (sent as iiko expects, SHA-1).")
