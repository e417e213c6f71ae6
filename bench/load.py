"""Load test: many reviewers annotating at once against gunicorn and PostgreSQL.

Run from the repository root:
``.venv/bin/python -m bench.load [--reviewers 50] [--seconds 60] [--workers N]``

1. Drops and recreates its own PostgreSQL database (default
   ``postgres://postgres@127.0.0.1:5432/credence_load``; ``--database-url`` or
   CREDENCE_LOAD_DATABASE_URL to change it), migrates it, imports the seed
   articles and copies them under further outlets (``--copies``, default 60:
   300 documents, about 14,600 passages), and makes an active campaign with
   overlap 3 and one reviewer account per simulated reviewer (real password
   hashing, as in production). ``--sqlite`` runs the same against a throwaway
   SQLite file instead (WAL; writers take turns).
2. Starts ``gunicorn credence.wsgi`` (``--workers``, default 2 x CPUs + 1, sync
   workers) on a free 127.0.0.1 port with DEBUG off. Not CREDENCE_ENV=production:
   that turns on secure cookies and the redirect to HTTPS, which plain HTTP on
   127.0.0.1 cannot satisfy; everything else that costs time per request
   (CSP header, CSRF, sessions in the database, login rate limiting) is on.
3. Every reviewer logs in (one every ``--login-gap`` s; timed apart, as password
   hashing is slow by design), then all start together, each after one pause,
   and for ``--seconds`` each loops: open the passage page, think for
   a compressed human pause (uniform 2-4 s, ``--think``: a reviewer's 10-20 s per
   passage, five times faster), post Save and next
   (which claims the following passage and redirects to it); one save in ten is
   followed by going back to an earlier passage and changing its answer. Every
   request's latency is measured; any status other than the expected one, or no
   response, is an error.
4. Stops gunicorn and checks the database against what the reviewers were told
   was saved: every acknowledged annotation exactly once with the last values
   posted, no passage with more done places than the overlap, one revision per
   change.

``--hog N`` starts N processes that each keep one core busy with pure arithmetic from
before the server starts until the database has been checked: the machine is then as
busy as a shared one, and the guarantees must hold all the same.

Prints a summary per request kind and ends with one line
``RESULT reviewers=... seconds=... hog=... rps=... p50_ms=... p95_ms=... errors=... expected=... found=...``.
Target on 2 cores: no errors, expected == found, p95 < 250 ms, with ``--hog 1`` too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

if __package__ in (None, ""):  # run as a file (python bench/load.py): find `bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import database, load_server, synthetic  # noqa: E402
from bench.load_core import Reviewer, summarise  # noqa: E402
from bench.measure import machine, percentile  # noqa: E402

ROOT = database.ROOT

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/credence_load"
PASSWORD = "load-test-password-7351"
OVERLAP = 3
TARGET_P95_MS = 250
# A reviewer reads a passage in context and labels it in 10-20 s; the benchmark compresses
# that five-fold, so 50 simulated reviewers ask what about 250 real ones would.
THINK = (2.0, 4.0)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviewers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers"
    )
    parser.add_argument("--copies", type=int, default=60, help="copies of the 5 seed articles")
    parser.add_argument("--think", type=float, nargs=2, default=THINK, metavar=("MIN", "MAX"))
    parser.add_argument(
        "--back", type=float, default=0.1, help="share of saves followed by a revision"
    )
    parser.add_argument(
        "--login-gap", type=float, default=0.25, help="seconds between two reviewers' logins"
    )
    parser.add_argument(
        "--no-analyze", action="store_true", help="skip ANALYZE after building (fresh statistics)"
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("CREDENCE_LOAD_DATABASE_URL", DEFAULT_URL)
    )
    parser.add_argument(
        "--sqlite", action="store_true", help="a throwaway SQLite file instead of PostgreSQL"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--hog", type=int, default=0, help="CPU-burning processes running for the whole run"
    )
    args = parser.parse_args()
    if args.reviewers < 1 or args.seconds <= 0 or args.workers < 1 or args.copies < 1:
        parser.error("--reviewers, --seconds, --workers and --copies must be positive")
    if args.hog < 0:
        parser.error("--hog must be 0 or more")
    return args


def build(copies, n_reviewers, analyze=True):
    """Seed articles copied under `copies` outlets, one active campaign; returns (slug, usernames)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from annotate.campaigns import services as campaign_services
    from corpus import figure_store
    from corpus.importer import import_path
    from corpus.models import Document, Passage, Source

    report = import_path(ROOT / "seeds")
    assert report.ok, report.errors
    seeds = list(Document.objects.select_related("source").order_by("source__name"))
    copied = []
    with transaction.atomic():
        for k in range(1, copies):
            outlet = Source.objects.create(name=f"Copy {k:03d}", slug=f"copy-{k:03d}")
            for seed in seeds:
                doc = Document.objects.create(
                    source=outlet,
                    title=seed.title,
                    text=seed.text,
                    byline=seed.byline,
                    published=seed.published,
                    segmentation=seed.segmentation,
                )
                Passage.objects.bulk_create(
                    Passage(
                        document=doc,
                        position=p.position,
                        start=p.start,
                        end=p.end,
                        text=p.text,
                        kind=p.kind,
                    )
                    for p in seed.passages.all()
                )
                copied.append(doc.pk)
        # As the importer does: figures are marked on the page.
        figure_store.store_for_documents(copied)
        campaign = synthetic.add_campaign(
            "Load test", "load", overlap=OVERLAP, guidelines="Label each passage."
        )
        # Documents and places as the app adds them: the queue's order is the app's own.
        campaign_services.add_documents(campaign, Document.objects.order_by("source__name", "pk"))
        # The production hasher: logins cost what they cost.
        users = synthetic.add_reviewers(
            campaign, n_reviewers, prefix="load", password=make_password(PASSWORD)
        )
        campaign_services.activate_campaign(campaign)
    # Without planner statistics the queue's "first open place" query sorts every open
    # place (91 ms at 3,600 places on PostgreSQL).
    if analyze:
        database.analyze(sqlite=True)
    return campaign.slug, [u.username for u in users]


def simulate(args, slug, usernames, port, server, database_name):
    reviewers = [
        Reviewer(
            "127.0.0.1", port, slug, name, PASSWORD, seed=i, think=tuple(args.think), back=args.back
        )
        for i, name in enumerate(usernames)
    ]
    barrier = threading.Barrier(len(reviewers) + 1)
    window = {}

    def body(reviewer, delay):
        time.sleep(delay)  # reviewers arrive one after another, not all in the same instant
        try:
            reviewer.login()
        except Exception as exc:  # noqa: BLE001 - counted as an error below
            reviewer.log.failures.append(("login", repr(exc)))
        barrier.wait()
        if not any(kind == "login" for kind, _ in reviewer.log.failures):
            reviewer.run(window["deadline"])

    threads = [
        threading.Thread(target=body, args=(r, i * args.login_gap), daemon=True)
        for i, r in enumerate(reviewers)
    ]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    # Everybody logs in first; the clock starts when the last login is done.
    while barrier.n_waiting < len(reviewers):
        time.sleep(0.05)
    login_seconds = time.perf_counter() - t0
    window["deadline"] = time.monotonic() + args.seconds
    before = load_server.server_cpu(server, database_name)
    start, client_start = time.perf_counter(), time.process_time()
    barrier.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    after = load_server.server_cpu(server, database_name)
    cpu = {k: sum(v - before[k].get(pid, 0) for pid, v in after[k].items()) for k in after}
    cpu["client"] = time.process_time() - client_start
    return [r.log for r in reviewers], elapsed, login_seconds, cpu


def verify(slug, logs):
    """Compare what reviewers were told was saved with the database."""
    from django.db.models import Count

    from annotate.models import Annotation, AnnotationRevision, Assignment

    expected, uncertain, revisions = {}, set(), 0
    for log in logs:
        uncertain |= log.uncertain
        for assignment_id, answers in log.posted.items():
            stored = [{"spans": [], **a, "markers": sorted(set(a["markers"]))} for a in answers]
            expected[assignment_id] = stored[-1]
            revisions += sum(1 for i, a in enumerate(stored) if i == 0 or a != stored[i - 1])
    annotations = Annotation.objects.filter(assignment__campaign__slug=slug)
    found = {a.assignment_id: a.snapshot() for a in annotations}
    places = Assignment.objects.filter(campaign__slug=slug, status="done")
    crowded = places.values("passage").annotate(n=Count("id")).filter(n__gt=OVERLAP).count()
    doubled = places.values("passage", "reviewer").annotate(n=Count("id")).filter(n__gt=1).count()
    return {
        "expected": len(expected),
        "found": sum(1 for k in expected if k in found),
        "lost": sorted(k for k in expected if k not in found and k not in uncertain),
        "wrong": sorted(
            k for k in expected if k in found and found[k] != expected[k] and k not in uncertain
        ),
        "unexpected": sorted(k for k in found if k not in expected and k not in uncertain),
        "annotations": len(found),
        "uncertain": len(uncertain),
        "crowded_passages": crowded,
        "doubled_places": doubled,
        "revisions_expected": revisions,
        "revisions_found": AnnotationRevision.objects.filter(
            annotation__assignment__campaign__slug=slug
        ).count(),
    }


def start_hogs(count):
    """`count` processes that each keep one core busy until stopped."""
    return [
        subprocess.Popen([sys.executable, "-c", "while True: pass"], stdin=subprocess.DEVNULL)
        for _ in range(count)
    ]


def stop_hogs(hogs):
    for hog in hogs:
        hog.kill()
    for hog in hogs:
        hog.wait()


def main():
    args = parse_args()
    print(f"{machine()} before the run")
    with database.workspace(
        "credence-load-",
        database_url=None if args.sqlite else args.database_url,
        keep=args.keep,
        must_contain="",
    ) as ws:
        database.configure(ws)
        database_env = (
            {"DATABASE_URL": ws.database_url}
            if ws.database_url
            else {"SQLITE_PATH": str(ws.sqlite_path)}
        )
        t = time.perf_counter()
        slug, usernames = build(args.copies, args.reviewers, analyze=not args.no_analyze)
        from django.db import connection

        from annotate.models import Assignment

        places = Assignment.objects.filter(campaign__slug=slug).count()
        connection.close()
        print(
            f"built database {ws.name}: {args.copies * 5} documents, {places:,} reviewer places, "
            f"{args.reviewers} reviewers ({time.perf_counter() - t:.1f} s)"
        )
        name = urlsplit(ws.database_url).path.lstrip("/") if ws.database_url else None
        port = load_server.free_port()
        hogs = start_hogs(args.hog)
        try:
            if hogs:
                print(f"{len(hogs)} CPU hog(s) running")
            server = load_server.start_gunicorn(
                database_env, args.workers, port, ws.folder / "gunicorn.log"
            )
            try:
                logs, elapsed, login_seconds, cpu = simulate(
                    args, slug, usernames, port, server, name
                )
            finally:
                load_server.stop_gunicorn(server)
            load = os.getloadavg()
            server_log = (ws.folder / "gunicorn.log").read_text()
            cpu["worker_ms"] = load_server.worker_times(
                ws.folder / "access.log", window_requests=sum(len(log.timings) for log in logs)
            )
            checked = verify(slug, logs)
        finally:
            stop_hogs(hogs)
    report(args, logs, elapsed, login_seconds, checked, server_log, load, cpu)


def report(args, logs, elapsed, login_seconds, checked, server_log, load, cpu):
    stats = summarise(logs, elapsed)
    n = max(stats["requests"], 1)
    print(
        f"gunicorn: {args.workers} sync workers; {args.reviewers} reviewers logged in within "
        f"{login_seconds:.1f} s (login median {stats['login_p50_ms']:.0f} ms, max {stats['login_max_ms']:.0f} ms)"
    )
    print(
        f"{stats['requests']} requests in {elapsed:.1f} s: {stats['rps']:.1f} requests/s, "
        f"median {stats['p50_ms']:.1f} ms, p95 {stats['p95_ms']:.1f} ms, max {stats['max_ms']:.1f} ms, "
        f"{stats['errors']} errors"
    )
    for kind, (count, p50, p95, worst) in stats["kinds"].items():
        print(
            f"  {kind:<5} x{count:<6} median {p50:7.1f} ms  p95 {p95:7.1f} ms  max {worst:7.1f} ms"
        )
    inside = cpu.pop("worker_ms")
    if inside:
        print(
            f"  inside the gunicorn workers: median {statistics.median(inside):.1f} ms, p95 "
            f"{percentile(inside, 95):.1f} ms (the rest of each latency is waiting for a free worker)"
        )
    per = {k: 1000 * v / n for k, v in cpu.items()}
    cores = os.cpu_count() or 1
    database = (
        "" if args.sqlite else f"PostgreSQL {cpu['postgres']:.1f} s ({per['postgres']:.1f} ms), "
    )
    print(
        f"CPU during the window: gunicorn {cpu['gunicorn']:.1f} s ({per['gunicorn']:.1f} ms per request), "
        f"{database}this script's simulated browsers {cpu['client']:.1f} s ({per['client']:.1f} ms), "
        f"of {elapsed * cores:.0f} CPU-seconds the machine had"
    )
    # Each passage costs a page and a save per think pause, so at zero latency a reviewer asks 2 / mean pause.
    asked = args.reviewers * 2 / (sum(args.think) / 2)
    print(
        f"  so this machine, idle, could serve at most ~{1000 * cores / sum(per.values()):.0f} requests/s "
        f"with every core busy; {args.reviewers} reviewers pausing {args.think[0]:g}-{args.think[1]:g} s "
        f"ask for ~{asked:.0f}/s when answered at once"
    )
    failures = [f for log in logs for f in log.failures]
    for kind, what in failures[:10]:
        print(f"  error ({kind}): {what}")
    tracebacks = server_log.count("Traceback")
    if tracebacks:
        print(f"  gunicorn log: {tracebacks} traceback(s); last lines:\n{server_log[-2000:]}")
    print(
        f"saves acknowledged: {checked['expected']} assignments; found in the database: {checked['found']} "
        f"({checked['annotations']} annotations in all; lost {len(checked['lost'])}, wrong values "
        f"{len(checked['wrong'])}, unexpected {len(checked['unexpected'])}, uncertain {checked['uncertain']})"
    )
    print(
        f"passages over the overlap: {checked['crowded_passages']}; reviewers twice on one passage: "
        f"{checked['doubled_places']}; revisions expected {checked['revisions_expected']}, "
        f"found {checked['revisions_found']}"
    )
    dry = sum(1 for log in logs if log.ran_dry)
    if dry:
        print(f"  {dry} reviewer(s) ran out of passages (raise --copies)")
    intact = (
        not checked["lost"]
        and not checked["wrong"]
        and not checked["unexpected"]
        and not checked["crowded_passages"]
        and not checked["doubled_places"]
        and checked["revisions_expected"] == checked["revisions_found"]
    )
    met = stats["errors"] == 0 and intact and stats["p95_ms"] < TARGET_P95_MS
    print(
        f"load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1/5/15 min) at the end of the run"
    )
    print(
        f"target (no errors, nothing lost or duplicated, p95 < {TARGET_P95_MS} ms): {'met' if met else 'MISSED'}"
    )
    print(
        f"RESULT reviewers={args.reviewers} seconds={args.seconds:g} hog={args.hog} "
        f"rps={stats['rps']:.1f} "
        f"p50_ms={stats['p50_ms']:.1f} p95_ms={stats['p95_ms']:.1f} errors={stats['errors']} "
        f"expected={checked['expected']} found={checked['found']}"
    )


if __name__ == "__main__":
    main()
