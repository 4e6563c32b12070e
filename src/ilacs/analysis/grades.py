"""Grades and judgements as analysis compares them across frameworks.

Frameworks name their judgements differently (SIF's "children looked after and achieving
permanence", ILACS 2018's combined "children in care and care leavers", ILACS 2023's two
separate judgements). Analysis compares like with like through the judgement families of
`ilacs.extract.judgements` (shared with news-claim linking): each judgement lists, in order
of preference, the stored judgement keys that answer it.
Whatever key answered is always reported (`judged_as`), so a combined 2018 judgement standing
in for "care leavers" is visible as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ilacs.errors import AnalysisError
from ilacs.extract.frameworks import (
    judgement_short_labels,
    load_frameworks,
    scheduled_judgements,
)
from ilacs.extract.judgements import JUDGEMENT_FAMILIES
from ilacs.extract.models import Grade
from ilacs.store.rows import InspectionRow

# The judgements of the frameworks in use since 2018 (framework files with a `schedule`).
BENCHMARK_JUDGEMENTS: tuple[str, ...] = scheduled_judgements()

JUDGEMENT_NAMES: Mapping[str, str] = judgement_short_labels()

# Best first. "Adequate" (the pre-2013 third point) sits where requires improvement does.
GRADE_ORDER: tuple[Grade, ...] = (
    Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.ADEQUATE, Grade.INADEQUATE,
)
GRADE_SCORE: Mapping[Grade, int] = {
    Grade.OUTSTANDING: 4, Grade.GOOD: 3, Grade.REQUIRES_IMPROVEMENT: 2, Grade.ADEQUATE: 2,
    Grade.INADEQUATE: 1,
}
GRADE_NAMES: Mapping[Grade, str] = {
    Grade.OUTSTANDING: "Outstanding", Grade.GOOD: "Good",
    Grade.REQUIRES_IMPROVEMENT: "Requires improvement", Grade.ADEQUATE: "Adequate",
    Grade.INADEQUATE: "Inadequate",
}

# The frameworks whose inspections are "full inspections" of the same service, in order.
FRAMEWORK_ERAS: tuple[str, ...] = tuple(framework.id for framework in load_frameworks())
ILACS_FRAMEWORKS: frozenset[str] = frozenset(
    framework.id for framework in load_frameworks() if framework.schedule is not None)
# Graded on today's four-point scale (since SIF, 2013): no 'adequate'.
TODAYS_SCALE_FRAMEWORKS: frozenset[str] = frozenset(
    framework.id for framework in load_frameworks() if Grade.ADEQUATE not in framework.grades)


def judgement_grade(inspection: InspectionRow, judgement: str) -> tuple[Grade, str] | None:
    """The grade an inspection gave for a benchmark judgement, with the key that gave it."""
    keys = JUDGEMENT_FAMILIES.get(judgement, (judgement,))
    grades = {row.key: row.grade for row in inspection.judgements}
    for key in keys:
        if key in grades:
            return grades[key], key
    return None


def check_judgement(judgement: str) -> str:
    if judgement not in BENCHMARK_JUDGEMENTS:
        known = ", ".join(BENCHMARK_JUDGEMENTS)
        raise AnalysisError(f"unknown judgement {judgement!r}; expected one of: {known}")
    return judgement


def count_grades(grades: Iterable[Grade]) -> dict[Grade, int]:
    """Counts in GRADE_ORDER, leaving out grades nobody had (adequate after 2013)."""
    counts = dict.fromkeys(GRADE_ORDER, 0)
    for grade in grades:
        counts[grade] += 1
    return {grade: n for grade, n in counts.items()
            if n or grade is not Grade.ADEQUATE}
