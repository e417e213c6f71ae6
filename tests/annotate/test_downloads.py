"""annotate.downloads: every CSV download, made spreadsheet-safe."""

import csv
import io

import pandas as pd

from annotate import downloads


def test_a_csv_download_neutralises_formulas_and_names_its_file():
    response = downloads.csv_download("x.csv", ["a", "b"], [["=1+1", -0.5], [None, "ok"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["a", "b"], ["'=1+1", "-0.5"], ["", "ok"]]


def test_a_streamed_download_sends_the_same_text_in_chunks(monkeypatch):
    monkeypatch.setattr(downloads, "FLUSH_ROWS", 2)
    frame = pd.DataFrame({"n": range(7), "text": ["@x"] * 7})
    chunks = list(downloads.csv_chunks(list(frame.columns), downloads.frame_rows(frame)))
    assert len(chunks) >= 3
    streamed = downloads.attachment(iter(chunks), "f.csv", streaming=True)
    text = b"".join(streamed.streaming_content).decode()
    assert text == "".join(chunks)
    assert text.splitlines()[1] == "0,'@x" and text.endswith("\r\n")
