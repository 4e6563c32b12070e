"""'What needs to improve' lists: one clean line per point, sub-points joined into their
parent, sub-headings and 'nothing to report' statements dropped, national framework tags
taken out of the text into an outcome number and the tag as printed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ilacs.extract.models import ImprovementPoint
from ilacs.extract.text import (
    Line,
    join_wrapped,
    starts_with_bullet,
    starts_with_sub_bullet,
    strip_bullet,
)

# '10. Ensure ...', and '10.Ensure ...' where the PDF lost the space
_NUMBERED = re.compile(r"^(\d{1,3})\.(?:\s+(?=\S)|(?=[A-Z‘'“]))")
_PARAGRAPH = re.compile(r"^\d{1,3}\.\s+[A-Z‘'“]")
_NOTHING_TO_LIST = re.compile(
    r"^(?:there (?:are|were) no|the inspection did not (?:find|identify)|no areas? for|"
    r"no areas? (?:were|was) identified|"
    r"inspectors did not (?:find|identify))",
    re.IGNORECASE,
)
# "The areas for improvement set at the last visit remain. There are no additional ...".
_NOTHING_MORE = re.compile(r"\bthere (?:are|were) no (?:additional |further |new )?(?:areas?|"
                           r"priority)\b", re.IGNORECASE)
_TAG = re.compile(
    r"\s*\((?P<tag>(?:[^()]*national\s+framework[^()]*|"
    r"\s*(?:outcome|enabler|principle)\s*:?\s*(?:\d|one|two|three|four)\b[^()]*))\)"
    r"\s*(?P<stop>\.?)\s*$",
    re.IGNORECASE,
)
# A footnote's number printed against the word it annotates ('standard-risk6 cases').
_FOOTNOTE_MARK = re.compile(r"(?<=[a-z]{3})\d{1,2}(?=[\s.,;:)]|$)")
_OUTCOME = re.compile(r"\boutcome\s*(\d|one|two|three|four)\b", re.IGNORECASE)
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4}
_SUB_JOINERS = (",", ";", ":")


@dataclass
class _Item:
    parts: list[str]
    page: int
    section: str
    bulleted: bool = False
    subs: list[list[str]] = field(default_factory=list)

    def text(self) -> str:
        text = join_wrapped(self.parts)
        for sub in self.subs:
            piece = join_wrapped(sub)
            if not piece:
                continue
            # a lead-in may end 'by: (paragraph 150)', its reference after the colon
            if text.endswith(_SUB_JOINERS) or re.search(r"\b(?:and|or)$|:\s*\([^()]*\)$",
                                                        text):
                text = f"{text} {piece}"
            else:
                text = f"{text}; {piece}"
        return text

    def add(self, text: str) -> None:
        (self.subs[-1] if self.subs else self.parts).append(text)


def find_list_start(lines: Sequence[Line], headings: Sequence[re.Pattern[str]]) -> int | None:
    """Index of the first line after the list's heading (skipping the contents page). A
    heading is matched without a footnote mark after its question mark or a colon after
    it ('Recommendations:')."""
    # (the length first: this runs over every line of a document, several times)
    contents_pages = {line.page for line in lines
                      if len(line.text) < 20 and line.text.strip().casefold() == "contents"}
    for index, line in enumerate(lines):
        if line.page in contents_pages:
            continue
        text = line.text.strip()
        if "?" in text:
            text = _FOOTNOTE_AFTER_QUESTION.sub("?", text)
        text = text.removesuffix(":").rstrip()
        if any(heading.search(text) for heading in headings):
            return index + 1
    return None


_FOOTNOTE_AFTER_QUESTION = re.compile(r"\?\d+$")


def extract_items(
    lines: Sequence[Line],
    start: int,
    end_headings: Sequence[re.Pattern[str]],
    numbered: bool,
    section: str = "what_needs_to_improve",
) -> list[ImprovementPoint]:
    items: list[_Item] = []
    current: _Item | None = None
    heading = lines[start - 1].text.strip().casefold() if start > 0 else None
    for index in range(start, len(lines)):
        line = lines[index]
        text = line.text
        if any(pattern.search(text) for pattern in end_headings) and not _continues(current, text):
            break
        if index > start and line.page != lines[index - 1].page and \
                re.sub(r"\s*\(continued\)$", "", text.strip().casefold()) == heading:
            continue  # the list's heading repeated at the top of the next page
        if starts_with_sub_bullet(text) and current is not None:
            current.subs.append([strip_bullet(text)])
        elif numbered and _NUMBERED.match(text):
            current = _Item([_NUMBERED.sub("", text)], line.page, section)
            items.append(current)
        elif starts_with_bullet(text):
            if numbered and current is not None and _is_group_heading(current):
                items.remove(current)  # "1. Quality of practice" heads a group of bullets
                current = None
            if numbered and current is not None and not current.bulleted:
                current.subs.append([strip_bullet(text)])
            else:
                current = _Item([strip_bullet(text)], line.page, section, bulleted=True)
                items.append(current)
        elif not numbered and _PARAGRAPH.match(text) and items:
            break
        elif current is None:
            continue  # a lead-in sentence or sub-heading before the first point
        elif _TIMEFRAME.match(text):
            current = None  # 'Within three months:' heads the points due by then
        elif _is_sub_heading(lines, index, current, numbered):
            current = None
        elif current.bulleted and _heads_prose(lines, index, current):
            break
        else:
            current.add(text)
    return [item for item in (_finish(item) for item in items) if item is not None]


def paragraph_items(lines: Sequence[Line], start: int, end_headings: Sequence[re.Pattern[str]],
                    section: str = "what_needs_to_improve") -> list[ImprovementPoint]:
    """A list printed as paragraphs, without bullets (older JTAI letters, some focused
    visits): a point ends with a sentence on a line well short of the page's width, the last
    line of its paragraph. Short capitalised lines without a full stop are sub-headings."""
    block: list[Line] = []
    for line in lines[start:]:
        if any(pattern.search(line.text) for pattern in end_headings):
            break
        block.append(Line(line.page, strip_bullet(line.text)))
    if not block or any(line.text.endswith(":") for line in block):
        return []  # a sentence introducing a list: the list is not in paragraphs
    width = max(len(line.text) for line in block)
    items: list[_Item] = []
    current: _Item | None = None
    for index, line in enumerate(block):
        text = line.text
        following = block[index + 1].text if index + 1 < len(block) else ""
        if _is_paragraph_heading(text, following, width) and (
                current is None or re.search(r"[.!?][’”]?$", current.parts[-1])):
            current = None  # a sub-heading after a full paragraph ('Response to neglect')
            continue
        if current is None:
            current = _Item([text], line.page, section)
            items.append(current)
        else:
            current.add(text)
        if re.search(r"[.!?][’”]?$", text) and len(text) <= _PARAGRAPH_END * width:
            current = None
    return [item for item in (_finish(item) for item in items)
            if item is not None and not _NOTHING_MORE.search(item.text)]


def _is_paragraph_heading(text: str, following: str, width: int) -> bool:
    """Shorter than a paragraph's wrapped lines, which run near the full width."""
    return (len(text) <= _HEADING_WIDTH * width and text[:1].isupper()
            and not re.search(r"[.;:,]$", text) and following[:1].isupper())


def _is_group_heading(item: _Item) -> bool:
    text = join_wrapped(item.parts)
    return not item.subs and not item.bulleted and len(text) < 90 and not re.search(r"[.;:]$", text)


def _continues(current: _Item | None, text: str) -> bool:
    """A wrapped line of a point can start like an end heading ('care leavers ...')."""
    if current is None:
        return False
    last = (current.subs[-1] if current.subs else current.parts)[-1]
    if re.search(r"[.?!:]$", last):
        return False
    return text[:1].islower() or bool(_DANGLING_WORD.search(last))


_TIMEFRAME = re.compile(r"^(?:Immediately|Within\s+(?:\w+|\d+)\s+(?:weeks?|months?))\s*:?$",
                        re.IGNORECASE)
_MAX_HEADING = 90
_MAX_SECTION_HEADING = 60
_PARAGRAPH_END = 0.75  # a paragraph's last line is shorter than this share of the widest
_HEADING_WIDTH = 0.78
_DANGLING_WORD = re.compile(
    r"\b(?:a|an|the|of|to|for|in|on|and|or|under|with|by|from|that|their|its|at|as)\s*$|,\s*$",
    re.IGNORECASE,
)


def _is_sub_heading(lines: Sequence[Line], index: int, current: _Item, numbered: bool) -> bool:
    """A short capitalised line after a finished point, followed (perhaps after another such
    line) by the next point: 'Areas for improvement' / 'Quality of practice'."""
    last = (current.subs[-1] if current.subs else current.parts)[-1]
    if not re.search(r"[.;:!?)]$", last):
        return False
    for following in lines[index : index + 3]:
        text = following.text
        if _starts_item(text, numbered):
            return following is not lines[index]
        if len(text) > _MAX_HEADING or re.search(r"[.;,]$", text) or not text[:1].isupper():
            return False
    return False


def _heads_prose(lines: Sequence[Line], index: int, current: _Item) -> bool:
    """After a finished bullet, a short capitalised line without a full stop followed by a
    sentence is the next section's heading ('Walsall Safeguarding Partnership (WSP)'): the
    list has ended. A bullet's own wrapped lines run the full width of the page."""
    last = (current.subs[-1] if current.subs else current.parts)[-1]
    text = lines[index].text
    following = lines[index + 1].text if index + 1 < len(lines) else ""
    return (bool(re.search(r"[.!?]$", last)) and len(text) <= _MAX_SECTION_HEADING
            and text[:1].isupper() and not re.search(r"[.;:,]$", text)
            and following[:1].isupper() and not starts_with_bullet(following))


def _starts_item(text: str, numbered: bool) -> bool:
    return starts_with_bullet(text) or bool(numbered and _NUMBERED.match(text))


def _finish(item: _Item) -> ImprovementPoint | None:
    text = _FOOTNOTE_MARK.sub("", item.text())
    if not text or _NOTHING_TO_LIST.match(text):
        return None
    text, outcome, tag = split_tag(text)
    return ImprovementPoint(text, outcome, tag, item.page, item.section)


def split_tag(text: str) -> tuple[str, int | None, str | None]:
    """'The quality of plans. (outcome 1, national framework)' -> text, 1, tag as printed."""
    match = _TAG.search(text)
    if not match:
        return text, None, None
    tag = " ".join(match.group("tag").split())
    outcome_match = _OUTCOME.search(tag)
    outcome = None
    if outcome_match:
        word = outcome_match.group(1).casefold()
        outcome = int(word) if word.isdigit() else _WORD_NUMBERS[word]
    body = text[: match.start()].rstrip()
    if match.group("stop") and not body.endswith("."):
        body += "."
    return body, outcome, tag
