from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotate.importer import import_annotations
from annotate.models import Campaign


def campaign_named(name):
    campaign = Campaign.objects.select_related("scheme").filter(name=name).first()
    campaign = campaign or Campaign.objects.select_related("scheme").filter(slug=name).first()
    if campaign is None:
        known = ", ".join(Campaign.objects.values_list("name", flat=True)[:20]) or "none"
        raise CommandError(f"No campaign called {name!r}. Campaigns: {known}")
    return campaign


class Command(BaseCommand):
    help = "Import annotations made elsewhere (CSV) into a campaign, all or nothing."

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
