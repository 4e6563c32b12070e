"""Bad files in a folder: each is a problem naming the file; the rest goes on."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pypdfium2 as pdfium
from click.testing import CliRunner

from conftest import LETTERS, require_shared
from ilacs.cli import cli
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
    assert conn.execute("SELECT count(*) FROM problems WHERE path = 'gone.pdf'").fetchone()[0] == 1
    ingest(conn, find_files([folder]))  # the vanished file's problem goes with it
    assert {row[0] for row in conn.execute("SELECT path FROM problems")} == {"notes.docx",
                                                                            "empty.pdf"}


def test_problems_belong_to_what_each_file_holds_now(corpus_db: Path, tmp_path: Path) -> None:
    """A fixed file loses the problem of what it was, a moved folder's problems name the files
    where they are now (once), and a rerun still reports the warnings that stand, so
    `--strict` fails on it as it did the first time."""
    warned = open_store(corpus_db).execute(
        "SELECT d.location FROM problems p JOIN documents d ON d.sha256 = p.document_sha256"
        " WHERE p.severity = 'warning' AND d.kind = 'inspection_report' ORDER BY d.path"
        " LIMIT 1"
    ).fetchone()
    assert warned, "the corpus record has no report with a warning: pick another test input"
    folder = tmp_path / "in"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    name = Path(warned[0]).name  # its name dates it: only the warning stays
    shutil.copy(warned[0], folder / "a" / name)  # read at test time, never kept
    error_page = b"<!DOCTYPE html><html><body>Sorry, we could not find that page</body></html>"
    (folder / "a" / "report.pdf").write_bytes(error_page)
    (folder / "b" / "report.pdf").write_bytes(error_page)  # the same bytes: two files
    db = tmp_path / "ilacs.db"
    conn = open_store(db)

    def stored() -> set[tuple[str, str]]:
        rows = conn.execute("SELECT path, kind FROM problems").fetchall()
        assert len(rows) == len({(row[0], row[1]) for row in rows}), "a problem twice"
        return {(row[0], row[1]) for row in rows}

    first = ingest(conn, find_files([folder]))
    assert stored() == {("a/report.pdf", "not_a_pdf"), (f"a/{name}", "missing_field"),
                        ("b/report.pdf", "not_a_pdf")}
    assert len(first.problems) == 3 and first.standing == 0

    again = ingest(conn, find_files([folder]))
    assert stored() == {("a/report.pdf", "not_a_pdf"), (f"a/{name}", "missing_field"),
                        ("b/report.pdf", "not_a_pdf")}
    assert len(again.problems) == 3 and again.standing == 1 and again.unchanged == 1

    shutil.copy(next(LETTERS.rglob("*.pdf")), folder / "a" / "report.pdf")  # fixed
    ingest(conn, find_files([folder]))
    assert stored() == {(f"a/{name}", "missing_field"), ("b/report.pdf", "not_a_pdf")}

    moved = tmp_path / "moved"
    folder.rename(moved)
    ingest(conn, find_files([tmp_path]))  # the same files, named from a folder above
    assert stored() == {(f"moved/a/{name}", "missing_field"),
                        ("moved/b/report.pdf", "not_a_pdf")}

    rerun = CliRunner().invoke(cli, ["ingest", str(moved), "--strict", "--db", str(db)], obj={})
    assert rerun.exit_code == 1, rerun.output
    assert name in rerun.output and "recorded before" in rerun.output
