"""Benchmark: streaming the annotation export of 1,000,000 annotations, and the per-outlet report.

Run with `.venv/bin/python bench/export.py` (SQLite in a temporary file, via SQLITE_PATH), or
`--database-url postgres://postgres@127.0.0.1:5432/credence_bench_export` for PostgreSQL (that
database is dropped and created afresh, so its name must contain "bench").

A child process writes the synthetic campaign of bench/agreement.py (300,000 passages in about
6,000 documents from 20 outlets, 50 reviewers, exactly 1,000,000 annotations, overlap 4), then
gives every place a claim time 40 s before its save, adjudicates every 20th passage and puts a
note on every 50th annotation (a third of them starting with "=", to exercise neutralisation).

This process then measures, on the database:
  (a) the annotation CSV (annotate.exports.export(campaign, "annotations.csv")), streamed into
      a temporary file as a download would be: rows, wall-clock seconds, rows per second,
      CPU seconds, and peak memory = getrusage maxrss of this process after the export (the
      whole process, Django and pandas included; the report has not run yet);
  (b) report_s: the per-outlet report page (annotate:reports, 1,000 bootstrap replicates per
      outlet) requested through Django's test client as a staff user: load, maths, template;
      the second request is timed (the first also imports modules and compiles templates).

Targets: peak under 300 MB, at least 100,000 rows/s on SQLite, the report under 5 s. Other
work on the machine slows both: the load average is printed beside the figures. Ends with
exactly one line:

    RESULT rows=... rows_per_s=... peak_mb=... report_s=...
"""

import argparse
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import agreement  # bench/agreement.py: the synthetic campaign (bench/ is on sys.path)

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"peak_mb": 300, "rows_per_s": 100_000, "report_s": 5.0}


def prepare(database_url, sqlite_path, n_passages, seed):
    """Child process: bench/agreement.py's campaign, plus claim times, decisions and notes."""
    agreement.generate(database_url, sqlite_path, n_passages, seed)
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.db.models import F

    from annotate.models import Adjudication, Annotation, Assignment, Campaign

    campaign = Campaign.objects.get(name=agreement.CAMPAIGN)
    with transaction.atomic():
        Assignment.objects.filter(campaign=campaign).update(
            claimed_at=F("done_at") - timedelta(seconds=40)
        )
        Annotation.objects.filter(id__endswith="00").update(note="=SUM(A1) looks off")
        Annotation.objects.filter(id__endswith="50").update(note="checked against the source")
        Annotation.objects.filter(id__endswith="25").update(note="unsure about the attribution")
        curator = get_user_model().objects.create(username="bench-curator", password="!")
        passages = Assignment.objects.filter(campaign=campaign, slot=1).values_list(
            "passage_id", flat=True
        )
        Adjudication.objects.bulk_create(
            (
                Adjudication(
                    campaign=campaign,
                    passage_id=pk,
                    label="opinion",
                    cited_type="",
                    markers=["loaded_language"],
                    rationale="decided in the benchmark",
                    decided_by=curator,
                )
                for pk in passages.iterator()
                if pk % 20 == 0
            ),
            batch_size=5000,
        )
        get_user_model().objects.create(username="bench-staff", is_staff=True, password="!")
    if connection.vendor == "sqlite":
        with (
            connection.cursor() as cursor
        ):  # fold the write-ahead log into the file before timing reads
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print("prepared claim times, decisions and notes", flush=True)


def load_average():
    return os.getloadavg()[0]


def measure_export(campaign, folder):
    from annotate.reports import exports

    path = Path(folder) / "annotations.csv"
    lines = 0
    wall, cpu = time.perf_counter(), time.process_time()
    with path.open("w", encoding="utf-8", newline="") as handle:
        for chunk in exports.export(campaign, "annotations.csv"):
            handle.write(chunk)
            lines += chunk.count("\r\n")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    size = path.stat().st_size
    path.unlink()
    return lines - 1, wall, cpu, peak, size  # less the header


def measure_report(campaign):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-staff"))
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(reverse("annotate:reports", args=[campaign.slug]))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if response.status_code != 200:
        sys.exit(f"report page answered {response.status_code}")
    return wall, cpu, len(response.content)


def measure(folder):
    from annotate.models import Annotation, Campaign

    campaign = Campaign.objects.select_related("scheme").get(name=agreement.CAMPAIGN)
    count = Annotation.objects.filter(assignment__campaign=campaign).count()
    before = load_average()
    rows, wall, cpu, peak, size = measure_export(campaign, folder)
    if rows != count:
        sys.exit(f"MISMATCH exported {rows} rows for {count} annotations")
    rate = rows / wall
    print(
        f"export: {rows:,} rows, {size / 1e6:.0f} MB of CSV in {wall:.2f} s wall ({rate:,.0f} rows/s), "
        f"{cpu:.2f} s CPU ({rows / cpu:,.0f} rows/s of CPU); peak maxrss {peak:.0f} MB; "
        f"load average {before:.2f} -> {load_average():.2f}",
        flush=True,
    )
    before = load_average()
    first_s, _, _ = measure_report(
        campaign
    )  # the first request also imports and compiles templates
    report_s, report_cpu, html = measure_report(campaign)
    report_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"report: per-outlet page ({html / 1e3:.0f} kB) in {report_s:.2f} s wall, {report_cpu:.2f} s CPU "
        f"(first request {first_s:.2f} s); peak maxrss after it {report_peak:.0f} MB; "
        f"load average {before:.2f} -> {load_average():.2f}"
    )
    figures = {"peak_mb": peak, "rows_per_s": rate, "report_s": report_s}
    for key, target in TARGETS.items():
        ok = figures[key] >= target if key == "rows_per_s" else figures[key] < target
        print(f"  {key}: {figures[key]:,.2f} ({'meets' if ok else 'MISSES'} target {target:,})")
    print(f"RESULT rows={rows} rows_per_s={rate:.0f} peak_mb={peak:.0f} report_s={report_s:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--database-url",
        help="PostgreSQL URL (dropped and recreated); default SQLite in a temp file",
    )
    parser.add_argument("--passages", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--keep", metavar="SQLITE_FILE", help="keep the generated SQLite database at this path"
    )
    parser.add_argument(
        "--reuse",
        metavar="SQLITE_FILE",
        nargs="?",
        const="",
        help="measure an already prepared database (this SQLite file, or --database-url) again",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="credence-export-bench-"))
    sqlite_path = Path(args.reuse or args.keep or workdir / "bench.sqlite3")
    try:
        if args.reuse is None:
            if args.database_url:
                agreement.recreate_postgres_database(args.database_url)
            # A separate process writes the data, so peak_mb measures the export alone.
            child = multiprocessing.get_context("spawn").Process(
                target=prepare, args=(args.database_url, sqlite_path, args.passages, args.seed)
            )
            child.start()
            child.join()
            if child.exitcode != 0:
                sys.exit(f"generation failed (exit code {child.exitcode})")
        os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
        agreement.setup_django(args.database_url, sqlite_path)
        measure(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
