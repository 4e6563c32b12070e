"""Bad files in a folder: each is a problem naming the file; the rest goes on."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pypdfium2 as pdfium

from conftest import LETTERS, require_shared
from ilacs.pipeline import find_files, ingest
from ilacs.store import open_store


def _zero_page_pdf() -> bytes:
    empty = pdfium.PdfDocument.new()
    buffer = io.BytesIO()
    empty.save(buffer)
    return buffer.getvalue()


def test_vanished_unreadable_and_unknown_files_are_problems(tmp_path: Path) -> None:
    require_shared()
    folder = tmp_path / "in"
    folder.mkdir()
    letter = next(LETTERS.rglob("*.pdf"))
    shutil.copy(letter, folder / "letter.pdf")  # read at test time, never kept
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not read")
    (folder / "empty.pdf").write_bytes(_zero_page_pdf())
    (folder / "gone.pdf").write_bytes(b"%PDF-1.4 soon gone")
    sources = find_files([folder])
    assert {source.display for source in sources} == {"letter.pdf", "notes.docx", "empty.pdf",
                                                      "gone.pdf"}
    (folder / "gone.pdf").unlink()  # vanishes between listing and reading
    conn = open_store(tmp_path / "ilacs.db")
    summary = ingest(conn, sources)
    said = {problem.path: problem.message for problem in summary.problems}
    assert "cannot read the file" in said["gone.pdf"]
    assert "not a format ilacs reads" in said["notes.docx"]
    assert "has no pages" in said["empty.pdf"]
    assert summary.visits == 1 and summary.unreadable == 3
