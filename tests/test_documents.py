"""Reading documents, and every kind of bad input, generated in tmp_path."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from ilacs.documents import MediaType, read_document
from ilacs.errors import DocumentError, ProblemKind


def blank_pdf_bytes() -> bytes:
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(200, 200)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def encrypted_pdf_bytes() -> bytes:
    """A PDF whose trailer names the standard security handler: readers ask for a password."""
    return blank_pdf_bytes().replace(
        b"/Root 1 0 R",
        b"/Root 1 0 R\r\n/Encrypt <</Filter/Standard/V 2/R 3/Length 128/O <" + b"11" * 32
        + b">/U <" + b"22" * 32 + b">/P -4>>",
    )


@pytest.mark.parametrize(
    ("name", "content", "kind", "words"),
    [
        ("empty.pdf", b"", ProblemKind.EMPTY_FILE, "empty"),
        ("blank.pdf", b"   \n", ProblemKind.EMPTY_FILE, "empty"),
        ("page.pdf", b"<!DOCTYPE html><html><body>Not found</body></html>",
         ProblemKind.NOT_A_PDF, "HTML"),
        ("junk.pdf", b"GIF89a....", ProblemKind.NOT_A_PDF, "%PDF-"),
        ("truncated.pdf", blank_pdf_bytes()[:200], ProblemKind.DAMAGED_PDF, "truncated"),
        ("locked.pdf", encrypted_pdf_bytes(), ProblemKind.ENCRYPTED_PDF, "password"),
        ("scan.pdf", blank_pdf_bytes(), ProblemKind.NO_TEXT_LAYER, "OCR"),
        ("sheet.xls", b"\xd0\xcf\x11\xe0 binary", ProblemKind.UNKNOWN_DOCUMENT, ".xls"),
    ],
)
def test_bad_input_is_a_typed_problem_naming_the_file(
    tmp_path: Path, name: str, content: bytes, kind: ProblemKind, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as raised:
        read_document(path, display_path=f"folder/{name}")
    problem = raised.value.problem
    assert problem.kind is kind
    assert problem.path == f"folder/{name}"
    assert words in problem.message
    assert str(raised.value).startswith(f"folder/{name}")


def test_html_and_text_files_are_read_as_one_page(tmp_path: Path) -> None:
    html = tmp_path / "letter.html"
    html.write_text("<html><head><style>p{}</style></head><body><h1>Focused visit</h1>"
                    "<p>Dear Ms Smith,</p><ul><li>First point</li></ul></body></html>")
    document = read_document(html)
    assert document.media_type is MediaType.HTML
    assert document.pages[0].text.splitlines() == ["Focused visit", "Dear Ms Smith,",
                                                   "• First point"]
    text = tmp_path / "note.txt"
    text.write_text("Line one\r\nLine two\n", encoding="utf-8")
    assert read_document(text).pages[0].text == "Line one\nLine two\n"


def test_same_bytes_same_identity(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("identical")
    second.write_text("identical")
    assert read_document(first).sha256 == read_document(second).sha256


def test_real_report_pages_are_numbered_from_one(shared_dir: Path) -> None:
    path = next((shared_dir / "corpus" / "reports" / "80419_isle of wight").glob("*2023.pdf"))
    document = read_document(path)
    assert document.media_type is MediaType.PDF
    assert [page.number for page in document.pages] == list(range(1, len(document.pages) + 1))
    assert "Isle of Wight" in document.pages[0].text
    assert "\r" not in document.text
