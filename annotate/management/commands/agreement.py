import argparse
import csv
import json
import math

from django.core.management.base import BaseCommand

from annotate.agreement.selectors import TABLES, agreement_tables
from annotate.csvsafe import safe_cell
from annotate.management.lookup import campaign_named


def _count(text):
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _clean(value):
    return None if isinstance(value, float) and math.isnan(value) else value


class Command(BaseCommand):
    help = "Print a campaign's agreement report (the same numbers as the dashboard)."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="campaign name or slug")
        parser.add_argument("--format", choices=["text", "csv", "json"], default="text")
        parser.add_argument("--table", choices=list(TABLES), help="only this table")
        parser.add_argument(
            "--boot",
            type=_count,
            default=1000,
            help="bootstrap replicates for the alpha interval (0: none)",
        )
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
                # csv.writer quotes commas, quotes and line breaks (CR included) inside cells.
                self.stdout.write(f"# {name}")
                writer = csv.writer(self.stdout, lineterminator="\n")
                writer.writerow(frame.columns)
                for row in frame.itertuples(index=False):
                    writer.writerow([safe_cell(v) for v in row])
            else:
                self.stdout.write(f"\n== {name} ==")
                self.stdout.write(
                    frame.to_string(
                        index=False, float_format=lambda v: f"{v:.3f}", na_rep="undefined"
                    )
                    if len(frame)
                    else "(empty)"
                )
