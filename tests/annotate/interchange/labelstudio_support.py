"""A Label Studio export written by hand, in the format its documentation gives
(https://labelstud.io/guide/task_format), over passages of a campaign."""

from tests.annotate.interchange.roundtrip_support import word_span


def relative(passage, span):
    return span["start"] - passage.start, span["end"] - passage.start


def hand_written(passages):
    """A Label Studio export as its documentation shows it: ids, completed_by as a number and
    as an object, choices and labels results, a cancelled annotation, a task found by its
    document and position, and one nobody annotated."""
    p, q = passages[0], passages[1]
    name_span = word_span(p, 0, "source", "named_person")
    loaded = word_span(q, 1)
    s, e = relative(p, name_span)
    ls, le = relative(q, loaded)
    return [
        {
            "id": 101,
            "data": {"text": p.text, "passage": p.pk, "outlet": "ignored"},
            "annotations": [
                {
                    "id": 1,
                    "completed_by": 7,
                    "was_cancelled": False,
                    "result": [
                        {
                            "from_name": "type",
                            "to_name": "text",
                            "type": "choices",
                            "value": {"choices": ["Attributed claim"]},
                        },
                        {
                            "id": "r1",
                            "from_name": "label",
                            "to_name": "text",
                            "type": "labels",
                            "value": {
                                "start": s,
                                "end": e,
                                "text": name_span["text"],
                                "labels": ["Named person"],
                            },
                        },
                        {
                            "from_name": "who",
                            "to_name": "text",
                            "type": "choices",
                            "value": {"choices": ["named person"]},
                        },
                    ],
                },
                {
                    "id": 2,
                    "completed_by": {"id": 3, "email": "coder@example.org"},
                    "result": [
                        {
                            "from_name": "sentiment",
                            "to_name": "text",
                            "type": "choices",
                            "value": {"choices": ["opinion"]},
                        },
                        {
                            "from_name": "bias",
                            "to_name": "text",
                            "type": "choices",
                            "value": {"choices": ["Loaded language", "emotional_appeal"]},
                        },
                        {
                            "from_name": "cited_source",
                            "to_name": "text",
                            "type": "textarea",
                            "value": {"text": ["  The ministry "]},
                        },
                    ],
                },
                {"id": 3, "completed_by": 9, "was_cancelled": True, "result": []},
            ],
            "predictions": [
                {
                    "model_version": "m1",
                    "result": [{"type": "choices", "value": {"choices": ["x"]}}],
                }
            ],
        },
        {
            "id": 102,
            "data": {"text": q.text, "document": q.document_id, "position": q.position},
            "annotations": [
                {
                    "completed_by": 7,
                    "result": [
                        {
                            "from_name": "type",
                            "to_name": "text",
                            "type": "choices",
                            "value": {"choices": ["Opinion"]},
                        },
                        {
                            "from_name": "loaded",
                            "to_name": "text",
                            "type": "labels",
                            "value": {"start": ls, "end": le, "labels": ["Loaded language"]},
                        },
                    ],
                }
            ],
        },
        {"id": 103, "data": {"text": "nobody labelled this"}, "annotations": []},
    ]
