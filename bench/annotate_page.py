"""Server time of the annotation page and of Save-and-next on a large campaign.

Run from the repository root: ``.venv/bin/python -m bench.annotate_page [repeats]`` (default 200).

Builds, in a fresh SQLite file, a campaign of 100,000 passages (2,000 documents of
50 passages from 20 outlets) with overlap 3, so 300,000 assignment slots made by
``campaign_services.sync_slots``. The first 97 % of the reading order is fully labelled
(291,000 DONE slots, each with its annotation, by 50 reviewers; a third of the
annotations carry an evidence span, a cited source on the passage's first word); the rest is open,
and every reviewer but the measured one holds a claim there, as during a live
campaign. Then, in-process with ``django.test.Client``, one reviewer with work
left alternates GET of their annotation page and the Save-and-next POST (saves,
claims the next passage, redirects), ``repeats`` times each; every third save marks the
passage's first word as the cited source (a span, checked by the server). Prints median and
95th percentile in ms and the SQL queries per request, ending with one line

    RESULT page_median_ms=... page_p95_ms=... save_median_ms=... save_p95_ms=... page_queries=... save_queries=... span_save_queries=...

Targets: median < 30 ms and p95 < 60 ms for both. The database (~120 MB) is
deleted at the end unless CREDENCE_BENCH_KEEP is set.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file (python bench/annotate_page.py): find `bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import database, synthetic  # noqa: E402
from bench.measure import machine, percentile  # noqa: E402
from bench.scheme import LABELS  # noqa: E402

N_DOCUMENTS = 2_000
PASSAGES_PER_DOCUMENT = 50
OVERLAP = 3
N_REVIEWERS = synthetic.N_REVIEWERS
DONE_FRACTION = 0.97
WARMUP = 5
TARGET_MEDIAN_MS = 30
TARGET_P95_MS = 60
FIRST_TOKEN = re.compile(
    r'id="span-text"[^>]*><span class="tok[^"]*" data-s="(\d+)" data-e="(\d+)"'
)


def passage_text(d, p):
    return (
        f"Passage {p} of document {d}: the ministry said on Tuesday that {p * 7 + d % 13} "
        f"shipments had been delayed, according to officials quoted by the outlet."
    )


def title(d):
    return f"Document {d}: shipments delayed"


def build():
    """Create the corpus, the campaign and its labels; return (campaign, measured reviewer)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from annotate.campaigns import services as campaign_services
    from annotate.models import Annotation, Assignment, Campaign
    from annotate.queue import services
    from corpus.models import Passage

    now = timezone.now()
    t0 = time.perf_counter()
    with transaction.atomic():
        corpus = synthetic.add_corpus(
            [PASSAGES_PER_DOCUMENT] * N_DOCUMENTS,
            title=title,
            passage_text=passage_text,
            headline_first=True,
        )
        campaign = synthetic.add_campaign(
            "Bench campaign",
            "bench",
            overlap=OVERLAP,
            status=Campaign.Status.ACTIVE,
            document_ids=corpus.document_ids,
        )
        reviewers = synthetic.add_reviewers(campaign, N_REVIEWERS)
    t1 = time.perf_counter()
    slots = campaign_services.sync_slots(campaign)
    t2 = time.perf_counter()

    # Fill the first DONE_FRACTION of the reading order: the three slots of a
    # passage go to three distinct reviewers (offsets 0, 17, 34 modulo 50).
    n_passages = N_DOCUMENTS * PASSAGES_PER_DOCUMENT
    cutoff = int(n_passages * DONE_FRACTION)
    a = Assignment._meta.db_table
    ann = Annotation._meta.db_table
    pas = Passage._meta.db_table
    # A third of the annotations mark the passage's first word ("Passage") as the source.
    span = (
        "CASE WHEN (a.sequence % 3) = 0 THEN "
        '\'[{"layer": "source", "label": "official_body", "start": \' || p.start || '
        "', \"end\": ' || (p.start + 7) || ', \"text\": \"Passage\"}]' ELSE '[]' END"
    )
    reviewer_case = " ".join(f"WHEN {i} THEN {u.pk}" for i, u in enumerate(reviewers))
    label_case = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(LABELS))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {a} SET status = 'done', done_at = %s, "
            f"reviewer_id = CASE ((sequence + (slot - 1) * 17) % {N_REVIEWERS}) {reviewer_case} END "
            f"WHERE campaign_id = %s AND sequence < %s",
            [now, campaign.pk, cutoff],
        )
        cursor.execute(
            f"INSERT INTO {ann} (assignment_id, label, cited_source, cited_type, markers, "
            f"spans, confidence, note, guidelines_version, created_at, updated_at) "
            f"SELECT a.id, CASE ((a.sequence * 7 + a.slot) % 3) {label_case} END, '', '', '[]', "
            f"{span}, 'medium', '', 1, %s, %s FROM {a} a JOIN {pas} p ON p.id = a.passage_id "
            f"WHERE a.campaign_id = %s AND a.status = 'done'",
            [now, now, campaign.pk],
        )
    # Everybody else is mid-passage in the open tail, as during a live campaign.
    measured = reviewers[0]
    for reviewer in reviewers[1:]:
        services.claim_next(campaign, reviewer)
    t3 = time.perf_counter()
    done = Assignment.objects.filter(campaign=campaign, status="done").count()
    with_spans = Annotation.objects.exclude(spans=[]).count()
    print(
        f"built {n_passages:,} passages, {slots:,} slots, {done:,} done with "
        f"{Annotation.objects.count():,} annotations ({with_spans:,} with a span), "
        f"{N_REVIEWERS} reviewers "
        f"(corpus {t1 - t0:.1f}s, sync_slots {t2 - t1:.1f}s, labels {t3 - t2:.1f}s)"
    )
    return campaign, measured


class SqlTimer:
    """Wall time spent inside cursor.execute, measured precisely (CaptureQueriesContext
    rounds to whole milliseconds); COMMITs do not pass through here."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - t


def timed(client, method, url, data=None):
    """One request: (response, wall ms, CPU ms of this process, SQL execute ms, queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timer = SqlTimer()
    with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(timer):
        t, cpu = time.perf_counter(), time.process_time()
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        wall, cpu = (time.perf_counter() - t) * 1000, (time.process_time() - cpu) * 1000
    return response, wall, cpu, timer.seconds * 1000, ctx.captured_queries


def measure(campaign, reviewer, repeats):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(reviewer)
    response = client.post(reverse("annotate:next", args=[campaign.slug]))
    assert response.status_code == 302, response.status_code
    url = response["Location"]
    assert "/p/" in url, f"the reviewer got no passage: {url}"

    runs = {
        name: {
            "ms": [],
            "cpu_ms": [],
            "sql_ms": [],
            "commit_ms": [],
            "queries": [],
            "slowest": (0, []),
        }
        for name in ("page", "save")
    }
    span_save_queries = []
    for i in range(repeats + WARMUP):
        page = timed(client, "get", url)
        assert page[0].status_code == 200, (url, page[0].status_code)
        data = {
            "label": LABELS[i % 3],
            "confidence": "medium",
            "cited_source": "",
            "cited_type": "",
            "note": "",
        }
        if i % 3 == 0:  # mark the first word, as the reviewer would by mouse or keyboard
            start, end = map(int, FIRST_TOKEN.search(page[0].content.decode()).groups())
            data["spans"] = json.dumps(
                [{"layer": "source", "label": "official_body", "start": start, "end": end}]
            )
            data["cited_type"] = "official_body"
        save = timed(client, "post", url, data)
        assert save[0].status_code == 302, (url, save[0].status_code, save[0].content[:500])
        following = save[0]["Location"]
        assert "/p/" in following and following != url, (
            f"Save-and-next did not move on: {following}"
        )
        url = following
        if i < WARMUP:
            continue
        if "spans" in data:
            span_save_queries.append(len(save[4]))
        for name, (_, wall, cpu, sql_ms, queries) in (("page", page), ("save", save)):
            run = runs[name]
            run["ms"].append(wall)
            run["cpu_ms"].append(cpu)
            run["sql_ms"].append(sql_ms)
            run["commit_ms"].append(
                sum(float(q["time"]) * 1000 for q in queries if q["sql"] == "COMMIT")
            )
            run["queries"].append(len(queries))
            if wall > run["slowest"][0]:
                run["slowest"] = (wall, queries)
    runs["span_save_queries"] = span_save_queries
    return runs


def describe(name, run):
    ms, queries = run["ms"], run["queries"]
    spread = f"{min(queries)}" if min(queries) == max(queries) else f"{min(queries)}-{max(queries)}"
    print(
        f"{name}: median {statistics.median(ms):.1f} ms, p95 {percentile(ms, 95):.1f} ms, "
        f"max {max(ms):.1f} ms; {spread} SQL statements per request (BEGIN/COMMIT included)"
    )
    print(
        f"  median CPU {statistics.median(run['cpu_ms']):.1f} ms (wall minus CPU is waiting: I/O or a "
        f"busy machine); median {statistics.median(run['sql_ms']):.1f} ms in cursor.execute, "
        f"mean {statistics.mean(run['commit_ms']):.1f} ms in COMMIT, the rest is Python"
    )
    wall, queries = run["slowest"]
    print(
        f"  slowest request {wall:.1f} ms; its slowest statements (ms, CaptureQueriesContext resolution):"
    )
    for q in sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:3]:
        print(f"    {float(q['time']) * 1000:6.0f}  {q['sql'][:240]}")


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with database.workspace("credence-bench-") as ws:
        database.configure(ws)
        print(f"database: {ws.name}; {machine()}")
        campaign, reviewer = build()
        runs = measure(campaign, reviewer, repeats)
    describe(f"annotation page GET x{repeats}", runs["page"])
    describe(f"Save-and-next POST x{repeats}", runs["save"])
    page, save = runs["page"], runs["save"]
    ok = all(
        statistics.median(r["ms"]) < TARGET_MEDIAN_MS and percentile(r["ms"], 95) < TARGET_P95_MS
        for r in (page, save)
    )
    print(
        f"targets (median < {TARGET_MEDIAN_MS} ms, p95 < {TARGET_P95_MS} ms): {'met' if ok else 'MISSED'}"
    )
    print(
        f"RESULT page_median_ms={statistics.median(page['ms']):.1f} "
        f"page_p95_ms={percentile(page['ms'], 95):.1f} "
        f"save_median_ms={statistics.median(save['ms']):.1f} "
        f"save_p95_ms={percentile(save['ms'], 95):.1f} "
        f"page_queries={max(page['queries'])} save_queries={max(save['queries'])} "
        f"span_save_queries={max(runs['span_save_queries'])}"
    )


if __name__ == "__main__":
    main()
