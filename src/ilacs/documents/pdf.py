"""PDF pages to text with pypdfium2, with every failure turned into a typed problem."""

from __future__ import annotations

import re

import pypdfium2 as pdfium

from ilacs.documents.model import Page
from ilacs.errors import DocumentError, Problem, ProblemKind, Severity

PDF_MAGIC = b"%PDF-"


def pdf_to_pages(data: bytes, path: str) -> tuple[Page, ...]:
    """Return the text of every page; raise DocumentError naming the file when it cannot be read."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        # PDFium refuses a document without pages, reporting "Success": say what it is
        problem = _no_pages(path) if _declares_no_pages(data) else \
            _problem_for_open_error(str(error), path)
        raise DocumentError(problem) from error
    if len(pdf) == 0:
        pdf.close()
        raise DocumentError(_no_pages(path))
    try:
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            page.close()
            pages.append(Page(index + 1, _normalise_newlines(text)))
    finally:
        pdf.close()
    if not any(page.text.strip() for page in pages):
        raise DocumentError(
            Problem(
                ProblemKind.NO_TEXT_LAYER,
                f"the PDF has {len(pages)} page(s) but no text layer (a scan?); "
                "run it through OCR (e.g. ocrmypdf) and ingest the result",
                path,
                severity=Severity.ERROR,
            )
        )
    return tuple(pages)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_NO_PAGES = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+0\b|/Count\s+0\b[^>]*?/Type\s*/Pages\b")


def _declares_no_pages(data: bytes) -> bool:
    """The page tree says it holds none ('/Type /Pages /Count 0')."""
    return bool(_NO_PAGES.search(data[:1_000_000]))


def _no_pages(path: str) -> Problem:
    return Problem(ProblemKind.DAMAGED_PDF, "the PDF has no pages (it is a valid file, but "
                   "empty); download the document again", path, severity=Severity.ERROR)


def _problem_for_open_error(message: str, path: str) -> Problem:
    if "password" in message.lower() or "security" in message.lower():
        return Problem(
            ProblemKind.ENCRYPTED_PDF,
            "the PDF is encrypted and needs a password; download an unprotected copy "
            f"from Ofsted's website ({message})",
            path,
            severity=Severity.ERROR,
        )
    return Problem(
        ProblemKind.DAMAGED_PDF,
        f"the PDF is damaged or truncated and cannot be opened ({message}); download it again",
        path,
        severity=Severity.ERROR,
    )
