"""Export a campaign for other tools: Label Studio tasks, doccano JSONL, a Hugging Face dataset
folder (the formats are in annotate.interchange.formats; this module reads the campaign and
writes the files).

- ``labelstudio``: ``OUT`` is a JSON file of tasks (final answers as predictions; with
  ``with_answers`` each reviewer's answer as an annotation), and beside it
  ``<OUT stem>.label_config.xml``, the labeling configuration the tasks fit.
- ``doccano``: ``OUT`` is a JSONL file of the final answers; with ``with_answers`` ``OUT`` is
  a folder holding ``final.jsonl`` and one ``<reviewer>.jsonl`` per reviewer (doccano's own
  export is per user).
- ``hf``: ``OUT`` is a folder: ``data/train.jsonl`` (Parquet when pyarrow is installed) and
  ``README.md``.
"""

from __future__ import annotations

import re
from pathlib import Path

from annotate.interchange import selectors
from annotate.interchange.formats import EXPORTS, doccano, hf_dataset, labelstudio

KINDS = tuple(EXPORTS)


class ExportError(Exception):
    """An export that cannot be written; the message says why."""


def _safe_name(name: str) -> str:
    """A reviewer's name as a file name: letters, digits, ``.``, ``-``, ``_`` and ``@``."""
    return re.sub(r"[^\w.@-]+", "_", name).strip("._") or "reviewer"


def export_campaign(campaign, kind: str, out, with_answers: bool = False) -> list[Path]:
    """Write the campaign's ``kind`` export at ``out``; return the files written."""
    if kind not in EXPORTS:
        raise ExportError(f"unknown format {kind!r}; choose from {', '.join(KINDS)}")
    out = Path(out)
    records = selectors.export_records(campaign)
    vocabulary = selectors.vocabulary(campaign)
    files = {}
    if kind == "labelstudio":
        files[out] = labelstudio.write(records, vocabulary, with_answers)
        files[out.with_name(f"{out.stem}.label_config.xml")] = labelstudio.labeling_config(
            vocabulary
        )
    elif kind == "doccano" and not with_answers:
        files[out] = doccano.write(records, vocabulary)
    elif kind == "doccano":
        files[out / "final.jsonl"] = doccano.write(records, vocabulary)
        taken = set()
        for reviewer in doccano.annotators(records):
            name = _safe_name(reviewer)
            while name.lower() in taken:  # two names that clean to the same file name
                name += "_"
            taken.add(name.lower())
            files[out / f"{name}.jsonl"] = doccano.write(records, vocabulary, annotator=reviewer)
    else:
        folder = hf_dataset.files(records, vocabulary, title=campaign.name)
        files = {out / path: content for path, content in folder.items()}
    for path, content in files.items():
        if path.is_dir():
            raise ExportError(f"{path} is a folder; name a file to write")
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return list(files)
