"""How fast annotations made elsewhere come in: the import_annotations command on 30,000
annotations.

Run from the repository root: ``.venv/bin/python -m bench.interchange [--passages N]
[--annotators K] [--span-share S]``.

Builds, in a fresh SQLite file (or ``--database-url`` PostgreSQL), 10,000 passages (200
documents of 50 from 20 outlets) in an active campaign with overlap 3 and its reviewer
places (``sync_slots``, as a running campaign has them); writes a CSV of 30,000 annotations
(3 annotators per passage, new names, so the import makes their accounts; a third of the
rows carry an evidence span, the passage's first word marked as a named person, checked
by the importer); then times ``manage.py import_annotations FILE --campaign NAME`` in
process (parsing, checks, places, annotations, revisions). Ends with one line

    RESULT annotations=30000 command_s=... annotations_per_s=... api_s=... web_peak_mb=...

The API measurement makes a second campaign over the same passages, starts gunicorn (one
sync worker, the production settings' way in) and a job worker (``manage.py db_worker``),
posts the same CSV to ``/api/v1/campaigns/<slug>/annotations/import/`` with a personal
token, and polls the job's status until it is done: ``api_s`` is from the upload's first
byte to the job's end, ``web_peak_mb`` the gunicorn worker's peak resident memory (VmHWM),
which must not grow with the file: the upload streams to disk and the import runs in the
job worker. Target: no slower than 3,000 annotations/s.

Target: 10,000 annotations/s or more on SQLite. Each measurement is a function of
MEASURES taking the set-up and returning its figures, so another way in (the REST API:
``api_s``, the web process's ``web_peak_mb``) is one more function; figures nobody measured
print as ``n/a``. The database is deleted at the end unless CREDENCE_BENCH_KEEP is set.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a file (python bench/interchange.py): find `bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import database, synthetic  # noqa: E402
from bench.measure import machine, peak_mb  # noqa: E402
from bench.scheme import CITED, LABELS, MARKERS  # noqa: E402

PASSAGES_PER_DOCUMENT = 50
N_PASSAGES = 10_000
ANNOTATORS = 3
OVERLAP = 3
SPAN_SHARE = 1 / 3
TARGET_PER_S = 10_000
CAMPAIGN = "Bench interchange"
FIGURES = ("annotations", "command_s", "annotations_per_s", "api_s", "web_peak_mb")


@dataclass
class Setup:
    campaign: object
    csv_path: Path
    annotations: int
    database_env: dict
    folder: Path


def build(n_passages, annotators):
    """The corpus, the campaign and its places; returns (campaign, passages as (id, start,
    text) in reading order)."""
    from django.db import transaction

    from annotate.campaigns import services as campaign_services
    from annotate.models import Campaign
    from corpus.models import Passage

    t0 = time.perf_counter()
    n_documents = -(-n_passages // PASSAGES_PER_DOCUMENT)
    sizes = [PASSAGES_PER_DOCUMENT] * n_documents
    sizes[-1] = n_passages - PASSAGES_PER_DOCUMENT * (n_documents - 1)
    with transaction.atomic():
        corpus = synthetic.add_corpus(sizes)
        campaign = synthetic.add_campaign(
            CAMPAIGN,
            "bench-interchange",
            overlap=max(OVERLAP, annotators),
            status=Campaign.Status.ACTIVE,
            document_ids=corpus.document_ids,
        )
    places = campaign_services.sync_slots(campaign)
    passages = list(
        Passage.objects.filter(pk__in=corpus.passage_ids)
        .order_by("pk")
        .values_list("pk", "start", "text")
    )
    print(
        f"built {len(passages):,} passages in {n_documents:,} documents, {places:,} places "
        f"({time.perf_counter() - t0:.1f}s)"
    )
    return campaign, passages


def annotation_csv(path, passages, annotators, span_share):
    """The import file: ``annotators`` rows per passage; returns how many rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["passage", "annotator", "label", "cited_type", "markers", "confidence", "spans"]
    )
    every = round(1 / span_share) if span_share else 0
    rows = 0
    for i, (pk, start, text) in enumerate(passages):
        for a in range(annotators):
            label = LABELS[(i + (a if i % 4 == 0 else 0)) % len(LABELS)]  # some disagreement
            spans = ""
            cited = CITED[(i + a) % len(CITED)] if i % 5 == 0 else ""
            if every and rows % every == 0:
                word = text.split(" ", 1)[0]
                spans = json.dumps(
                    [
                        {
                            "layer": "source",
                            "label": "named_person",
                            "start": start,
                            "end": start + len(word),
                            "text": word,
                        }
                    ]
                )
            markers = MARKERS[i % len(MARKERS)] if i % 7 == a else ""
            writer.writerow(
                [pk, f"coder-{a + 1}", label, cited, markers, ("low", "medium", "high")[a], spans]
            )
            rows += 1
    path.write_text(out.getvalue(), encoding="utf-8")
    print(f"wrote {rows:,} annotations ({path.stat().st_size / 1e6:.1f} MB) to {path.name}")
    return rows


def measure_command(setup: Setup) -> dict:
    """Time ``import_annotations FILE --campaign NAME`` in process."""
    from django.core.management import call_command

    from annotate.models import Annotation, AnnotationRevision

    before = Annotation.objects.count()
    out = io.StringIO()
    started = time.perf_counter()
    call_command("import_annotations", str(setup.csv_path), "--campaign", CAMPAIGN, stdout=out)
    seconds = time.perf_counter() - started
    created = Annotation.objects.count() - before
    assert created == setup.annotations, (created, out.getvalue())
    assert AnnotationRevision.objects.count() >= created
    print(out.getvalue().strip())
    print(f"command: {seconds:.2f}s, {created / seconds:,.0f} annotations/s; {machine()}")
    return {
        "annotations": created,
        "command_s": f"{seconds:.2f}",
        "annotations_per_s": f"{created / seconds:.0f}",
    }


def _multipart(path, boundary):
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{path.name}"\r\nContent-Type: text/csv\r\n\r\n'
    ).encode()
    return head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()


def _vm_hwm_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure_api(setup: Setup) -> dict:
    """Time the same import through the REST API, a gunicorn worker and a job worker."""
    import http.client
    import subprocess
    import uuid

    from django.contrib.auth import get_user_model
    from django.db import connection

    from annotate.api.services import create_token
    from annotate.campaigns import services as campaign_services
    from annotate.models import Annotation, Campaign
    from bench import load_server

    staff = get_user_model().objects.create_user("bench-api", is_staff=True)
    token, raw = create_token(staff, "bench")
    second = synthetic.add_campaign(
        CAMPAIGN + " API",
        "bench-interchange-api",
        overlap=setup.campaign.overlap,
        status=Campaign.Status.ACTIVE,
        document_ids=list(setup.campaign.documents.values_list("pk", flat=True)),
    )
    campaign_services.sync_slots(second)
    connection.close()  # gunicorn and the worker write to the same database
    env = {**setup.database_env, "CREDENCE_JOB_FILES": str(setup.folder / "jobs")}
    port = load_server.free_port()
    server = load_server.start_gunicorn(env, 1, port, setup.folder / "gunicorn.log")
    worker_log = open(setup.folder / "worker.log", "w")  # noqa: SIM115 - closed below
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
        cwd=database.ROOT,
        env={**os.environ, **env, "DEBUG": "false", "CREDENCE_ENV": "development"},
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    try:
        boundary = uuid.uuid4().hex
        body = _multipart(setup.csv_path, boundary)
        headers = {
            "Authorization": f"Bearer {raw}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        }
        started = time.perf_counter()
        web = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        web.request("POST", f"/api/v1/campaigns/{second.slug}/annotations/import/", body, headers)
        answer = web.getresponse()
        job = json.loads(answer.read())
        assert answer.status == 202, (answer.status, job)
        deadline = time.monotonic() + 600
        while True:
            web.request("GET", job["status_url"], headers={"Authorization": f"Bearer {raw}"})
            reply = web.getresponse()
            state = json.loads(reply.read())
            if state["status"] in ("done", "failed") or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        seconds = time.perf_counter() - started
        children = [
            int(p)
            for p in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        ]
        web_peak = max(_vm_hwm_mb(pid) for pid in children) if children else float("nan")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        worker_log.close()
        load_server.stop_gunicorn(server)
    assert state["status"] == "done", state
    created = Annotation.objects.filter(assignment__campaign=second).count()
    assert created == setup.annotations, created
    print(
        f"API: {seconds:.2f}s from upload to the job's end, {created / seconds:,.0f} annotations/s;"
        f" gunicorn worker peak {web_peak:.0f} MB; {machine()}"
    )
    return {"api_s": f"{seconds:.2f}", "web_peak_mb": f"{web_peak:.0f}"}


# One function per way in; each takes the Setup and returns some of FIGURES.
MEASURES = {"command": measure_command, "api": measure_api}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=N_PASSAGES)
    parser.add_argument("--annotators", type=int, default=ANNOTATORS)
    parser.add_argument("--span-share", type=float, default=SPAN_SHARE)
    parser.add_argument("--database-url", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    with database.workspace("credence-bench-interchange-", database_url=args.database_url) as ws:
        database.configure(ws)
        print(f"database: {ws.name}; {machine()}")
        campaign, passages = build(args.passages, args.annotators)
        database.analyze()
        path = ws.folder / "annotations.csv"
        count = annotation_csv(path, passages, args.annotators, args.span_share)
        database_env = (
            {"DATABASE_URL": ws.database_url}
            if ws.database_url
            else {"SQLITE_PATH": str(ws.sqlite_path)}
        )
        setup = Setup(campaign, path, count, database_env, ws.folder)
        figures = dict.fromkeys(FIGURES, "n/a")
        for measure in MEASURES.values():
            figures.update(measure(setup))
    per_s = float(figures["annotations_per_s"])
    print(
        f"target ({TARGET_PER_S:,} annotations/s): {'met' if per_s >= TARGET_PER_S else 'MISSED'}; "
        f"peak memory {peak_mb():.0f} MB; {machine()}"
    )
    print("RESULT " + " ".join(f"{name}={figures[name]}" for name in FIGURES))


if __name__ == "__main__":
    main()
