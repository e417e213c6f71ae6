"""annotate.frames: campaign annotations as long frames, on SQLite and PostgreSQL."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotate.agreement.selectors import agreement_tables
from annotate.frames import (
    CITED_TYPES,
    annotation_frame,
    dimension_frames,
    dimension_labels,
)
from annotate.models import Annotation, BiasMarker
from annotate.queue import services
from corpus.models import Passage
from tests.conftest import make_campaign

LABELS = ["sourced_fact", "attributed_claim", "opinion"]
MARKERS = ["loaded_language", "one_sided_framing", "speculation_as_fact", "emotional_appeal"]


def answer(i, reviewer_index=0):
    """A varied but deterministic answer for the i-th passage a reviewer labels."""
    return {
        "label": LABELS[(i + (reviewer_index if i % 3 == 0 else 0)) % 3],
        "cited_source": "",
        "cited_type": ["", "named_person", "official_body"][i % 3],
        "markers": [MARKERS[j] for j in range(4) if (i >> j) & 1 and (i + reviewer_index) % 5],
        "confidence": ["low", "medium", "high"][i % 3],
        "note": "",
    }


def label_passages(campaign, reviewers, count):
    """Each reviewer claims and labels up to `count` passages through the queue."""
    for r, reviewer in enumerate(reviewers):
        for i in range(count):
            assignment = services.claim_next(campaign, reviewer)
            if assignment is None:
                break
            services.save_annotation(campaign, reviewer, assignment.pk, answer(i, r))


def expected_rows(campaign):
    """What annotation_frame should hold, read back through the ORM."""
    annotations = Annotation.objects.filter(assignment__campaign=campaign).select_related(
        "assignment__reviewer", "assignment__passage__document__source"
    )
    return {
        a.pk: {
            "item": a.assignment.passage_id,
            "annotator": a.assignment.reviewer.username,
            "annotator_id": a.assignment.reviewer_id,
            "label": a.label,
            "cited_type": a.cited_type or "none",
            "markers": tuple(a.markers),
            "confidence": a.confidence,
            "document": a.assignment.passage.document_id,
            "outlet": a.assignment.passage.document.source.name,
        }
        for a in annotations
    }


def frame_rows(frame):
    return {
        row["annotation"]: {k: v for k, v in row.items() if k != "annotation"}
        for row in frame.to_dict("records")
    }


def test_annotation_frame_has_one_row_per_annotation_with_its_item_annotator_label_markers_and_outlet(
    campaign, users
):
    label_passages(campaign, [users["alice"], users["bob"], users["dave"]], 12)
    frame = annotation_frame(campaign)
    expected = expected_rows(campaign)
    assert (
        len(frame) == len(expected) == 36
    )  # 12 each; dave gets the passages after alice's and bob's
    assert frame_rows(frame) == expected
    assert any(len(m) >= 2 for m in frame["markers"])  # JSON text on SQLite is decoded too
    assert frame.groupby("item", observed=True)["annotator"].nunique().max() == 2
    for column in ("annotator", "outlet", "label", "cited_type"):
        categories = list(frame[column].cat.categories)
        assert categories == sorted(categories) == sorted(set(frame[column])), column


def test_annotation_frame_markers_are_decoded_on_every_database(campaign, users):
    a = services.claim_next(campaign, users["alice"])
    services.save_annotation(
        campaign,
        users["alice"],
        a.pk,
        {**answer(0), "markers": ["one_sided_framing", "loaded_language"]},
    )
    frame = annotation_frame(campaign)
    # save_annotation sorts markers; the frame gives them back as a tuple of marker values.
    assert frame.loc[0, "markers"] == ("loaded_language", "one_sided_framing")
    assert not isinstance(frame.loc[0, "markers"], str)


def test_annotation_frame_rows_are_in_annotation_order_and_a_revision_replaces_the_label(
    campaign, users
):
    label_passages(campaign, [users["alice"], users["bob"]], 4)
    first = Annotation.objects.filter(assignment__campaign=campaign).order_by("pk").first()
    services.save_annotation(
        campaign, first.assignment.reviewer, first.assignment_id, {**answer(0), "label": "opinion"}
    )
    frame = annotation_frame(campaign)
    assert list(frame["annotation"]) == sorted(frame["annotation"])
    assert len(frame) == 8
    assert frame.loc[0, "label"] == "opinion"


def test_annotation_frame_leaves_out_other_campaigns(campaign, other_campaign, users):
    label_passages(other_campaign, [users["olga"]], 3)
    label_passages(campaign, [users["alice"]], 2)
    assert set(annotation_frame(campaign)["annotator"]) == {"alice"}
    assert set(annotation_frame(other_campaign)["annotator"]) == {"olga"}


def test_annotation_frame_of_a_campaign_without_annotations_is_empty_with_its_columns(campaign):
    frame = annotation_frame(campaign)
    assert len(frame) == 0
    assert {"item", "annotator", "label", "markers", "document", "outlet"} <= set(frame.columns)


def test_dimension_frames_give_passage_type_cited_type_and_one_true_false_frame_per_marker(
    campaign, users
):
    label_passages(campaign, [users["alice"], users["bob"]], 10)
    frame = annotation_frame(campaign)
    markers = list(campaign.scheme.markers.all())
    dims = dimension_frames(frame, markers)
    assert list(dims) == ["passage type", "cited-source type"] + [
        f"marker: {m.name}" for m in markers
    ]
    assert list(dims["passage type"]["label"]) == list(frame["label"])
    assert list(dims["cited-source type"]["label"]) == list(frame["cited_type"])
    for m in markers:
        assert list(dims[f"marker: {m.name}"]["label"]) == [m.value in s for s in frame["markers"]]
    for dim in dims.values():
        assert list(dim["item"]) == list(frame["item"]) and list(dim["outlet"]) == list(
            frame["outlet"]
        )
    labels = dimension_labels(LABELS, dims)
    assert labels["cited-source type"] == CITED_TYPES and CITED_TYPES[0] == "none"
    assert all(labels[f"marker: {m.name}"] == [False, True] for m in markers)


def test_agreement_tables_cover_every_dimension_and_title_the_documents(
    campaign, users, seed_corpus
):
    label_passages(
        campaign, [users["alice"], users["bob"]], 250
    )  # every passage of the five outlets
    tables = agreement_tables(campaign, n_boot=50)
    assert list(tables["overall"]["dimension"]) == ["passage type", "cited-source type"] + [
        f"marker: {m.name}" for m in BiasMarker.objects.filter(scheme=campaign.scheme)
    ]
    titles = {d.pk: d.title for d in seed_corpus}
    assert all(
        titles[d] == t
        for d, t in zip(tables["documents"]["document"], tables["documents"]["title"], strict=True)
    )
    annotatable = Passage.objects.exclude(kind=Passage.Kind.BOILERPLATE).count()
    assert annotatable < 250 and tables["overall"].loc[0, "annotations"] == 2 * annotatable
    assert list(tables["outlets"]["outlet"]) == sorted(d.source.name for d in seed_corpus)
    assert sorted(tables["documents"]["document"]) == sorted(titles)


def test_agreement_tables_are_identical_on_every_load(campaign, users):
    label_passages(campaign, [users["alice"], users["bob"], users["dave"]], 25)
    first, second = agreement_tables(campaign, n_boot=100), agreement_tables(campaign, n_boot=100)
    for name in first:
        assert first[name].equals(second[name]), name


def queries_for(function, *args):
    with CaptureQueriesContext(connection) as captured:
        function(*args)
    return len(captured.captured_queries)


def test_annotation_frame_and_tables_take_the_same_few_queries_whatever_the_number_of_annotations(
    seed_corpus, users
):
    small = make_campaign("Small", seed_corpus, users, overlap=2)
    large = make_campaign("Large", seed_corpus, users, overlap=3)
    label_passages(small, [users["alice"]], 1)
    label_passages(large, [users["alice"], users["bob"], users["dave"]], 40)
    assert queries_for(annotation_frame, small) == queries_for(annotation_frame, large) == 3
    small_tables = queries_for(agreement_tables, small)
    assert small_tables == queries_for(agreement_tables, large)
    assert small_tables <= 6


def test_two_markers_with_one_display_name_get_a_frame_each(campaign, users):
    BiasMarker.objects.create(
        scheme=campaign.scheme, value="loaded_words", name="Loaded language", position=9
    )
    a = services.claim_next(campaign, users["alice"])
    services.save_annotation(
        campaign, users["alice"], a.pk, {**answer(0), "markers": ["loaded_words"]}
    )
    markers = list(campaign.scheme.markers.all())
    dims = dimension_frames(annotation_frame(campaign), markers)
    assert len(dims) == 2 + len(markers)
    assert list(dims["marker: Loaded language (loaded_words)"]["label"]) == [True]
    assert list(dims["marker: Loaded language"]["label"]) == [False]
