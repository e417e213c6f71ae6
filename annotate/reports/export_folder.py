"""The export folder: every export of a campaign in one directory (``manage.py export_report``).

Each export kind (annotate.reports.exports.KINDS) is written under its download name, byte for
byte what the download links give, with the campaign's settings and a data card
(annotate.reports.data_card) among them.
"""

from __future__ import annotations

from pathlib import Path

from annotate.reports import exports


class FolderError(Exception):
    """The folder or one of its files cannot be written; the message says which and why."""


def write_folder(campaign, folder, kinds=exports.KINDS, anonymise: bool = False):
    """Write the export ``kinds`` of the campaign into ``folder`` (created if missing) under
    their download names; yields each file's path once it is complete.

    Each file is written to a ``.partial`` name and renamed when whole, so a failure never
    leaves a half-written file under the real name. Raises FolderError when the folder or a
    file cannot be written.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FolderError(f"cannot create {folder}: {error.strerror}") from error
    for kind in kinds:
        path = folder / exports.filename(campaign, kind, anonymise)
        partial = path.with_name(path.name + ".partial")
        try:
            with partial.open("wb") as handle:
                for chunk in exports.export(campaign, kind, anonymise):
                    handle.write(chunk.encode("utf-8"))
            partial.replace(path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise FolderError(f"cannot write {path}: {error.strerror}") from error
        yield path
