"""The throwaway database of a benchmark run, and Django pointed at it.

    with database.workspace("credence-bench-", database_url=args.database_url) as ws:
        database.configure(ws)          # environment, django.setup(), migrate
        ...                             # build, measure
    # the temporary folder (and its SQLite file, or the PostgreSQL database) is gone

SQLite is a file in a fresh temporary folder. PostgreSQL (`--database-url`, where a script
offers it) is dropped and created afresh, so its name must contain "bench" (or whatever the
script asks for). Both are removed at the end unless CREDENCE_BENCH_KEEP is set or the
script asks to keep them; a database the caller named for reuse is never removed.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BATCH = 100_000


@dataclass
class Workspace:
    """Where one run keeps its files and its database."""

    folder: Path  # temporary, for the SQLite file and any scratch files
    sqlite_path: Path | None  # None when database_url is used
    database_url: str | None = None

    @property
    def name(self) -> str:
        return self.database_url or str(self.sqlite_path)


def keep_requested() -> bool:
    return bool(os.environ.get("CREDENCE_BENCH_KEEP"))


@contextmanager
def workspace(
    prefix="credence-bench-",
    *,
    database_url=None,
    sqlite_path=None,
    fresh=True,
    keep=False,
    must_contain="bench",
):
    """A temporary folder and a database for one run, removed afterwards.

    database_url: PostgreSQL instead of SQLite; dropped and recreated when `fresh`.
    sqlite_path: a SQLite file of the caller's choosing (to keep or to reuse) instead of
    one inside the temporary folder; never deleted here.
    fresh=False: measure an existing database again (nothing is created or dropped).
    keep: keep the folder and the database, as CREDENCE_BENCH_KEEP does.
    """
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    ws = Workspace(
        folder=folder,
        sqlite_path=None if database_url else Path(sqlite_path or folder / "bench.sqlite3"),
        database_url=database_url,
    )
    keep = keep or keep_requested()
    if keep:  # said first, so the RESULT line stays the last line of the run
        print(f"keeping {ws.name} and {folder} after the run", flush=True)
    if database_url and fresh:
        recreate_postgres(database_url, must_contain)
    try:
        yield ws
    finally:
        close_connections()
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
            if database_url and fresh:
                drop_postgres(database_url)


def in_child(target, *args):
    """Run target(*args) in a fresh (spawned) process and wait for it; exit if it fails.

    Generating a large database in a child keeps this process's peak memory for what it
    measures."""
    import multiprocessing

    child = multiprocessing.get_context("spawn").Process(target=target, args=args)
    child.start()
    child.join()
    if child.exitcode != 0:
        sys.exit(f"generation failed (exit code {child.exitcode})")


def configure(ws: Workspace, *, migrate=True):
    """Point Django at the workspace's database, set it up, and migrate it (when asked)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "credence.settings"
    os.environ["DEBUG"] = "false"  # as in production: no per-request query log
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"  # the test client's host
    if ws.database_url:
        os.environ["DATABASE_URL"] = ws.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(ws.sqlite_path)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    # WhiteNoise warns that STATIC_ROOT was never collected; irrelevant here.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def close_connections():
    """Close Django's connections (if Django is in use) so the database can be dropped."""
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


def _admin_url(url, must_contain):
    """(URL of the server's `postgres` database, name of the benchmark database)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or not name.replace("_", "").isalnum():
        sys.exit(f"refusing database name {name!r}: letters, digits and _ only")
    if must_contain and must_contain not in name:
        sys.exit(f"refusing to drop database {name!r}: its name must contain {must_contain!r}")
    return urlunsplit(parts._replace(path="/postgres")), name


def recreate_postgres(url, must_contain="bench"):
    """Drop and create the database named in `url`, through the server's `postgres` database."""
    import psycopg

    admin, name = _admin_url(url, must_contain)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_postgres(url):
    import psycopg

    admin, name = _admin_url(url, None)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def insert_rows(model, columns, rows):
    """Insert an iterable of row tuples into `model`'s table, fast: COPY on PostgreSQL,
    executemany on SQLite in batches of BATCH. `columns` are field names; no signals, no
    validation (benchmark data only)."""
    from django.db import connection

    table = model._meta.db_table
    names = [model._meta.get_field(c).column for c in columns]
    quoted = ", ".join(connection.ops.quote_name(n) for n in names)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    raw = connection.connection
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(names))})"
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            raw.executemany(sql, batch)
            batch.clear()
    if batch:
        raw.executemany(sql, batch)


def reset_sequences(*models):
    """After inserting explicit ids on PostgreSQL, move the id sequences past them."""
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


def analyze(sqlite=False):
    """Fresh planner statistics, as a database in service has (autovacuum takes a minute or
    more to gather them on new tables): ANALYZE on PostgreSQL, and on SQLite when asked."""
    from django.db import connection

    if connection.vendor == "postgresql" or sqlite:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def checkpoint():
    """Fold SQLite's write-ahead log into the file, so reads are timed on the file alone."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
