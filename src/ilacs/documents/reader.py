"""Read any supported file into a Document, or raise DocumentError with a precise problem."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ilacs.documents.markup import html_to_text, looks_like_html
from ilacs.documents.model import Document, MediaType, Page
from ilacs.documents.pdf import PDF_MAGIC, pdf_to_pages
from ilacs.errors import DocumentError, Problem, ProblemKind, Severity

HTML_SUFFIXES = {".html", ".htm"}
TEXT_SUFFIXES = {".txt", ".text", ".md"}


def sha256_of_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_document(path: Path, display_path: str | None = None) -> Document:
    """Read ``path``; ``display_path`` is how problems name the file (defaults to the path)."""
    shown = display_path or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(
            Problem(ProblemKind.DAMAGED_PDF, f"cannot read the file ({error.strerror})", shown,
                    severity=Severity.ERROR)
        ) from error
    return bytes_to_document(data, shown, path.suffix.lower())


def bytes_to_document(data: bytes, path: str, suffix: str, digest: str | None = None) -> Document:
    """A document of a file's bytes; `digest` is their sha256 where the caller has it."""
    digest = digest or hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise DocumentError(
            Problem(ProblemKind.EMPTY_FILE, "the file is empty (0 bytes of content); download it "
                    "again", path, severity=Severity.ERROR)
        )
    head = data[:1024]
    if suffix == ".pdf" or PDF_MAGIC in head:
        if PDF_MAGIC not in head:
            raise DocumentError(_not_a_pdf(head, path))
        return Document(path, digest, len(data), MediaType.PDF, pdf_to_pages(data, path))
    text = _decode(data)
    if suffix in HTML_SUFFIXES or looks_like_html(head):
        return Document(path, digest, len(data), MediaType.HTML, (Page(1, html_to_text(text)),))
    if suffix in TEXT_SUFFIXES or suffix == "":
        return Document(path, digest, len(data), MediaType.TEXT, (Page(1, _plain_bullets(text)),))
    raise DocumentError(
        Problem(ProblemKind.UNKNOWN_DOCUMENT, f"not a format ilacs reads (a '{suffix}' file); "
                "ilacs reads PDF, HTML and plain text: save it as PDF and ingest that", path,
                severity=Severity.ERROR)
    )


def _plain_bullets(text: str) -> str:
    """Plain-text lists ('- item', '* item') use the bullet a PDF would print, so letters
    pasted as text read like the PDF."""
    return re.sub(r"(?m)^[ \t]*[-*][ \t]+(?=\S)", "• ", text)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding).replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _not_a_pdf(head: bytes, path: str) -> Problem:
    if looks_like_html(head):
        message = (
            "not a PDF: found an HTML page (it starts with '<!DOCTYPE' or '<html'), probably an "
            "error page saved in place of the report; re-download the report from Ofsted's "
            "website, or ingest it as .html if it really is a web page"
        )
        return Problem(ProblemKind.NOT_A_PDF, message, path,
                       snippet=head[:80].decode("latin-1").strip(), severity=Severity.ERROR)
    return Problem(ProblemKind.NOT_A_PDF, "not a PDF: the file does not start with '%PDF-'; "
                   "download it again", path, snippet=head[:40].decode("latin-1"),
                   severity=Severity.ERROR)
