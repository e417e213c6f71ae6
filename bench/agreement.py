"""Benchmark: the agreement dashboard of a campaign with 1,000,000 annotations in the database.

Run from the repository root with `.venv/bin/python -m bench.agreement` (SQLite in a
temporary file) or add `--database-url postgres://postgres@127.0.0.1:5432/credence_bench` for
PostgreSQL; that database is dropped and created afresh, so its name must contain "bench".
`--passages N` (default 300,000) and `--seed` change the data; `--profile` prints a cProfile
of the report; set CREDENCE_BENCH_KEEP=1 to keep the database, then `--reuse [SQLITE_FILE]`
measures it again.

A child process migrates the empty database and writes the campaign of
bench/labelled_campaign.py: 300,000 passages in about 6,000 documents from 20 outlets, 50
reviewers, 3 or 4 reviewers per passage (exactly 1,000,000 annotations), labels that follow
a latent passage type each reviewer reproduces with a personal accuracy of 70-95 %.

This process then times, on the database:
  (a) load_s: annotate.frames.annotation_frame(campaign)
  (b) alpha_s: annotate.agreement.krippendorff_alpha on item/annotator/label of that frame
      (best of 3), and krippendorff_pivot_s: the `krippendorff` package on an annotator x item
      pandas pivot of the same data (pivot + call); both must agree to 1e-9
  (c) report_s: annotate.agreement.selectors.agreement_tables(campaign, n_boot=1000), the
      whole dashboard report including its own database load
  (d) warm_page_ms: the Agreement page served from the cache (annotate.jobs): the report is
      computed once as its background job computes it and stored at the campaign's data
      version, then the page is requested 7 times as a logged-in curator would (Django's
      test client, the whole view and template); the median of the last 5
and peak memory (resource.getrusage maxrss of this process; the generator's peak is printed
separately). It ends with exactly one line:

    RESULT annotations=... load_s=... alpha_s=... krippendorff_pivot_s=... report_s=... warm_page_ms=... peak_mb=...

Targets: alpha_s under 0.5 s and 3x faster than krippendorff_pivot_s; report_s under 10 s on
SQLite and PostgreSQL; warm_page_ms under 300; peak under 1.5 GB.
"""

import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file (python bench/agreement.py): find `bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import labelled_campaign  # noqa: E402
from bench.measure import best_of, peak_mb  # noqa: E402


def time_frame_and_alpha(campaign):
    """(a) and (b): load the frame, then alpha from it and from the krippendorff package."""
    import warnings

    import krippendorff

    from annotate.agreement import krippendorff_alpha
    from annotate.frames import annotation_frame

    start = time.perf_counter()
    frame = annotation_frame(campaign)
    load_s = time.perf_counter() - start
    df = frame[["item", "annotator", "label"]]
    alpha_s, ours = best_of(lambda: krippendorff_alpha(df), 3)

    def package():
        # The package wants numbers with NaN for missing: code the labels, pivot, call.
        codes = df["label"].cat.codes.astype(float)
        table = df.assign(code=codes).pivot(index="annotator", columns="item", values="code")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return krippendorff.alpha(
                reliability_data=table.to_numpy(), level_of_measurement="nominal"
            )

    pivot_s, reference = best_of(package, 1)
    if abs(ours - reference) > 1e-9:
        sys.exit(f"MISMATCH alpha={ours!r} krippendorff={reference!r}")
    return len(frame), load_s, alpha_s, pivot_s, ours, reference


def warm_page(campaign):
    """(d) The Agreement page from the cache, in ms: median of the last 5 of 7 requests."""
    import statistics

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from annotate.jobs import results
    from annotate.jobs.cache import store_result
    from annotate.models import Job

    campaign.refresh_from_db()
    start = time.perf_counter()
    store_result(
        campaign.pk, Job.Kind.AGREEMENT, campaign.data_version, results.agreement_payload(campaign)
    )
    print(f"cached the agreement report in {time.perf_counter() - start:.1f}s")
    staff = get_user_model().objects.create_user("bench-curator", is_staff=True)
    client = Client()
    client.force_login(staff)
    url = reverse("annotate:agreement", args=[campaign.slug])
    times = []
    for _ in range(7):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
        assert b'id="cache-current"' in response.content, "not served from the cache"
    return statistics.median(times[2:])


def measure(profile):
    from annotate.agreement.selectors import agreement_tables
    from annotate.models import Annotation

    campaign = labelled_campaign.campaign()
    count = Annotation.objects.filter(assignment__campaign=campaign).count()
    rows, load_s, alpha_s, pivot_s, ours, reference = time_frame_and_alpha(campaign)
    assert rows == count

    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    tables = agreement_tables(campaign, n_boot=1000)
    report_s = time.perf_counter() - start
    if profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
    for row in tables["overall"].itertuples():
        print(
            f"  {row.dimension:<37} alpha={row.alpha:.4f} [{row.alpha_low:.4f}, {row.alpha_high:.4f}] "
            f"observed={row.percent_agreement:.4f} ac1={row.ac1:.4f}"
        )
    print(
        f"alpha={ours:.9f} (krippendorff package {reference:.9f}); speedup {pivot_s / alpha_s:.1f}x; "
        f"{len(tables['documents'])} documents, {len(tables['outlets'])} outlets, "
        f"{len(tables['reviewers'])} reviewers, {len(tables['pairs'])} pairs"
    )
    warm_page_ms = warm_page(campaign)
    print(f"agreement page from the cache: median {warm_page_ms:.0f} ms")
    print(
        f"RESULT annotations={count} load_s={load_s:.3f} alpha_s={alpha_s:.3f} "
        f"krippendorff_pivot_s={pivot_s:.3f} report_s={report_s:.3f} "
        f"warm_page_ms={warm_page_ms:.0f} peak_mb={peak_mb():.0f}"
    )


def main():
    parser = labelled_campaign.arguments(__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the report and print the top entries"
    )
    args = parser.parse_args()
    with labelled_campaign.prepared(args, "credence-agreement-bench-"):
        measure(args.profile)


if __name__ == "__main__":
    main()
