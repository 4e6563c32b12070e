"""Page 1 of a report: the authority's name as printed, and the labelled fields around it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ilacs.extract.text import Line, join_wrapped

_ILACS_TITLE = re.compile(
    r"^Inspection of (?:the )?(?P<name>.+?)\s+(?:local\s+authority\s+)?children.s\s+services\b",
    re.IGNORECASE,
)
_TRUST_TITLE = re.compile(r"^Inspection of (?:the )?(?P<name>.+?(?:Trust|Children First))\b",
                          re.IGNORECASE)
_OLD_TITLE_START = re.compile(
    r"^(?:Re-?inspection|Inspection|Review) of (?:services for children|children.s social care|"
    r"local authority children|the effectiveness|looked after|safeguarding)",
    re.IGNORECASE,
)
_FIELD_LABEL = re.compile(
    r"^(?:Inspection dates?|Lead inspectors?|Reporting inspector|Report published|Published|"
    r"Age group|Judgement)\b",
    re.IGNORECASE,
)
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")


_BOARD_SUFFIX = re.compile(r"\s+(?:Local\s+)?Safeguarding\s+Children\s+Board$", re.IGNORECASE)


def find_authority_name(page_one: Sequence[Line]) -> tuple[str | None, int | None]:
    """The authority as page 1 names it; a stand-alone review of a safeguarding children
    board names the board, and the authority it serves is recorded."""
    name, page = _printed_name(page_one)
    if name is not None:
        name = _BOARD_SUFFIX.sub("", name)
    return name, page


def _printed_name(page_one: Sequence[Line]) -> tuple[str | None, int | None]:
    """The ILACS title's 'X' or the older reports' own line."""
    texts = [line.text for line in page_one[:12]]
    if not texts:
        return None, None
    page = page_one[0].page
    old = _old_style_name(texts)
    if old is not None:
        return old, page
    title_lines: list[str] = []
    for text in texts:
        if _FIELD_LABEL.match(text) or (title_lines and re.match(r"^\d", text)):
            break
        if text.lower().startswith("inspection of") and title_lines:
            title_lines = []  # a running header line came first; the real title restarts here
        title_lines.append(text)
    title = join_wrapped(title_lines)
    for pattern in (_ILACS_TITLE, _TRUST_TITLE):
        match = pattern.match(title)
        if match:
            return match.group("name").strip(" ,"), page
    return None, None


def _old_style_name(texts: Sequence[str]) -> str | None:
    """SIF and early ILACS: [page number] / authority line(s) / 'Inspection of ...'.
    Pre-SIF: 'Inspection of looked after children services' / authority / 'Inspection dates'."""
    start = 1 if _PAGE_NUMBER.match(texts[0]) else 0
    for index in range(start, min(len(texts), start + 4)):
        if _OLD_TITLE_START.match(texts[index]):
            if index > start:
                return join_wrapped(texts[start:index])
            if re.match(r"^Inspection of looked after children", texts[index], re.IGNORECASE):
                return _name_after_title(texts[index:])
            return None
    return None


def _name_after_title(texts: Sequence[str]) -> str | None:
    """Pre-SIF: the title may wrap ('... children' / 'services'); the name follows it."""
    index = 1
    if index < len(texts) and texts[index].casefold() == "services":
        index += 1
    name_lines = []
    for text in texts[index:]:
        if _FIELD_LABEL.match(text):
            break
        name_lines.append(text)
    return join_wrapped(name_lines) or None


def labelled_value(lines: Sequence[Line], label: re.Pattern[str],
                   max_lines: int = 3) -> tuple[str, int] | None:
    """The text after a label ('Inspection dates: ...'), continued over following lines until
    the next field label; with the page it was found on."""
    for index, line in enumerate(lines):
        match = label.match(line.text)
        if not match:
            continue
        parts = [line.text[match.end():].strip(" :")]
        for following in lines[index + 1 : index + max_lines]:
            if _FIELD_LABEL.match(following.text) or following.page != line.page:
                break
            parts.append(following.text)
        return join_wrapped(parts), line.page
    return None
