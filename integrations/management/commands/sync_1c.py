from django.core.management.base import CommandParser

from integrations.choices import IntegrationKind
from integrations.management.sync_command import SyncCommand


class Command(SyncCommand):
    help = ("Sync the branch tree from the 1C exchange service: --account NAME (repeatable) | --all | "
            "--base-url URL --api-key KEY. Exit code 1 if any sync failed.")
    kind = IntegrationKind.ONEC
    secret_options = (("api_key", "api_key"),)

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--api-key", help="Ad hoc, with --base-url: the X-API-Key of the exchange service.")
