from django.core.management.base import BaseCommand, CommandError

from annotate.interchange.campaign_export import KINDS, ExportError, export_campaign
from annotate.management.lookup import campaign_named


class Command(BaseCommand):
    help = (
        "Export a campaign's passages with their final answers for other tools: Label Studio "
        "tasks (labelstudio), doccano JSONL (doccano) or a Hugging Face dataset folder (hf)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "out",
            help="labelstudio: a .json file (a .label_config.xml is written beside it); "
            "doccano: a .jsonl file, or a folder with --annotations; hf: a folder",
        )
        parser.add_argument("--campaign", required=True, help="campaign name or slug")
        parser.add_argument("--format", required=True, choices=KINDS)
        parser.add_argument(
            "--annotations",
            action="store_true",
            help="also write each reviewer's answers (Label Studio: as annotations of each "
            "task; doccano: one file per reviewer in the OUT folder)",
        )

    def handle(self, *args, out, campaign, **options):
        campaign = campaign_named(campaign)
        try:
            written = export_campaign(campaign, options["format"], out, options["annotations"])
        except (ExportError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for path in written:
            self.stdout.write(str(path))
        self.stdout.write(f"{len(written)} file(s) written for {campaign.name}")
