"""Simulated reviewers for bench/load.py: a cookie-keeping HTTP session and the reviewer's loop.

No Django (standard library and the bench helpers): the reviewers talk to the server over HTTP
exactly as a browser would, one new TCP connection per request (gunicorn's sync
workers close the connection after each response).
"""

from __future__ import annotations

import http.client
import os
import random
import re
import statistics
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from bench.measure import percentile
from bench.scheme import LABELS, MARKERS

PASSAGE_PATH = re.compile(r"^/c/[\w-]+/p/(\d+)/$")


class RequestFailed(Exception):
    """A response other than the one the flow expects, or no response at all."""


class Session:
    """One browser: cookies kept between requests, CSRF token sent with every POST."""

    def __init__(self, host, port, timeout=30):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies = {}

    def request(self, method, path, form=None):
        """(status, Location header, body, milliseconds); raises OSError on connection failure."""
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            start = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            ms = (time.perf_counter() - start) * 1000
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", ""), data, ms


@dataclass
class ReviewerLog:
    """What one simulated reviewer did: every request's latency and every answer it saved."""

    username: str
    timings: list = field(default_factory=list)  # (kind, ms, ok)
    login_ms: float = 0.0
    posted: dict = field(
        default_factory=dict
    )  # assignment id -> answers posted and acknowledged, in order
    uncertain: set = field(default_factory=set)  # assignment ids whose save got no clear answer
    failures: list = field(default_factory=list)  # (kind, what went wrong), for the report
    ran_dry: bool = False


def random_answer(rng):
    cited = rng.random() < 0.5
    return {
        "label": rng.choice(LABELS),
        "cited_source": rng.choice(["the ministry", "a spokesman", "Reuters"]) if cited else "",
        "cited_type": rng.choice(["named_person", "official_body", "anonymous"]) if cited else "",
        "markers": rng.sample(MARKERS, rng.randint(0, 2)),
        "confidence": rng.choice(["low", "medium", "high"]),
        "note": rng.choice(["", "", "check the date", "“quoted” — unsure"]),
    }


class Reviewer:
    """Log in, then until the deadline: open the passage, think, save and move on,
    now and then going back to an earlier passage to change the answer."""

    def __init__(self, host, port, slug, username, password, seed, think=(2.0, 4.0), back=0.1):
        self.session = Session(host, port)
        self.slug, self.password = slug, password
        self.rng = random.Random(seed)
        self.think, self.back = think, back
        self.log = ReviewerLog(username)
        self.done = []  # assignment ids saved, in order

    def call(self, kind, method, path, form=None, expect=200):
        try:
            status, location, body, ms = self.session.request(method, path, form)
        except OSError as exc:
            self.log.timings.append((kind, float("nan"), False))
            self.log.failures.append((kind, f"{path}: {exc!r}"))
            raise RequestFailed(kind) from None
        ok = status == expect
        self.log.timings.append((kind, ms, ok))
        if not ok:
            self.log.failures.append((kind, f"{method} {path}: {status} {body[:200]!r}"))
            raise RequestFailed(kind)
        return location, body

    def login(self):
        self.call("login_page", "GET", "/login/")
        start = time.perf_counter()
        location, _ = self.call(
            "login",
            "POST",
            "/login/",
            {"username": self.log.username, "password": self.password},
            expect=302,
        )
        self.log.login_ms = (time.perf_counter() - start) * 1000
        if "/login/" in location:
            self.log.failures.append(("login", f"refused, sent back to {location}"))
            raise RequestFailed("login")
        # Logging in happens before the measured window and is reported apart:
        # password hashing is slow by design.
        self.log.timings = []

    def pause(self):
        time.sleep(self.rng.uniform(*self.think))

    def save(self, path, answer):
        """Post the form; return where the app sends us next."""
        assignment = int(PASSAGE_PATH.match(path).group(1))
        try:
            location, _ = self.call("save", "POST", path, answer, expect=302)
        except RequestFailed:
            self.log.uncertain.add(assignment)  # it may or may not have been stored
            raise
        self.log.posted.setdefault(assignment, []).append(answer)
        return location

    def run(self, deadline):
        # Reviewers who sat down together still do not click in the same instant.
        self.pause()
        path = None
        while time.monotonic() < deadline:
            try:
                if path is None:
                    path, _ = self.call("next", "POST", f"/c/{self.slug}/next/", {}, expect=302)
                if not PASSAGE_PATH.match(path):
                    self.log.ran_dry = True
                    return
                self.call("page", "GET", path)
                self.pause()
                if time.monotonic() >= deadline:
                    return
                following = self.save(path, random_answer(self.rng))
                self.done.append(path)
                if (
                    len(self.done) > 1
                    and self.rng.random() < self.back
                    and time.monotonic() < deadline
                ):
                    earlier = self.rng.choice(self.done[:-1])
                    self.call("page", "GET", earlier)
                    self.pause()
                    if self.save(earlier, random_answer(self.rng)) != following:
                        self.log.failures.append(
                            ("save", f"revising {earlier} did not lead back to {following}")
                        )
                path = following
            except RequestFailed:
                path = None  # start again from "next", as a reviewer would after an error page


def cpu_seconds(pids):
    """User + system CPU seconds used so far by each of the processes (Linux /proc), by pid."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        used[pid] = (int(fields[11]) + int(fields[12])) / tick
    return used


def children(pid):
    """Direct child processes of pid (gunicorn's workers)."""
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def summarise(logs, seconds):
    """Requests per second, latency percentiles overall and per kind, error count."""
    timings = [t for log in logs for t in log.timings]
    ok_ms = [ms for _, ms, ok in timings if ok]
    kinds = {}
    for kind in sorted({k for k, _, _ in timings}):
        ms = [m for k, m, ok in timings if k == kind and ok]
        kinds[kind] = (
            len(ms),
            statistics.median(ms) if ms else float("nan"),
            percentile(ms, 95),
            max(ms, default=0),
        )
    logins = [log.login_ms for log in logs if log.login_ms]
    return {
        "requests": len(timings),
        "rps": len(timings) / seconds,
        "p50_ms": statistics.median(ok_ms) if ok_ms else float("nan"),
        "p95_ms": percentile(ok_ms, 95),
        "max_ms": max(ok_ms, default=0),
        "errors": sum(1 for _, _, ok in timings if not ok),
        "kinds": kinds,
        "login_p50_ms": statistics.median(logins) if logins else float("nan"),
        "login_max_ms": max(logins, default=0),
    }
