import json
import math

from django.core.management.base import BaseCommand

from annotate.csvsafe import safe_cell
from annotate.frames import agreement_tables
from annotate.management.commands.import_annotations import campaign_named


def _clean(value):
    return None if isinstance(value, float) and math.isnan(value) else value


class Command(BaseCommand):
    help = "Print a campaign's agreement report (the same numbers as the dashboard)."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="campaign name or slug")
        parser.add_argument("--format", choices=["text", "csv", "json"], default="text")
        parser.add_argument("--table", help="only this table (overall, outlets, documents, labels, reviewers, pairs, coincidences)")
        parser.add_argument("--boot", type=int, default=1000, help="bootstrap replicates for the alpha interval")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, campaign, format, table, boot, seed, **options):
        tables = agreement_tables(campaign_named(campaign), n_boot=boot, seed=seed)
        if table:
            tables = {table: tables[table]}
        if format == "json":
            payload = {
                name: [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]
                for name, frame in tables.items()
            }
            self.stdout.write(json.dumps(payload, indent=2, default=str))
            return
        for name, frame in tables.items():
            if format == "csv":
                self.stdout.write(f"# {name}")
                self.stdout.write(",".join(map(str, frame.columns)))
                for row in frame.itertuples(index=False):
                    cells = [safe_cell(v) for v in row]
                    self.stdout.write(",".join(_csv(v) for v in cells))
            else:
                self.stdout.write(f"\n== {name} ==")
                self.stdout.write(frame.to_string(index=False, float_format=lambda v: f"{v:.3f}", na_rep="undefined") if len(frame) else "(empty)")


def _csv(value):
    text = str(value)
    if any(ch in text for ch in ',"\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text
