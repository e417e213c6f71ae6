"""export_report: write a campaign's export folder (annotate.reports.export_folder).

Every export kind is written (the reports, claims, annotations, evidence spans and loaded
terms), byte for byte what the download links give (annotate.reports.exports), with the
campaign's settings (campaign.json) and a data card (README.md) beside them.
"""

from django.core.management.base import BaseCommand, CommandError

from annotate.management.lookup import campaign_named
from annotate.reports import exports
from annotate.reports.export_folder import FolderError, write_folder

# --only accepts the export names, or these short names.
SHORT = {
    "outlets": ["outlets.csv"],
    "documents": ["documents.csv"],
    "reviewers": ["reviewers.csv"],
    "comparisons": ["comparisons.csv"],
    "claims": ["claims.csv"],
    "annotations": ["annotations.csv", "annotations.jsonl"],
    "spans": ["spans.csv", "spans.jsonl"],
    "terms": ["loaded_terms.csv"],
    "campaign": ["campaign.json"],
    "card": ["README.md"],
}


def kinds_from(only):
    """The export kinds named in --only (comma-separated), in export order; CommandError if unknown."""
    if only is None:
        return list(exports.KINDS)
    wanted, unknown = set(), []
    for name in (part.strip() for part in only.split(",")):
        if name in exports.KINDS:
            wanted.add(name)
        elif name in SHORT:
            wanted.update(SHORT[name])
        elif name:
            unknown.append(name)
    if unknown or not wanted:
        choices = ", ".join([*SHORT, *exports.KINDS])
        raise CommandError(
            f"--only: unknown export {', '.join(map(repr, unknown)) or '(none given)'}; choose from {choices}"
        )
    return [kind for kind in exports.KINDS if kind in wanted]


class Command(BaseCommand):
    help = (
        "Write a campaign's reliability reports, claims and annotations, with its settings "
        "(campaign.json) and a data card (README.md), to a folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="campaign slug or name")
        parser.add_argument(
            "--out", required=True, help="folder to write into (created if missing)"
        )
        parser.add_argument(
            "--anonymise",
            action="store_true",
            help="replace reviewer and curator names by stable pseudonyms, also in free text",
        )
        parser.add_argument(
            "--only",
            help=f"comma-separated: {', '.join(SHORT)}, or file kinds such as annotations.jsonl",
        )

    def handle(self, *args, campaign, out, anonymise, only, **options):
        kinds = kinds_from(only)
        campaign = campaign_named(campaign)
        try:
            for path in write_folder(campaign, out, kinds, anonymise):
                self.stdout.write(f"wrote {path}")
        except FolderError as error:
            raise CommandError(str(error)) from error
