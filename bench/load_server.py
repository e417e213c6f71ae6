"""The gunicorn server of bench/load.py: start, stop, and what it cost (CPU, time in workers)."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.database import ROOT
from bench.load_core import Session, children, cpu_seconds


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(database_env, workers, port, log_path):
    env = {
        **os.environ,
        **database_env,
        "DEBUG": "false",
        "CREDENCE_ENV": "development",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "credence.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        # Load the app once before forking, as the README's deployment command does, so no
        # worker spends its first request importing pandas.
        "--preload",
        "--timeout",
        "60",
        "--graceful-timeout",
        "10",
        "--log-level",
        "warning",
        # Time inside the worker, to tell server time from time queued before it.
        "--access-logfile",
        str(Path(log_path).with_name("access.log")),
        "--access-logformat",
        "%(D)s %(s)s %(m)s %(U)s",
    ]
    log = open(log_path, "w")  # noqa: SIM115 - closed in stop_gunicorn
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    process.log = log
    probe = Session("127.0.0.1", port, timeout=5)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(
                f"gunicorn exited with {process.returncode}:\n{Path(log_path).read_text()[-3000:]}"
            )
        try:
            if probe.request("GET", "/login/")[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop_gunicorn(process)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_gunicorn(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.log.close()


def server_cpu(server, database_name):
    """CPU seconds so far of gunicorn (master and workers) and of PostgreSQL backends on our database."""
    from django.db import connection

    backends = []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [database_name],
            )
            backends = [pid for (pid,) in cursor.fetchall()]
    return {
        "gunicorn": cpu_seconds([server.pid, *children(server.pid)]),
        "postgres": cpu_seconds(backends),
    }


def worker_times(path, window_requests):
    """Milliseconds each request spent inside a gunicorn worker: the last `window_requests` logged."""
    lines = Path(path).read_text().splitlines() if Path(path).exists() else []
    return [
        int(line.split()[0]) / 1000
        for line in lines[-window_requests:]
        if line.split()[0].isdigit()
    ]
