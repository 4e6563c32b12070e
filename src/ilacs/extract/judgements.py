"""Judgements and grades, read by the layout each framework uses: the ILACS table, the SIF
numbered list with its overall and LSCB sentences, the pre-SIF record of main findings."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ilacs.extract.frameworks import (
    GRADE_PATTERN,
    Framework,
    JudgementArea,
    grade_from_words,
    judgement_families,
)
from ilacs.extract.models import Judgement
from ilacs.extract.text import JoinedText, Line, normalise_space

# Today's judgements and, for each, the keys that answered it under earlier frameworks, in
# order of preference: the judgement itself first (from the framework files' `families`).
JUDGEMENT_FAMILIES: Mapping[str, tuple[str, ...]] = judgement_families()

_LONGEST_LABEL = 160
_GRADE = r"(requires?\s+improvement(?:\s+to\s+be\s+good)?|outstanding|inadequate|good)"
_SIF_OVERALL = re.compile(
    r"overall\s+judgement\s+is\s+(?:that\s+)?(?:(?:the\s+)?children.s\s+services\s+"
    r"(?:in\s+[\w ,&'’-]+?\s+)?(?:are\s+|is\s+)?)?" + _GRADE,
    re.IGNORECASE,
)
_SIF_OVERALL_FALLBACK = re.compile(
    r"children.s\s+services\s+in\s+[\w ,&'’-]+?\s+(?:are\s+|is\s+)?" + _GRADE, re.IGNORECASE
)
# The board's grade however it is phrased: 'The Local Safeguarding Children Board (LSCB) is
# good', 'The effectiveness of the LSCB requires improvement', 'The LSCB is inadequate
# because ...'.
_LSCB = re.compile(
    r"(?:the\s+local\s+safeguarding\s+children\s+board(?:\s+\(LSCB\))?|"
    r"the\s+effectiveness\s+of\s+the\s+(?:local\s+safeguarding\s+children\s+board"
    r"(?:\s+\(LSCB\))?|LSCB)|the\s+LSCB)\s+(?:is\s+)?" + _GRADE + r"\b",
    re.IGNORECASE,
)


def scan_graded_rows(
    joined: JoinedText, areas: Sequence[JudgementArea], stop_after: set[str] | None = None
) -> list[Judgement]:
    """Walk a run of 'label grade label grade ...' text: every grade ends a row whose label is
    the text since the previous grade. Stops at the first label that is no judgement."""
    found: list[Judgement] = []
    position = 0
    ordered = sorted(areas, key=lambda area: len(area.label), reverse=True)
    for match in GRADE_PATTERN.finditer(joined.text):
        label = normalise_space(joined.text[position : match.start()]).strip(" :.-–")
        label = re.sub(r"^(?:\(?grade \d\)?\s*)?\d*(?:\.\d+)?\.?\s*", "", label, flags=re.I)
        position = match.end()
        if len(label) > _LONGEST_LABEL:
            break
        area = next((a for a in ordered if a.matches(label.casefold())), None)
        if area is None:
            if found:
                break
            continue
        grade = grade_from_words(match.group(0))
        if grade is not None and all(j.key != area.key for j in found):
            found.append(Judgement(area.key, grade, joined.page_at(match.start()), label))
        elif grade is None and all(j.key != area.key for j in found):
            # "Not judged": the area is recorded as seen (so scanning goes on) but not graded.
            pass
        if stop_after and area.key in stop_after:
            break
    return found


def ilacs_table(lines: Sequence[Line], frameworks: Sequence[Framework]) -> list[Judgement]:
    start = next((i for i, line in enumerate(lines[:40]) if re.match(r"^Judgement\b", line.text)),
                 None)
    if start is None:
        return []
    areas = _union_areas(frameworks)
    return scan_graded_rows(JoinedText.of(lines[start + 1 : start + 30]), areas,
                            stop_after={"overall_effectiveness"})


def sif_list(lines: Sequence[Line], framework: Framework) -> list[Judgement]:
    judgements: list[Judgement] = []
    start = next(
        (i for i, line in enumerate(lines[:80])
         if re.match(r"^1\.?\s+Children who need help", line.text, re.IGNORECASE)),
        None,
    )
    if start is not None:
        judgements = scan_graded_rows(
            JoinedText.of(lines[start : start + 25]), framework.judgements,
            stop_after={"leadership_management_governance"},
        )
    head = JoinedText.of(lines[: start + 25 if start is not None else 40])
    overall = _SIF_OVERALL.search(head.text) or (
        _SIF_OVERALL_FALLBACK.search(head.text) if judgements else None
    )
    if overall:
        judgements.append(_sentence_judgement("overall_effectiveness", overall, head))
    lscb = _LSCB.search(head.text) or _LSCB.search(JoinedText.of(lines).text)
    if lscb:
        whole = head if _LSCB.search(head.text) else JoinedText.of(lines)
        judgements.append(_sentence_judgement("lscb", lscb, whole))
    return judgements


def record_of_main_findings(lines: Sequence[Line], framework: Framework) -> list[Judgement]:
    anchor = framework.judgement_anchor.casefold()
    start = None
    for index, line in enumerate(lines):
        if line.text.casefold().startswith(anchor):
            start = index  # the last one: the contents page names it first
    if start is None:
        return []
    return scan_graded_rows(JoinedText.of(lines[start + 1 : start + 30]), framework.judgements)


def _sentence_judgement(key: str, match: re.Match[str], joined: JoinedText) -> Judgement:
    grade = grade_from_words(match.group(1))
    if grade is None:  # the pattern only captures grade words
        raise ValueError(f"no grade in {match.group(0)!r}")
    return Judgement(key, grade, joined.page_at(match.start()), normalise_space(match.group(0)))


def _union_areas(frameworks: Sequence[Framework]) -> list[JudgementArea]:
    areas: dict[str, JudgementArea] = {}
    for framework in frameworks:
        for area in framework.judgements:
            areas.setdefault(area.key, area)
    return list(areas.values())
