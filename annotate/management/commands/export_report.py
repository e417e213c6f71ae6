"""export_report: write a campaign's reports and annotation exports to files.

The files are byte for byte what the download links give (annotate.reports.exports).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotate.management.lookup import campaign_named
from annotate.reports import exports

# --only accepts the export names, or these short names.
SHORT = {
    "outlets": ["outlets.csv"],
    "documents": ["documents.csv"],
    "reviewers": ["reviewers.csv"],
    "annotations": ["annotations.csv", "annotations.jsonl"],
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
    help = "Write a campaign's reliability reports (CSV) and annotations (CSV, JSONL) to a folder."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="campaign slug or name")
        parser.add_argument(
            "--out", required=True, help="folder to write into (created if missing)"
        )
        parser.add_argument(
            "--anonymise",
            action="store_true",
            help="replace reviewer and curator names by stable pseudonyms",
        )
        parser.add_argument(
            "--only",
            help="comma-separated: outlets, documents, reviewers, annotations, "
            "or file kinds such as annotations.jsonl",
        )

    def handle(self, *args, campaign, out, anonymise, only, **options):
        kinds = kinds_from(only)
        campaign = campaign_named(campaign)
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"cannot create {folder}: {error.strerror}") from error
        for kind in kinds:
            path = folder / exports.filename(campaign, kind, anonymise)
            partial = path.with_name(path.name + ".partial")
            try:
                with partial.open("wb") as handle:
                    for chunk in exports.export(campaign, kind, anonymise):
                        handle.write(chunk.encode("utf-8"))
                partial.replace(path)  # never leave a half-written file under the real name
            except OSError as error:
                partial.unlink(missing_ok=True)
                raise CommandError(f"cannot write {path}: {error.strerror}") from error
            self.stdout.write(f"wrote {path}")
