"""annotate.history.readable: a revision's before and after snapshots in words (pure)."""

from annotate.history import readable

NAMES = {
    readable.LABELS: {
        "sourced_fact": "Sourced fact",
        "attributed_claim": "Attributed claim",
        "opinion": "Opinion",
    },
    readable.MARKERS: {
        "loaded_language": "Loaded language",
        "emotional_appeal": "Emotional appeal",
    },
    readable.SOURCE_TYPES: {
        "": "No one cited",
        "named_person": "Named person",
        "official_body": "Official body",
    },
    readable.CONFIDENCE: {"low": "Low", "medium": "Medium", "high": "High"},
    readable.LAYERS: {"source": "Cited source", "loaded": "Loaded language"},
}


def snapshot(**extra):
    return {
        "label": "opinion",
        "cited_source": "",
        "cited_type": "",
        "markers": [],
        "spans": [],
        "confidence": "medium",
        "note": "",
        **extra,
    }


STAGGERING = {
    "layer": "loaded",
    "label": "loaded_language",
    "start": 40,
    "end": 50,
    "text": "staggering",
}


def test_a_change_reads_as_one_line_with_names_not_codes():
    before = snapshot()
    after = snapshot(label="attributed_claim", spans=[STAGGERING], confidence="high")
    line = readable.line("alice", readable.changes(before, after, NAMES))
    assert line == (
        "alice changed passage type from Opinion to Attributed claim; "
        "added loaded-language span “staggering” (Loaded language); confidence Medium → High"
    )


def test_a_first_save_says_what_was_answered():
    after = snapshot(
        label="sourced_fact",
        cited_source="DoD",
        cited_type="official_body",
        markers=["loaded_language"],
        spans=[STAGGERING],
        confidence="low",
        note="checked the link",
    )
    assert readable.changes(None, after, NAMES) == [
        "labelled the passage Sourced fact",
        "cited “DoD” (Official body)",
        "ticked Loaded language",
        "marked loaded-language span “staggering” (Loaded language)",
        "confidence Low",
        "noted “checked the link”",
    ]


def test_the_same_answer_changes_nothing():
    assert readable.changes(snapshot(), snapshot(), NAMES) == []
    assert readable.line("bob", []) == "bob saved the same answer again"


def test_ticked_and_unticked_markers_are_named():
    before = snapshot(markers=["loaded_language"])
    after = snapshot(markers=["emotional_appeal"])
    assert readable.changes(before, after, NAMES) == [
        "ticked Emotional appeal",
        "unticked Loaded language",
    ]


def test_cited_source_and_its_type_changes_are_described():
    before = snapshot(cited_source="Kakar", cited_type="named_person")
    after = snapshot(cited_source="The ministry", cited_type="official_body")
    assert readable.changes(before, after, NAMES) == [
        "changed cited source from “Kakar” to “The ministry”",
        "changed source type from Named person to Official body",
    ]
    assert readable.changes(snapshot(), snapshot(cited_source="Kakar"), NAMES) == [
        "added cited source “Kakar”"
    ]
    assert readable.changes(snapshot(cited_source="Kakar"), snapshot(), NAMES) == [
        "removed cited source “Kakar”"
    ]
    assert readable.changes(snapshot(), snapshot(cited_type="named_person"), NAMES) == [
        "set source type to Named person"
    ]


def test_the_same_words_under_another_label_read_as_a_relabelling():
    source = {"layer": "source", "label": "named_person", "start": 0, "end": 5, "text": "Kakar"}
    before = snapshot(spans=[source])
    after = snapshot(spans=[{**source, "label": "official_body"}])
    assert readable.changes(before, after, NAMES) == [
        "changed cited-source span “Kakar” from Named person to Official body"
    ]


def test_a_removed_span_is_named_with_its_label():
    before = snapshot(spans=[STAGGERING])
    assert readable.changes(before, snapshot(), NAMES) == [
        "removed loaded-language span “staggering” (Loaded language)"
    ]


def test_note_changes_are_shown_briefly():
    long_note = "x" * 200
    said = readable.changes(snapshot(note="old"), snapshot(note=long_note), NAMES)
    assert said == [f"changed note to “{'x' * 79}…”"]
    assert readable.changes(snapshot(note="old"), snapshot(), NAMES) == ["removed the note"]
    assert readable.changes(snapshot(), snapshot(note="new"), NAMES) == ["added note “new”"]


def test_an_older_snapshot_without_spans_shows_no_span_change():
    older = snapshot()
    del older["spans"]
    assert readable.changes(older, snapshot(), NAMES) == []


def test_a_code_with_no_display_name_is_written_as_words():
    said = readable.changes(snapshot(), snapshot(label="speculative_claim"), NAMES)
    assert said == ["changed passage type from Opinion to Speculative claim"]


def test_a_first_confidence_has_no_arrow():
    assert readable.changes(snapshot(confidence=""), snapshot(), NAMES) == ["confidence Medium"]
