"""File downloads: every CSV a page offers goes out through here.

CSV text is RFC 4180 (CRLF line ends, quotes where needed) written in chunks, and every
cell goes through csvsafe.safe_cell, so nothing a spreadsheet would run as a formula gets
through. Exports that can reach millions of rows stream; the pages' small tables are sent
whole, which lets a browser show their size and progress.
"""

import csv

from django.http import HttpResponse, StreamingHttpResponse

from annotate.csvsafe import safe_cell

CSV = "text/csv; charset=utf-8"
FLUSH_ROWS = 500  # rows per chunk of text handed to the response


class _Echo:
    """csv.writer target that hands each formatted line back (Django's streaming CSV recipe)."""

    def write(self, value):
        return value


def csv_chunks(columns, rows):
    """CSV text of a header and rows of finished cells, in chunks of FLUSH_ROWS rows."""
    line = csv.writer(_Echo()).writerow
    chunk = [line(columns)]
    for row in rows:
        chunk.append(line(row))
        if len(chunk) >= FLUSH_ROWS:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


def safe_rows(rows):
    """Rows with every cell made spreadsheet-safe (csvsafe.safe_cell)."""
    return ([safe_cell(v) for v in row] for row in rows)


def frame_rows(frame):
    """A DataFrame's rows, spreadsheet-safe, for csv_chunks."""
    return safe_rows(frame.itertuples(index=False, name=None))


def attachment(chunks, filename, content_type=CSV, streaming=False):
    """A download of text chunks, saved by the browser as ``filename``; ``streaming`` sends
    each chunk as it is made instead of the whole file at once."""
    if streaming:
        response = StreamingHttpResponse(chunks, content_type=content_type)
    else:
        response = HttpResponse("".join(chunks), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_download(filename, columns, rows):
    """A CSV download of a header and rows of raw values (made safe here)."""
    return attachment(csv_chunks(columns, safe_rows(rows)), filename)
