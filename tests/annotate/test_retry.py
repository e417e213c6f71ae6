"""annotate.retry: a busy database is retried inside the service, never shown as a 500."""

from types import SimpleNamespace

import pytest
from django.db import OperationalError

from annotate import retry
from annotate.queue import services


class Refused(Exception):
    pass


@pytest.fixture
def outside_a_transaction(monkeypatch):
    monkeypatch.setattr(retry, "connection", SimpleNamespace(in_atomic_block=False))


def flaky(failures, error=None):
    error = error or OperationalError("database is locked")
    calls = []

    def service(value):
        calls.append(value)
        if len(calls) <= failures:
            raise error
        return value * 2

    return service, calls


def test_a_locked_database_is_retried_until_the_write_goes_through(outside_a_transaction):
    naps = []
    service, calls = flaky(3)
    wrapped = retry.retry_when_busy(Refused, sleep=naps.append)(service)
    assert wrapped(21) == 42
    assert len(calls) == 4 and len(naps) == 3
    # Exponential backoff with jitter: each wait at most twice the one before's ceiling.
    assert all(0 <= nap <= retry.BACKOFF_SECONDS * 2**i for i, nap in enumerate(naps))


def test_a_database_that_stays_busy_gives_the_services_own_clear_error(outside_a_transaction):
    service, calls = flaky(99)
    wrapped = retry.retry_when_busy(Refused, sleep=lambda _: None)(service)
    with pytest.raises(Refused, match="busy right now; nothing was lost"):
        wrapped(1)
    assert len(calls) == retry.ATTEMPTS


def test_other_database_errors_are_not_retried(outside_a_transaction):
    service, calls = flaky(1, OperationalError("no such table: x"))
    with pytest.raises(OperationalError, match="no such table"):
        retry.retry_when_busy(Refused, sleep=lambda _: None)(service)(1)
    assert len(calls) == 1


def test_inside_a_callers_transaction_the_failure_is_the_callers(monkeypatch):
    monkeypatch.setattr(retry, "connection", SimpleNamespace(in_atomic_block=True))
    service, calls = flaky(1)
    with pytest.raises(OperationalError):
        retry.retry_when_busy(Refused, sleep=lambda _: None)(service)(1)
    assert len(calls) == 1


def test_postgresql_deadlocks_and_serialisation_failures_count_as_busy():
    class Deadlock(Exception):
        sqlstate = "40P01"

    error = OperationalError("deadlock detected")
    error.__cause__ = Deadlock()
    assert retry.is_busy(error)
    assert not retry.is_busy(OperationalError("syntax error"))


def test_the_queue_and_adjudication_writes_are_retried():
    from annotate.adjudication import services as adjudication

    for service in (
        services.claim_next,
        services.save_annotation,
        services.skip,
        adjudication.decide,
        adjudication.accept_majority,
    ):
        assert hasattr(service, "__wrapped__"), service.__name__


@pytest.mark.django_db(transaction=True)
def test_a_save_on_a_database_that_stays_busy_shows_a_message_not_a_server_error(
    client, campaign, users, monkeypatch
):
    from django.urls import reverse

    from annotate.models import Annotation
    from tests.conftest import login

    place = services.claim_next(campaign, users["alice"])
    calls = []

    def locked(*args, **kwargs):
        calls.append(1)
        raise OperationalError("database is locked")

    busy = retry.retry_when_busy(services.QueueError, sleep=lambda _: None)(locked)
    monkeypatch.setattr(services, "save_annotation", busy)
    login(client, users["alice"])
    response = client.post(
        reverse("annotate:passage", args=[campaign.slug, place.pk]),
        {"label": "opinion", "confidence": "medium"},
    )
    assert response.status_code == 200
    assert "busy right now; nothing was lost" in response.content.decode()
    assert len(calls) == retry.ATTEMPTS and not Annotation.objects.exists()
