from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotate.interchange.annotation_import import import_annotations
from annotate.management.lookup import campaign_named


class Command(BaseCommand):
    help = (
        "Import annotations made elsewhere (CSV, optionally with evidence spans) into a "
        "campaign, all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--campaign", required=True, help="campaign name or slug")

    def handle(self, *args, file, campaign, **options):
        campaign = campaign_named(campaign)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        result = import_annotations(campaign, path.name, path.read_bytes())
        for error in result.errors:
            self.stderr.write(self.style.ERROR(error))
        if not result.ok:
            raise CommandError(f"{len(result.errors)} problem(s); nothing was imported")
        self.stdout.write(
            f"{result.created} annotation(s) imported into {campaign.name}; "
            f"{result.users_created} new (inactive) annotator account(s)"
        )
