from integrations.management.stream_sync_command import AllAccountsSyncCommand


class Command(AllAccountsSyncCommand):
    help = ("Sync every stream of every enabled integration account (--all, for cron) or of the named ones "
            "(--account NAME, repeatable), one account and stream after another; --kind, --stream, --full, "
            "--from/--to narrow it. Exit code 1 if any run failed.")
