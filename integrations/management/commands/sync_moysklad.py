from django.core.management.base import CommandParser

from integrations.choices import IntegrationKind
from integrations.management.stream_sync_command import StreamSyncCommand


class Command(StreamSyncCommand):
    help = ("Sync MoySklad stores, products, retail demands (sales) and stock: --account NAME (repeatable) | --all "
            "| --base-url URL --token T; --stream org|products|sales|stock|all, --full, --from/--to YYYY-MM-DD. "
            "Exit code 1 if any run failed.")
    kind = IntegrationKind.MOYSKLAD
    secret_options = (("token", "token"),)

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--token", help="Ad hoc, with --base-url: a MoySklad access token (Bearer).")
