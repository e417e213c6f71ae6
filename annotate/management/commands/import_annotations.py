from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotate.interchange.annotation_import import import_annotations
from annotate.interchange.formats import FORMATS
from annotate.management.lookup import campaign_named


class Command(BaseCommand):
    help = (
        "Import annotations made elsewhere (Credence CSV, a Label Studio JSON export or a "
        "doccano JSONL export, optionally with evidence spans) into a campaign, all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--campaign", required=True, help="campaign name or slug")
        parser.add_argument(
            "--format",
            choices=sorted(FORMATS),
            help="the file's format (default: guessed from its name and first characters)",
        )
        parser.add_argument(
            "--annotator",
            help="the user name every annotation in the file belongs to (a doccano export "
            "per user); default: each record's own (annotator column, completed_by, user)",
        )

    def handle(self, *args, file, campaign, **options):
        campaign = campaign_named(campaign)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        result = import_annotations(
            campaign,
            path.name,
            path.read_bytes(),
            format=options.get("format"),
            annotator=options.get("annotator"),
        )
        for error in result.errors:
            self.stderr.write(self.style.ERROR(error))
        if not result.ok:
            raise CommandError(f"{result.problems} problem(s); nothing was imported")
        self.stdout.write(
            f"{result.created} annotation(s) imported into {campaign.name}; "
            f"{result.users_created} new (inactive) annotator account(s) (a {result.format} file)"
        )
