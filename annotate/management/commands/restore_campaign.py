from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotate.interchange.backup import BackupError
from annotate.interchange.restore import restore_campaign


class Command(BaseCommand):
    help = "Restore a campaign written by backup_campaign, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        if not Path(file).is_file():
            raise CommandError(f"{file}: no such file")
        try:
            report = restore_campaign(file)
        except BackupError as exc:
            raise CommandError(f"{file}: {exc}; nothing was restored") from None
        created = ", ".join(f"{n} {name}" for name, n in report.created.items() if n)
        self.stdout.write(f"Campaign {report.campaign.slug} restored: created {created}.")
        reused = ", ".join(f"{n} {name}" for name, n in report.reused.items() if n)
        if reused:
            self.stdout.write(f"Already here and identical, reused: {reused}.")
        if report.users_created:
            self.stdout.write(
                f"{len(report.users_created)} new account(s) without a usable password "
                f"(set one in the admin or with `manage.py changepassword NAME`): "
                + ", ".join(report.users_created)
            )
