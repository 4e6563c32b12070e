"""Typed problems and exceptions shared by every pipeline stage.

Problems are data: extraction collects them instead of raising, so that one bad file never
stops a run. Exceptions exist for conditions a caller must handle (an unreadable file, a
database that cannot be opened) and always carry the path and, where known, the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ProblemKind(StrEnum):
    NOT_A_PDF = "not_a_pdf"
    EMPTY_FILE = "empty_file"
    DAMAGED_PDF = "damaged_pdf"
    ENCRYPTED_PDF = "encrypted_pdf"
    NO_TEXT_LAYER = "no_text_layer"
    UNKNOWN_DOCUMENT = "unknown_document"
    UNKNOWN_AUTHORITY = "unknown_authority"
    MISSING_FIELD = "missing_field"
    UNREADABLE_VALUE = "unreadable_value"
    NOT_TIDY_STATISTICS = "not_tidy_statistics"
    UNKNOWN_AREA = "unknown_area"
    UNREADABLE_FILE = "unreadable_file"  # the file system would not give its bytes


class Severity(StrEnum):
    ERROR = "error"  # the document could not be extracted at all
    WARNING = "warning"  # the document was extracted but a field is missing or doubtful


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    message: str
    path: str
    page: int | None = None
    field: str | None = None
    snippet: str | None = None
    severity: Severity = Severity.WARNING
    row: int | None = None  # the line of a CSV file (header = 1), or a spreadsheet's row

    def describe(self) -> str:
        return f"{self.where}: {self.message}"

    @property
    def where(self) -> str:
        """The file, then the page or the row and column, as a reader looks for it."""
        parts = [self.path]
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.row is not None and self.field:
            parts.append(f"column {self.field}")
        return ", ".join(parts)


class IlacsError(Exception):
    """Base of every error ilacs raises on purpose."""

    def __init__(self, message: str, path: str | None = None, page: int | None = None) -> None:
        self.path = path
        self.page = page
        where = "" if path is None else (f"{path}: " if page is None else f"{path}, page {page}: ")
        super().__init__(f"{where}{message}")


class DocumentError(IlacsError):
    """A file could not be read as a document; carries the problem that describes why."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.message, problem.path, problem.page)


class StoreError(IlacsError):
    """The database could not be opened, migrated or written."""


class AnalysisError(IlacsError):
    """An analysis was asked something the record or its options cannot answer."""
