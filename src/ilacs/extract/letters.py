"""Letters: focused visits, monitoring visits and joint targeted area inspections (JTAI)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import PurePath

from ilacs.documents import Document
from ilacs.errors import Problem, ProblemKind
from ilacs.extract.authority import resolve_printed_names
from ilacs.extract.dates import date_from_file_name, parse_date, parse_date_blocks
from ilacs.extract.improvements import extract_items, paragraph_items
from ilacs.extract.inspectors import clean_name
from ilacs.extract.models import ImprovementPoint, VisitLetter
from ilacs.extract.text import JoinedText, Line, document_lines, join_wrapped
from ilacs.extract.visit_themes import visit_theme

FOCUSED_VISIT = "focused_visit"
MONITORING_VISIT = "monitoring_visit"
JTAI = "jtai"

_TITLE = re.compile(
    r"^(?P<kind>Focused visit to|Monitoring visit (?:to|of)|Joint targeted area inspection)\b",
)
_SALUTATION = re.compile(r"^Dear\b")
# A letter reproduced without its heading (a council's or newspaper's copy) still opens with
# this sentence.
_SUMMARY_OPENING = re.compile(
    r"^This letter summarises the findings of (?:the|a|our)\s+(?P<kind>focused|monitoring)\s+"
    r"visit\s+(?:to|of)\s+(?:the\s+)?(?P<name>.+?)(?:[’'`]s?)?\s+children.s\s+services\b")
# The first line after a letter's heading: its opening sentence, never part of the heading.
_AFTER_TITLE = re.compile(r"^(?:This\s+(?:letter|inspection)|Ofsted\b|(?:Between|From|On)\s+\d|\d)")
_SUMMARY_SENTENCE = re.compile(_SUMMARY_OPENING.pattern.removeprefix("^"))
# A place a JTAI names: the capitalised words after "in" ('... sexual abuse in the family in
# York', '... in the London Borough of Croydon', '... in Stoke-on-Trent').
_PLACE_IN = re.compile(
    r"\bin\s+(?:the\s+)?([A-Z][\w’'.-]*(?:\s+(?:and|of|upon|on|the)?\s*[A-Z][\w’'-]*)*)")
_STANDALONE_DATE = re.compile(r"^\d{1,2}\s+[A-Z][a-z]+\s+\d{4,5}$")
_SIGN_OFF = re.compile(r"^Your?s? sincerely", re.IGNORECASE)
_INSPECTORS = re.compile(
    r"(?:inspectors?(?:\s*\(HMIs?\))?(?:\s+for\s+(?:this|the)\s+(?:visit|inspection))?\s+(?:were|was)|"
    r"(?:carried\s+out|conducted|undertaken|led)\s+by|inspectors?\s+(?:are|is))\s+"
    r"(?P<names>.+?)(?:\.(?=\s+[A-Z]|\s*$)|\s+(?=Inspectors\s+(?:looked|considered|evaluated|"
    r"reviewed)))",
    re.IGNORECASE,
)
_HMI_ROLE = re.compile(r"Majesty\W{0,4}s\s+Inspector\b|\bHMI\b")
# The role printed under a signature ('His Majesty's Inspector'), not an inspectorate's name.
_HMI_ROLE_LINE = re.compile(r"^(?:(?:Her|His)\s+Majesty\W{0,4}s\s+Inspector\b|(?:Senior\s+)?HMI\b)")
_ROLE_WORDS = re.compile(
    r"\b(?:(?:Senior\s+)?(?:Her|His)\s+Majesty.s\s+Inspectors?|Senior\s+HMI|HMI(?:\s+Schools)?|"
    r"Ofsted\s+Inspectors?|lead\s+inspector|team\s+inspectors?|\(designate\)|designate|"
    r"all\s+of\s+whom\s+are|(?:two|three|four)\s+of|both|observer|observing)\b",
    re.IGNORECASE,
)
_FOCUS_SENTENCES = tuple(
    re.compile(prefix + r"\s+(?P<focus>.+?)\.’?(?=\s+[A-Z‘']|\s*$)")
    for prefix in (
        r"[Ii]nspectors\s+(?:looked\s+at|considered|evaluated|reviewed)(?=\s+the\s+local\s+"
        r"authority.s\s+arrangements)",
        r"Th(?:is|e)\s+visit\s+looked\s+at",
        r"The\s+focus\s+of\s+(?:this|the)\s+(?:monitoring\s+)?visit\s+was(?:\s+on)?",
        r"Inspectors\s+(?:looked\s+at|considered|evaluated|reviewed)",
    )
)
_FOCUS_CUT = re.compile(
    r",?\s+with\s+a\s+(?:particular\s+|specific\s+|primary\s+)?focus|\s+in\s+accordance\s+with|"
    r",\s+in\s+particular|,\s+specifically|,\s+focusing|,\s+assessing|,\s+which\s+included|"
    r",\s+together\s+with|,\s+whether|:|,\s+where\b|"
    # "the 'front door', the service that receives contacts": a gloss, not more of the focus
    r"(?<=door’),\s+(?=the\b)|(?<=door),\s+(?=the\b)"
)
_FOCUS_LEAD = re.compile(
    r"^(?:the\s+local\s+authority.s\s+arrangements\s+(?:for\s+)?|the\s+local\s+authority.s\s+|"
    r"(?:the\s+)?arrangements\s+(?:for\s+)?|at\s+|to\s+|and\s+)",
    re.IGNORECASE,
)
_JTAI_SUMMARY = re.compile(
    r"summarises the findings of the joint targeted area inspection \(JTAI\) of\s+"
    r"(?P<theme>.+?)\.(?=\s|$)", re.IGNORECASE)
# The place named inside the theme ('... initial need and risk in Bedford borough Council for
# children and families who need help') is not part of the theme.
_JTAI_PLACE = re.compile(r"\s+in\s+(?:the\s+)?[A-Z][^,]*?(?=\s+(?:for|to|who|where)\s+[a-z]|$)")
_JTAI_DEEP_DIVE = re.compile(r"‘deep[ -]dive’ focus on\s+(?P<theme>.+?)\.(?=\s|$)")
# Headings are capitalised; the same words also open wrapped lines of prose.
_IMPROVE_HEADING = re.compile(
    r"^(?:What needs to improve(?: in this area of (?:social work )?practice)?|"
    r"Areas? for [Ii]mprovement)\s*[?:]?\s*\d?$"
)
# No heading, a sentence that introduces the list: "... the following areas for improvement
# have been identified at this visit:"
_IMPROVE_LEAD_IN = re.compile(r".*\bareas? for improvement\b[^.]*:$", re.IGNORECASE)
_PRIORITY_HEADING = re.compile(r"^Areas? for [Pp]riority [Aa]ctions?\s*[?:]?\s*\d?$")
_LIST_END = re.compile(
    r"^(?=(?-i:[A-Z]))"  # a heading is capitalised; "areas for priority action" may be prose
    r"(?:Main findings|Findings|Key strengths|Strengths|Next steps|Headline findings|"
    r"Case study|Practice study|Areas? for priority action|Areas? for improvement(?=\s*:?$)|"
    r"What needs to improve|"
    r"Ofsted$|Yours sincerely|Context|"
    r"Ofsted will take the findings)\b",  # the sentence that follows every list, not a point
    re.IGNORECASE,
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12}


def letter_kind(lines: Sequence[Line]) -> str | None:
    found = _find_title(lines)
    return found[0] if found else None


def _find_title(lines: Sequence[Line]) -> tuple[str, int] | None:
    """The kind of letter and where its heading is: the heading follows the salutation
    ('Dear ...') on page 1."""
    greeted = False
    for index, line in enumerate(lines[:40]):
        greeted = greeted or bool(_SALUTATION.match(line.text))
        summary = None if greeted else _SUMMARY_OPENING.match(line.text)
        if summary:
            return (FOCUSED_VISIT if summary["kind"] == "focused" else MONITORING_VISIT), index
        match = _TITLE.match(line.text) if greeted else None
        if match:
            word = match.group("kind").casefold()
            if word.startswith("focused"):
                return FOCUSED_VISIT, index
            if word.startswith("monitoring"):
                return MONITORING_VISIT, index
            return JTAI, index
    return None


def extract_letter(document: Document, lines: Sequence[Line] | None = None
                   ) -> tuple[VisitLetter | None, list[Problem]]:
    """The letter's facts; `lines` are the document's (`document_lines`) when already read."""
    lines = document_lines(document) if lines is None else lines
    found = _find_title(lines)
    if found is None:
        return None, []
    kind, title_index = found
    problems: list[Problem] = []
    pages: dict[str, int] = {}
    title = _title_text(lines, title_index)
    opening_from = title_index if _SUMMARY_OPENING.match(lines[title_index].text) else \
        title_index + 1
    opening = JoinedText.of(lines[opening_from : opening_from + 25])
    publication_date = date_from_file_name(PurePath(document.path).name)
    letter_date = _letter_date([line for line in lines if line.page == lines[0].page],
                               publication_date)
    la_name, resolution = resolve_printed_names(_printed_names(kind, title, opening.text),
                                                document.path, lines[title_index].page)
    if resolution.problem is not None:
        problems.append(resolution.problem)
    start, end = _visit_dates(opening.text, letter_date)
    inspectors = _inspectors(opening.text)
    focus = _focus(opening.text) if kind != JTAI else _jtai_theme(title, opening.text)
    lead = _lead_inspector(lines)
    items = _list_after(lines, _IMPROVE_HEADING) or _list_after(lines, _IMPROVE_LEAD_IN)
    priority = _list_after(lines, _PRIORITY_HEADING, section="priority_action")
    pages["title"] = lines[title_index].page
    headline, headline_page = _headline(lines)
    if headline_page is not None:
        pages["headline"] = headline_page
    letter = VisitLetter(
        kind=kind,
        la_name=la_name,
        urn=resolution.urn,
        # A letter pasted as text has no Ofsted file name: it was published on its date.
        publication_date=publication_date or letter_date,
        letter_date=letter_date,
        visit_start=start,
        visit_end=end,
        inspectors=inspectors,
        lead_inspector=lead,
        focus=focus,
        improvement_items=tuple(items),
        priority_actions=tuple(priority),
        monitoring_visit_number=_monitoring_number(opening.text) if kind == MONITORING_VISIT
        else None,
        field_pages=pages,
        focus_theme=visit_theme(focus, jtai=kind == JTAI),
        headline=headline,
    )
    if start is None:
        problems.append(Problem(ProblemKind.MISSING_FIELD, "no visit dates found in the "
                                "letter's opening", document.path, page=1, field="visit_start"))
    return letter, problems


def _title_text(lines: Sequence[Line], index: int) -> str:
    opening = _SUMMARY_OPENING.match(join_wrapped([line.text for line in lines[index:index + 2]]))
    if opening:
        kind = "Focused" if opening["kind"] == "focused" else "Monitoring"
        return f"{kind} visit to {opening['name']} children’s services"
    parts = [lines[index].text]
    for line in lines[index + 1 : index + 3]:
        if _AFTER_TITLE.match(line.text):
            break
        parts.append(line.text)
    return join_wrapped(parts)


def _letter_date(first_page: Sequence[Line], hint: date | None) -> date | None:
    """The standalone date line on page 1 (usually above the address, sometimes lower)."""
    for line in first_page:
        text = line.text.strip()
        if _STANDALONE_DATE.match(text):
            day_month, year = text.rsplit(" ", 1)
            return parse_date(f"{day_month} {_plausible_year(year, hint)}")
    return None


def _plausible_year(printed: str, hint: date | None) -> str:
    """A five-digit year is a typo ("20205"): the four-digit year left by dropping one digit
    that is nearest the publication date's year (2025, not 2020 or 2005)."""
    if len(printed) == 4:
        return printed
    candidates = {int(printed[:i] + printed[i + 1:]) for i in range(len(printed))}
    plausible = sorted(year for year in candidates if 2000 <= year <= 2100)
    if not plausible:
        return printed
    target = hint.year if hint else plausible[-1]
    return str(min(plausible, key=lambda year: (abs(year - target), -year)))


def _printed_names(kind: str, title: str, opening: str) -> list[str]:
    """The names the letter gives its authority, most telling first: the heading's, then the
    opening sentence's (a heading may name only the theme, or 'children's services')."""
    if kind == JTAI:
        # "... inspection of Gloucestershire", or of a theme "in York"; else the place the
        # opening sentences name, the nearest the heading first
        bare = re.sub(r"^Joint targeted area inspection of\s+", "", title, flags=re.I)
        names = [bare] if bare[:1].isupper() else []
        sentences = re.split(r"(?<=[a-z]\.)\s+(?=[A-Z])", opening)
        for text in (title, " ".join(sentences[:2]), " ".join(sentences[2:])):
            names.extend(reversed(_PLACE_IN.findall(text)))
        return [name.strip(" .") for name in names]
    names = [_heading_name(title) or ""]
    summary = _SUMMARY_SENTENCE.search(opening)
    if summary:
        names.append(summary["name"].strip())
    return names


def _heading_name(title: str) -> str | None:
    match = re.match(r"^(?:Focused|Monitoring) visit (?:to|of)\s+(?:the\s+)?(?P<name>.+?)"
                     r"(?:\s+local\s+authority)?(?:[’'`]s?)?\s+children.s\s+services\b", title,
                     re.I)
    if match:
        return match.group("name").strip()
    match = re.match(r"^(?:Focused|Monitoring) visit (?:to|of)\s+(?:the\s+)?(?P<name>.+)$",
                     title, re.I)
    return match.group("name").strip(" .") if match else None


def _visit_dates(opening: str, letter_date: date | None) -> tuple[date | None, date | None]:
    sentence = re.search(r"(?:\bon\b|\bbetween\b|\bfrom\b|took place)\s+(?:the\s+)?\d[^.]*",
                         opening, re.IGNORECASE)
    if not sentence:
        return None, None
    text = re.split(r"\b(?:The|His|Her|Inspectors?)\b", sentence.group(0))[0]
    blocks = parse_date_blocks(text, default_year=letter_date.year if letter_date else None)
    if not blocks:
        return None, None
    return blocks[0].start, blocks[-1].end


def _inspectors(opening: str) -> tuple[str, ...]:
    match = _INSPECTORS.search(opening)
    if not match:
        return ()
    if re.match(r"inspectors\s+from\b", match.group("names"), re.IGNORECASE):
        return ()  # a JTAI names the inspectorates, not the inspectors
    text = _ROLE_WORDS.sub("", match.group("names"))
    text = re.sub(r"\b(?:for\s+)?Social\s+Care\b", "", text)
    text = re.sub(r"\(\s*(?:HMIs?)?\s*\)", "", text)
    pieces = re.split(r",|\band\b|\bwith\b|;", text)
    names = [clean_name(piece) for piece in pieces]
    return tuple(name for name in names if name and name[0].isupper()
                 and not re.search(r"Inspectorate|Ofsted|Commission|\(", name))


def _lead_inspector(lines: Sequence[Line]) -> str | None:
    """The inspector who signs: the name under 'Yours sincerely', or, where the sign-off was
    left out, the name above the last 'Her/His Majesty's Inspector' line."""
    signed = next((index for index, line in enumerate(lines) if _SIGN_OFF.match(line.text)),
                  None)
    if signed is not None and signed + 2 < len(lines):
        name_line, role_line = lines[signed + 1].text, lines[signed + 2].text
    else:
        tail = range(len(lines) - 1, max(len(lines) - 8, 0), -1)
        role_index = next((index for index in tail if _HMI_ROLE_LINE.match(lines[index].text)),
                          None)
        if role_index is None:
            return None
        name_line, role_line = lines[role_index - 1].text, lines[role_index].text
    if not _HMI_ROLE.search(name_line + " " + role_line):
        return None  # a JTAI is signed by the inspectorates' directors, not a lead
    name = clean_name(re.sub(r"\(Lead Inspector\)", "", name_line, flags=re.I))
    return name or None


def _focus(opening: str) -> str | None:
    match = next((m for pattern in _FOCUS_SENTENCES if (m := pattern.search(opening))), None)
    if not match:
        return None
    focus = match.group("focus").strip()
    while (shorter := _FOCUS_LEAD.sub("", focus, count=1)) != focus:  # "arrangements at ..."
        focus = shorter
    cut = _FOCUS_CUT.search(focus)
    if cut:
        focus = focus[: cut.start()]
    focus = focus.strip().rstrip(",;")
    if focus.count("‘") > focus.count("’"):
        focus += "’"  # "the ‘front door.’": the full stop was printed inside the quote
    return focus or None


def _jtai_theme(title: str, opening: str) -> str | None:
    """The theme, in the words the letter uses: the newer opening sentence ('... (JTAI) of
    the multi-agency response to X in <area>'), else the title's theme, else, under the
    generic 'abuse and neglect' title, the 'deep dive' that set the inspection apart."""
    summary = _JTAI_SUMMARY.search(opening)
    if summary:
        return _JTAI_PLACE.sub("", summary.group("theme")).strip() or None
    heading = re.split(r"\s+(?=(?:Between|From|On|This)\s)", title)[0]
    titled = re.match(r"^Joint targeted area inspection of\s+(?P<theme>.+?)"
                      r"(?:\s+in\s+(?:the\s+)?[A-Z][^\s]*(?:\s+\S+)*)?$", heading)
    if titled and titled.group("theme").startswith("the multi-agency") and not re.search(
            r"abuse and neglect$", titled.group("theme")):
        return titled.group("theme")
    deep_dive = _JTAI_DEEP_DIVE.search(opening)
    return deep_dive.group("theme") if deep_dive else None


def _list_after(lines: Sequence[Line], heading: re.Pattern[str],
                section: str = "what_needs_to_improve") -> list[ImprovementPoint]:
    for index, line in enumerate(lines):
        if heading.match(line.text):
            return (extract_items(lines, index + 1, (_LIST_END,), numbered=False, section=section)
                    or paragraph_items(lines, index + 1, (_LIST_END,), section=section))
    return []


# 'Headline findings', also printed 'Headline Findings.'
_HEADLINE_HEADING = re.compile(r"^(?:headline findings|overview)[.:]?\s*$", re.IGNORECASE)


def _headline(lines: Sequence[Line]) -> tuple[str | None, int | None]:
    """The first sentence under 'Headline findings' (or, in older letters, 'Overview'), and
    the page it starts on."""
    for index, line in enumerate(lines):
        if _HEADLINE_HEADING.match(line.text):
            text = JoinedText.of(lines[index + 1 : index + 8]).text
            sentence = re.match(r"^(.+?[.!?])(?=\s+[A-Z‘“]|\s*$)", text)
            if sentence is None:  # nothing follows the heading, or no sentence ends
                return None, None
            return sentence.group(1), lines[index + 1].page
    return None, None


def _monitoring_number(opening: str) -> int | None:
    match = re.search(r"\b(" + "|".join(_ORDINALS) + r")\s+monitoring\s+visit", opening, re.I)
    return _ORDINALS[match.group(1).casefold()] if match else None
