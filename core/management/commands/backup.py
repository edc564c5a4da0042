from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and the model artefacts into a timestamped directory; keep the newest N."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default=str(settings.BACKUP_ROOT),
                            help="where backups are kept (default: BACKUP_ROOT)")
        parser.add_argument("--keep", type=int, default=settings.BACKUP_KEEP,
                            help="how many backups to keep; older ones are deleted (default: BACKUP_KEEP)")

    def handle(self, *args, output_dir: str, keep: int, **options):
        if keep < 1:
            raise CommandError("--keep must be at least 1")
        try:
            info = create_backup(output_dir, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup written: {info.path} ({info.vendor}, {info.size_bytes / 1e6:.1f} MB)")
