"""A worker killed during a large import (gunicorn's timeout does this with SIGKILL) leaves
no process and no open transaction behind (issue 15, item 1).

The importer runs in a real process that segments a large import in its worker pool and
stops, inside its transaction, once the pool has answered. The test kills that process
with SIGKILL and waits, polling with a bound, for its worker processes to disappear and
for its database session to end. Linux only, like the deployment (/proc, prctl).
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from corpus import segmentation
from corpus.importer import import_path
from corpus.models import Document, Source

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
OUTLET = "Killed Import Gazette"
WAIT = 120  # seconds: a generous bound on a loaded machine, not an expected duration

# Run as a script, so that it starts like manage.py or gunicorn; everything happens under
# the __main__ guard because the pool's workers import this file again.
IMPORTER = """
import sys
import time
from pathlib import Path


def main(jsonl, ready):
    import django

    django.setup()
    from django.db import connection

    from corpus import importer, segmentation

    segment_many = segmentation.segment_many

    def stalled(texts, mode):
        found = segment_many(texts, mode, workers=2)
        first = next(found)  # the pool is running and has answered
        with connection.cursor() as cursor:  # inside the import's transaction
            backend = None
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_backend_pid()")
                backend = cursor.fetchone()[0]
        Path(ready + ".tmp").write_text(str(backend))
        Path(ready + ".tmp").rename(ready)
        time.sleep(600)  # killed here
        yield first
        yield from found

    segmentation.segment_many = stalled
    importer.import_path(jsonl)


if __name__ == "__main__":
    main(*sys.argv[1:])
"""


def large_import(path):
    """Distinct copies of the seed articles, adding up to enough text for the worker pool."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    records, total, n = [], 0, 0
    while total < segmentation.PARALLEL_MIN_CHARS * 1.1:
        text = f"{texts[n % len(texts)]}\n\nCopy {n}."
        records.append({"outlet": OUTLET, "title": f"Copy {n}", "text": text})
        total, n = total + len(text), n + 1
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def database_env():
    """The environment that points a fresh process at this test's database."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        env["DATABASE_URL"] = (
            f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST'] or '127.0.0.1'}"
            f":{db['PORT'] or 5432}/{db['NAME']}"
        )
    else:
        env["SQLITE_PATH"] = str(db["NAME"])
    env["DJANGO_SETTINGS_MODULE"] = "credence.settings"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def stat(pid):
    """(parent pid, state, start time) of a process from /proc, or None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return int(fields[1]), fields[0], int(fields[19])


def descendants(root):
    """{pid: start time} of every live process below `root`."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (info := stat(int(entry.name))):
            children.setdefault(info[0], []).append(int(entry.name))
    found, todo = {}, [root]
    while todo:
        for pid in children.get(todo.pop(), []):
            if (info := stat(pid)) and info[1] not in "ZX":
                found[pid] = info[2]
                todo.append(pid)
    return found


def alive(pid, started):
    """Running, not merely a zombie waiting to be reaped, and not a new process with its pid."""
    info = stat(pid)
    return info is not None and info[1] not in "ZX" and info[2] == started


def wait_for(condition, what):
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"still {what} after {WAIT} s"
        time.sleep(0.05)


def session_open(backend):
    with connection.cursor() as cursor:
        cursor.execute("SELECT state FROM pg_stat_activity WHERE pid = %s", [backend])
        row = cursor.fetchone()
    return row is not None


@pytest.mark.django_db(transaction=True)
def test_a_killed_import_leaves_no_worker_process_and_no_open_transaction(tmp_path):
    jsonl = large_import(tmp_path / "large.jsonl")
    script = tmp_path / "run_import.py"
    script.write_text(IMPORTER, encoding="utf-8")
    ready = tmp_path / "ready"
    importer = subprocess.Popen(
        [sys.executable, str(script), str(jsonl), str(ready)],
        cwd=ROOT,
        env=database_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    workers = {}
    try:
        wait_for(lambda: ready.exists() or importer.poll() is not None, "no pool running")
        assert importer.poll() is None, importer.stderr.read().decode()
        backend = ready.read_text()
        workers = descendants(importer.pid)
        assert len(workers) >= 2, "the import did not run its worker pool"

        importer.send_signal(signal.SIGKILL)
        importer.wait(WAIT)

        wait_for(
            lambda: not any(alive(pid, started) for pid, started in workers.items()),
            "worker processes alive after their parent was killed",
        )
        if connection.vendor == "postgresql":
            wait_for(lambda: not session_open(int(backend)), "the killed import's session open")
    finally:
        # Whatever failed above, leave no process of this test behind.
        for pid, started in workers.items():
            if alive(pid, started):
                os.kill(pid, signal.SIGKILL)
        if importer.poll() is None:
            importer.kill()
            importer.wait()
        importer.stderr.close()

    # Nothing of the killed import was kept, and nothing of it blocks the next import of
    # the same outlet (on SQLite this waits on the write lock if one were still held).
    assert not Source.objects.filter(name=OUTLET).exists()
    small = tmp_path / "small.jsonl"
    small.write_text(
        json.dumps({"outlet": OUTLET, "title": "After", "text": "After the kill.\n\nIt works."})
        + "\n",
        encoding="utf-8",
    )
    report = import_path(small)
    assert report.ok, report.errors
    assert Document.objects.filter(source__name=OUTLET).count() == 1
