from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotate.interchange.backup import BackupError, backup_campaign
from annotate.management.lookup import campaign_named


class Command(BaseCommand):
    help = (
        "Write one campaign (corpus, label scheme, members, work, history, adjudications) "
        "to one file; gzip-compressed when FILE ends in .gz."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="campaign slug")
        parser.add_argument("file")
        parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")

    def handle(self, *args, campaign, file, force, **options):
        found = campaign_named(campaign, slug_only=True)
        path = Path(file)
        if path.exists() and not force:
            raise CommandError(f"{file} exists; pass --force to overwrite it")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such folder")
        try:
            counts = backup_campaign(found, path)
        except (BackupError, OSError) as exc:
            raise CommandError(f"backup failed, no file written: {exc}") from None
        rows = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(f"Campaign {found.slug} written to {file}: {rows}")
