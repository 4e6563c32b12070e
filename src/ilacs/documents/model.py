"""What a read document is: its identity (sha256 of the bytes), where it came from, its pages."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MediaType(StrEnum):
    PDF = "pdf"
    HTML = "html"
    TEXT = "text"


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, as a reader would cite it
    text: str


@dataclass(frozen=True)
class Document:
    path: str
    sha256: str
    size: int
    media_type: MediaType
    pages: tuple[Page, ...]

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)
