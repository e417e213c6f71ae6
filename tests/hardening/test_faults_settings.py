"""Settings under faults: SQLite gets its options whichever variable names it, a
connection the database server dropped is replaced before a request uses it, bad
values stop the process at start, and the upload limit fits the request timeout
(issue 15, items 3, 5 and 8)."""

import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

from credence import settings as credence_settings

ROOT = Path(__file__).resolve().parents[2]


def databases_under(env):
    """DATABASES as a fresh process computes it from `env` (settings are read once, at start)."""
    environ = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")
    } | env
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from credence import settings as s; "
            "print(json.dumps(s.DATABASES, default=str))",
        ],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# Item 8: one SQLite configuration, whichever variable names the file ----------------------


def test_sqlite_gets_wal_immediate_and_busy_timeout_whichever_variable_names_it(tmp_path):
    path = tmp_path / "credence.sqlite3"
    by_path = databases_under({"SQLITE_PATH": str(path)})["default"]
    by_url = databases_under({"DATABASE_URL": f"sqlite:///{path}"})["default"]
    # Tests get a file of their own, named after the process (so only it may differ).
    for config in (by_url, by_path):
        assert config.pop("TEST")["NAME"].endswith(".sqlite3")
    assert by_url == by_path
    assert by_url["ENGINE"] == "django.db.backends.sqlite3"
    assert by_url["NAME"] == str(path)
    options = by_url["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "PRAGMA journal_mode=WAL" in options["init_command"]
    busy = re.search(r"PRAGMA busy_timeout=(\d+)", options["init_command"])
    assert busy and int(busy.group(1)) == options["timeout"] * 1000


def test_a_sqlite_url_opens_the_database_in_wal_mode_with_immediate_transactions(tmp_path):
    """The options reach the database: the file is in WAL mode after Django connected."""
    path = tmp_path / "url.sqlite3"
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")} | {
        "DATABASE_URL": f"sqlite:///{path}",
        "DJANGO_SETTINGS_MODULE": "credence.settings",
    }
    script = (
        "import django; django.setup(); from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])\n"
        "    c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])\n"
        "print(connection.transaction_mode)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    journal, busy, mode = result.stdout.split()
    assert (journal, mode) == ("wal", "IMMEDIATE")
    assert int(busy) >= 5000


def test_postgres_connections_persist_and_are_health_checked():
    config = credence_settings.database_settings(
        {"DATABASE_URL": "postgres://app@db.example:5432/credence"}
    )["default"]
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["HOST"], config["PORT"]) == ("credence", "db.example", 5432)
    assert config["CONN_MAX_AGE"] > 0
    assert config["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nosuchdb://x/y", "DATABASE_URL is not a database URL"),
        ("sqlite://", "names no SQLite file"),
        ("mysql://u@h/db", "must name a PostgreSQL or SQLite database"),
    ],
)
def test_a_database_url_that_cannot_work_stops_the_process(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        credence_settings.database_settings({"DATABASE_URL": url})


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CREDENCE_MAX_DOCUMENT_CHARS", "lots", "must be a whole number"),
        ("CREDENCE_MAX_DOCUMENT_CHARS", "0", "must be 1 or more"),
        ("CREDENCE_MAX_UPLOAD_MB", "-5", "must be 1 or more"),
    ],
)
def test_a_limit_that_is_not_a_positive_number_stops_the_process(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=f"{name} {message}"):
        credence_settings.env_positive(name, 10)


# Item 5: a connection the server dropped is replaced before the next request uses it --------


def request_home_with_a_session_cookie():
    """One request through Django's WSGI handler, as gunicorn sends it. The session cookie
    makes the request read the session table, so it needs the database."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={'x' * 32}",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    statuses = []
    response = WSGIHandler()(
        environ, lambda status, headers, exc_info=None: statuses.append(status)
    )
    response.close()  # as the server does once it has sent the body: the request ends here
    return int(statuses[0].split()[0])


def terminate_backend(pid):
    """What a database restart or an administrator's pg_terminate_backend does to a session."""
    import psycopg

    db = connection.settings_dict
    params = {"dbname": db["NAME"], "user": db["USER"], "host": db["HOST"], "port": db["PORT"]}
    with psycopg.connect(**params, password=db["PASSWORD"] or None, autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
        deadline = time.monotonic() + 60
        while other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            assert time.monotonic() < deadline, "the terminated backend did not exit"
            time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_the_request_after_the_database_dropped_a_connection_does_not_fail():
    assert request_home_with_a_session_cookie() == 302  # to the login page
    if connection.vendor == "postgresql":
        # A persistent connection, kept between requests, killed on the server side.
        assert connection.connection is not None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        terminate_backend(pid)
        assert request_home_with_a_session_cookie() == 302
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone()[0] != pid
    else:
        # SQLite has no server to drop a connection; each request closes its own, so
        # the next one never inherits a broken one.
        assert connection.connection is None
        assert request_home_with_a_session_cookie() == 302
        assert connection.connection is None


# Item 3: the upload limit, the request timeout and the README agree --------------------------


def test_the_readme_production_command_gives_gunicorn_the_timeout_the_upload_limit_needs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"^\.venv/bin/gunicorn credence\.wsgi .*$", readme, re.MULTILINE)
    assert command, "the README's production command is missing"
    timeout = re.search(r"--timeout (\d+)", command.group(0))
    assert timeout, f"the production command sets no --timeout: {command.group(0)}"
    assert int(timeout.group(1)) == settings.GUNICORN_TIMEOUT_SECONDS
    row = re.search(r"^\| `CREDENCE_MAX_UPLOAD_MB` \|.*\| (\d+) \|$", readme, re.MULTILINE)
    assert row and int(row.group(1)) == settings.CREDENCE_MAX_UPLOAD_MB
    row = re.search(r"^\| `CREDENCE_MAX_DOCUMENT_CHARS` \|.*\| ([\d,]+) \|$", readme, re.MULTILINE)
    assert row and int(row.group(1).replace(",", "")) == settings.CREDENCE_MAX_DOCUMENT_CHARS
    assert re.search(r"^\| `SQLITE_PATH` \|", readme, re.MULTILINE)
