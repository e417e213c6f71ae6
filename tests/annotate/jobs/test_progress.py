"""Percent done and time left (annotate/jobs/progress.py, pure)."""

import pytest

from annotate.jobs.progress import duration, percent, seconds_left


@pytest.mark.parametrize(
    ("done", "total", "expected"),
    [(0, 200, 0), (1, 200, 0), (199, 200, 99), (200, 200, 100), (5, 0, 100), (3, None, None)],
)
def test_percent_is_rounded_down_and_unknown_without_a_total(done, total, expected):
    assert percent(done, total) == expected


def test_percent_stays_between_0_and_100():
    assert percent(250, 200) == 100 and percent(-3, 200) == 0


def test_time_left_extrapolates_the_rate_so_far():
    # 100 of 400 rows in 30 s: 300 more rows at 10 s per 100 rows.
    assert seconds_left(100, 400, 30.0) == pytest.approx(90.0)


@pytest.mark.parametrize(
    ("done", "total", "elapsed"),
    [(0, 400, 30.0), (10, None, 30.0), (10, 400, None), (10, 400, 1.0)],
)
def test_time_left_is_unknown_before_any_row_or_second_or_without_a_total(done, total, elapsed):
    assert seconds_left(done, total, elapsed) is None


def test_time_left_is_zero_once_every_row_is_done():
    assert seconds_left(400, 400, 80.0) == 0.0


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, None),
        (12, "less than a minute"),
        (60, "about 1 minute"),
        (725, "about 12 minutes"),
        (5340, "about 89 minutes"),
        (5400, "about 2 hours"),
        (7200, "about 2 hours"),
    ],
)
def test_durations_read_as_words(seconds, text):
    assert duration(seconds) == text
