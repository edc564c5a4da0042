from django.core.management.base import BaseCommand

from integrations.services.credentials import rotate_credentials


class Command(BaseCommand):
    help = ("Re-encrypt every account's stored secrets with the first key of CREDENTIALS_KEYS. Rotate keys by "
            "putting the new key first, running this, then removing the old key.")

    def handle(self, *args, **options) -> None:
        count = rotate_credentials()
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted the secrets of {count} account(s) with the first key."))
