"""Line-level text handling shared by every extractor: lines with their page, running headers
and footers removed, wrapped lines joined under the labels' conventions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ilacs.documents import Document

# pdfium marks a hyphen at a line break with U+FFFE and joins the two lines itself.
SOFT_HYPHEN_MARK = "\ufffe"
BULLETS = "◼\uf06e\uf0a7\uf0b7•▪■\uf0fc●"
SUB_BULLETS = "−\uf02d─\uf0be―\u0336⎯"
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}\s*(?:of\s+\d{1,3})?\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Line:
    page: int
    text: str


def document_lines(document: Document, drop_running: bool = True) -> list[Line]:
    """Every non-empty line of the document in reading order, with running headers, footers
    and bare page numbers removed (they would otherwise split items that cross a page)."""
    pages = [[raw.strip() for raw in _clean(page.text).split("\n")] for page in document.pages]
    pages = [[text for text in page if text] for page in pages]
    running = _running_lines(pages) if drop_running else set()
    if drop_running:
        pages = [_without_footnotes(_without_address(page)) for page in pages]
    lines: list[Line] = []
    for number, page in enumerate(pages, start=1):
        for index, text in enumerate(page):
            edge = index < 3 or index >= len(page) - 2
            if edge and (_PAGE_NUMBER.match(text)
                         or (number > 1 and _signature(text) in running)):
                continue
            lines.append(Line(number, text))
    return lines


# Ofsted's address block, printed in the margin of page 1 of letters and on back pages.
_ADDRESS_LINE = re.compile(
    r"^(?:Ofsted|Piccadilly Gate|Store St(?:reet)?\.?|Manchester|M1 2WD|T:? 0300 ?123 ?\d{4}|"
    # the textphone number may wrap: "Textphone 0161 618" then "8524"
    r"Textphone:?[\d ]*|(?:0161 ?)?(?:618 ?)?8524|E?:? ?enquiries@ofsted\.gov\.uk|"
    r"W?:? ?www\.(?:gov\.uk/ofsted|"
    r"ofsted\.gov\.uk))$"
)


def _without_address(page: list[str]) -> list[str]:
    return [text for text in page if not _ADDRESS_LINE.match(text)]


_FOOTNOTE_START = re.compile(
    r"^\d{1,2}\s?(?!(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+\d{4})[A-Z][a-z]"
)  # a date line ('31 October 2024', the letter's date printed low on page 1) is no footnote
FOOTNOTE_ZONE = 8
_FOOTNOTE_MIN_WORDS = 6


def _without_footnotes(page: list[str]) -> list[str]:
    """Footnotes sit at the foot of a page and start with their number ('1 Ofsted produces
    this report ...'); numbered paragraphs and judgement rows have a full stop ('1. ')."""
    for index in range(max(0, len(page) - FOOTNOTE_ZONE), len(page)):
        if _FOOTNOTE_START.match(page[index]):
            return page[:index]
        following = page[index + 1] if index + 1 < len(page) else ""
        # the number on a line of its own, its text on the next: '2' / 'Looked after ...';
        # a short page's top lines hold its page number and running title, never a footnote
        if (index >= 3 and re.fullmatch(r"\d{1,2}", page[index]) and following[:1].isupper()
                and len(following.split()) >= _FOOTNOTE_MIN_WORDS):
            return page[:index]
    return page


def _clean(text: str) -> str:
    """A page's text with its spaces plain and pdfium's soft hyphens joined (a page at a time:
    nothing here reaches across a line, and a call a line was a tenth of reading a report)."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\t", " ")
    return _join_soft_hyphens(text)


def _join_soft_hyphens(text: str) -> str:
    if SOFT_HYPHEN_MARK not in text:
        return text
    # "16-" + "and 17-year-olds" keeps the space; everything else joins with the hyphen.
    text = re.sub(r"(\d)\ufffe(?=(?:and|or|to)\b)", r"\1- ", text)
    return text.replace(SOFT_HYPHEN_MARK, "-")


def _signature(text: str) -> str:
    return _DIGITS.sub("#", text.casefold()).strip()


_NUMBERED_RUNNING_PAGES = 4


def _running_lines(pages: Sequence[Sequence[str]]) -> set[str]:
    """Lines that head or foot most pages (the running title, 'dates N' lines), or that head
    or foot a run of pages with their number in them: a review bound into the back of a
    report has its own running title ('4 Inspection of the effectiveness of the local
    safeguarding children board: Hull') on a quarter of the pages."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for page in pages[1:]:
        edges = {_signature(text) for text in list(page[:3]) + list(page[-2:])}
        counts.update(edges)
    threshold = max(2, (len(pages) - 1) // 2)
    return {sig for sig, count in counts.items()
            if (count >= threshold and len(sig) > 3)
            or (count >= _NUMBERED_RUNNING_PAGES and "#" in sig and len(sig) > 30)}


def join_wrapped(parts: Iterable[str]) -> str:
    """Join wrapped lines into one line: a letter + '-' at a line end joins without a space,
    a digit + '-' joins without a space unless the next word is 'and', 'or' or 'to'."""
    result = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if not result:
            result = part
        elif re.search(r"[A-Za-z]-$", result) or (
            re.search(r"\d-$", result) and not re.match(r"(?:and|or|to)\b", part)
        ):
            result += part
        else:
            result += " " + part
    return re.sub(r"\s+", " ", result).strip()


def starts_with_bullet(text: str) -> bool:
    return bool(text) and text[0] in BULLETS


def starts_with_sub_bullet(text: str) -> bool:
    return bool(text) and (text[0] in SUB_BULLETS or text.startswith("- ") or text.startswith("– "))


def strip_bullet(text: str) -> str:
    return text[1:].strip() if text and (text[0] in BULLETS or text[0] in SUB_BULLETS or
                                         text[0] in "-–") else text.strip()


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class JoinedText:
    """Lines joined into one string, remembering the page each character came from."""

    text: str
    starts: tuple[tuple[int, int], ...]  # (offset in text, page)

    @classmethod
    def of(cls, lines: Sequence[Line]) -> JoinedText:
        pieces: list[str] = []
        starts: list[tuple[int, int]] = []
        offset = 0
        for line in lines:
            starts.append((offset, line.page))
            pieces.append(line.text)
            offset += len(line.text) + 1
        return cls(" ".join(pieces), tuple(starts))

    def page_at(self, offset: int) -> int:
        page = self.starts[0][1] if self.starts else 1
        for start, line_page in self.starts:
            if start > offset:
                break
            page = line_page
        return page
