from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, read_backup, restore_backup


class Command(BaseCommand):
    help = "Restore the database and model artefacts from a backup directory (replaces the current ones)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a backup directory written by `manage.py backup`")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, path: str, yes: bool, **options):
        try:
            info = read_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not yes:
            answer = input(f"Replace the current database and artefacts with the backup of {info.created_at}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("restore cancelled")
        try:
            restore_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {info.vendor} backup of {info.created_at} from {info.path}")
