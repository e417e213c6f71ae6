"""A campaign's passages with their final answers as a Hugging Face dataset folder (pure, no
Django).

The folder holds ``data/train.jsonl`` (``data/train.parquet`` when pyarrow is installed and
asked for: Credence does not depend on it) and ``README.md``, a dataset card whose YAML
front matter declares the data files and their features, as the Hub's "manual
configuration" describes (https://huggingface.co/docs/hub/datasets-manual-configuration;
the dataset card specification, huggingface/hub-docs datasetcard.md):

    configs:
    - config_name: default
      data_files:
      - split: train
        path: data/train.jsonl

so ``datasets.load_dataset("path/to/folder")`` (or ``load_dataset("json",
data_files="path/to/folder/data/train.jsonl")``) reads it, and the folder can be pushed to
the Hub as it is. The licence is a placeholder (``other``): the texts belong to their
outlets, and whoever publishes the dataset must say under which terms.

One row per passage of the campaign, in reading order (ROW_FEATURES): unresolved passages
are kept, with an empty label, so a reader can see how many there are and filter them
(``final_status``). Span offsets count from the row's ``text`` (the passage), end
exclusive: ``text[start:end]`` is the span's text.
"""

from __future__ import annotations

import importlib.util
import io
import json

from annotate.interchange.formats.base import LABEL, Vocabulary

SPAN_FEATURES = [
    ("layer", "string"),
    ("label", "string"),
    ("start", "int64"),
    ("end", "int64"),
    ("text", "string"),
]
# (name, dtype or "sequence"/"spans", what it is): the rows' columns, in order.
ROW_FEATURES = [
    ("passage_id", "int64", "Credence's passage id."),
    ("document_id", "int64", "Credence's document id."),
    ("position", "int64", "The passage's position in its document, from 0."),
    ("outlet", "string", "The outlet (news source) that published the document."),
    ("title", "string", "The document's title."),
    ("text", "string", "The passage, as published."),
    ("label", "string", "Final passage type (stored value); empty when unresolved."),
    ("label_name", "string", "Its display name."),
    (
        "final_status",
        "string",
        "`adjudicated` (a curator decided), `unanimous` (every reviewer agreed) or `unresolved`.",
    ),
    ("cited_type", "string", "Final cited-source type; empty when no one is cited."),
    ("cited_source", "string", "Final cited source's name, when known."),
    ("markers", "sequence", "Final bias markers (stored values)."),
    (
        "spans",
        "spans",
        "Final evidence spans (a curator's decision only): layer (`source` or `loaded`), "
        "label, start and end in `text` (end exclusive) and the marked text.",
    ),
    ("annotations", "int64", "How many reviewers labelled the passage."),
]
DATA_JSONL = "data/train.jsonl"
DATA_PARQUET = "data/train.parquet"


def have_pyarrow() -> bool:
    return importlib.util.find_spec("pyarrow") is not None


def rows(records, vocabulary: Vocabulary):
    for record in records:
        final = record.final
        spans = []
        if final is not None:
            for span in final.spans:
                start, end = record.relative(span)
                spans.append(
                    {
                        "layer": span["layer"],
                        "label": span["label"],
                        "start": start,
                        "end": end,
                        "text": record.text[start:end],
                    }
                )
        yield {
            "passage_id": record.passage,
            "document_id": record.document,
            "position": record.position,
            "outlet": record.outlet,
            "title": record.title,
            "text": record.text,
            "label": final.label if final else "",
            "label_name": vocabulary.name(LABEL, final.label) if final else "",
            "final_status": record.final_status,
            "cited_type": (final.cited_type or "") if final else "",
            "cited_source": (final.cited_source or "") if final else "",
            "markers": list(final.markers) if final else [],
            "spans": spans,
            "annotations": len(record.answers),
        }


def _features_yaml() -> list[str]:
    lines = ["  features:"]
    for name, dtype, _ in ROW_FEATURES:
        lines.append(f"  - name: {name}")
        if dtype == "sequence":
            lines.append("    sequence: string")
        elif dtype == "spans":
            lines.append("    list:")
            for field, field_type in SPAN_FEATURES:
                lines.append(f"    - name: {field}")
                lines.append(f"      dtype: {field_type}")
        else:
            lines.append(f"    dtype: {dtype}")
    return lines


def dataset_card(title: str, n_rows: int, data_file: str, labels: dict[str, str]) -> str:
    """README.md: YAML front matter (configs, data_files, features, licence placeholder)
    and a short description of the columns."""
    front = [
        "---",
        "license: other  # placeholder: the texts belong to their outlets; state the terms",
        f"pretty_name: {json.dumps(title, ensure_ascii=False)}",
        "task_categories:",
        "- text-classification",
        "- token-classification",
        "configs:",
        "- config_name: default",
        "  data_files:",
        "  - split: train",
        f"    path: {data_file}",
        "dataset_info:",
        *_features_yaml(),
        "  splits:",
        "  - name: train",
        f"    num_examples: {n_rows}",
        "---",
    ]
    columns = "\n".join(f"- `{name}`: {about}" for name, _, about in ROW_FEATURES)
    types = "\n".join(f"- `{value}`: {name}" for value, name in labels.items())
    body = f"""
# {title}

Passages of news articles labelled in Credence by several reviewers, with each passage's
final answer: what kind of statement it is, who it cites and how it is framed. One row per
passage, in the campaign's reading order, in `{data_file}`.

```python
from datasets import load_dataset
dataset = load_dataset("path/to/this/folder")  # or the Hub name once pushed
```

## Passage types

{types}

## Columns

{columns}

## Licence

`license: other` above is a placeholder. The passages are quoted from published articles;
choose the terms under which you may share them before publishing this dataset.
"""
    return "\n".join(front) + "\n" + body


def files(records, vocabulary: Vocabulary, title: str, parquet: bool | None = None) -> dict:
    """{relative path: str or bytes} of the dataset folder. ``parquet``: write the data as
    Parquet (needs pyarrow); by default only when pyarrow is installed."""
    data = list(rows(records, vocabulary))
    parquet = have_pyarrow() if parquet is None else parquet
    if parquet:
        import pandas as pd

        buffer = io.BytesIO()
        pd.DataFrame(data, columns=[name for name, _, _ in ROW_FEATURES]).to_parquet(
            buffer, index=False
        )
        data_file, content = DATA_PARQUET, buffer.getvalue()
    else:
        data_file = DATA_JSONL
        content = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in data)
    return {
        data_file: content,
        "README.md": dataset_card(title, len(data), data_file, vocabulary.labels),
    }


def write(records, vocabulary: Vocabulary, title: str = "Credence campaign") -> dict:
    return files(records, vocabulary, title)
