"""Annotation files of other tools, read into Credence's import rows and written from a
campaign (pure, no Django; the database side is annotate.interchange.annotation_import and
annotate.interchange.campaign_export).

FORMATS: name → reader ``read(name, data: bytes, context: ReadContext) -> Parsed`` whose
rows the one importer checks and writes. NEEDS_TEXTS: the readers that need the passages'
texts and the campaign's vocabulary in the context (their offsets count from the passage
and they name labels by display name).

EXPORTS: name → writer, given the campaign's PassageRecords and Vocabulary:
``labelstudio`` → tasks JSON (str), ``doccano`` → JSONL (str), ``hf`` → {path: content}
of a dataset folder.
"""

from __future__ import annotations

from pathlib import PurePath

from annotate.interchange.formats import csv_rows, doccano, hf_dataset, labelstudio
from annotate.interchange.formats.base import (
    Answer,
    Parsed,
    PassageRecord,
    Passages,
    PassageText,
    ReadContext,
    Vocabulary,
)

FORMATS = {"csv": csv_rows.read, "labelstudio": labelstudio.read, "doccano": doccano.read}
NEEDS_TEXTS = {"labelstudio", "doccano"}
EXPORTS = {"labelstudio": labelstudio.write, "doccano": doccano.write, "hf": hf_dataset.write}
EXTENSIONS = {".csv": "csv", ".jsonl": "doccano", ".ndjson": "doccano"}


def guess_format(name: str, data: bytes) -> str:
    """The format of a file, from its extension (.csv, .jsonl), else its first characters:
    JSON whose first object has ``annotations`` or ``data`` is Label Studio, other JSON
    (a list, or one object per line) doccano, the rest CSV."""
    by_extension = EXTENSIONS.get(PurePath(name).suffix.lower())
    if by_extension:
        return by_extension
    head = data[:4096].decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if head.startswith(("[", "{")):
        first = head.splitlines()[0] if head.startswith("{") else head
        if any(key in first for key in ('"annotations"', '"completions"', '"data"')):
            return "labelstudio"
        return "doccano"
    return "csv"


__all__ = [
    "EXPORTS",
    "FORMATS",
    "NEEDS_TEXTS",
    "Answer",
    "Parsed",
    "PassageRecord",
    "PassageText",
    "Passages",
    "ReadContext",
    "Vocabulary",
    "guess_format",
]
