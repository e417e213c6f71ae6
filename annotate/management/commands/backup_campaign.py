from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotate.backup import BackupError, backup_campaign
from annotate.models import Campaign


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
        found = Campaign.objects.filter(slug=campaign).first()
        if found is None:
            known = (
                ", ".join(Campaign.objects.order_by("slug").values_list("slug", flat=True)[:20])
                or "none"
            )
            raise CommandError(f"No campaign with slug {campaign!r}. Campaigns: {known}")
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
