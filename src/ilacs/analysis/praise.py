"""What an authority's statistical neighbours judged good or outstanding were praised for.

A neighbour counts when its latest full inspection in the record is good or outstanding
overall (an inspection graded without an overall judgement counts when every judgement is
good or outstanding). Its strengths are that inspection's (ilacs.extract.strengths), counted
by practice theme: how many such neighbours were praised for each, with examples.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ilacs.analysis.record import AnalysisRecord
from ilacs.errors import AnalysisError
from ilacs.extract.frameworks import HEADLINE
from ilacs.extract.models import Grade
from ilacs.extract.themes import theme_names
from ilacs.reference.register import NeighbourModel
from ilacs.store.rows import InspectionRow
from ilacs.store.strengths import StrengthRow

PRAISED_GRADES = frozenset({Grade.OUTSTANDING, Grade.GOOD})


@dataclass(frozen=True)
class PraisedNeighbour:
    urn: int
    rank: int
    inspection: InspectionRow
    grade: Grade  # overall, or the lowest judgement when there is no overall one
    strengths: tuple[StrengthRow, ...]


@dataclass(frozen=True)
class PraisedTheme:
    theme: str
    name: str
    authorities: tuple[int, ...]  # the neighbours praised for it, by rank
    examples: tuple[StrengthRow, ...]  # the first of each such neighbour, by rank
    uncertain: int  # strengths filed under it with low confidence


@dataclass(frozen=True)
class NeighboursPraise:
    urn: int
    model: NeighbourModel
    neighbours: tuple[PraisedNeighbour, ...]
    themes: tuple[PraisedTheme, ...]  # most neighbours first


def praised_grade(inspection: InspectionRow) -> Grade | None:
    """The inspection's overall grade when good or outstanding; for one without an overall
    judgement, its lowest grade when every judgement is good or outstanding."""
    overall = inspection.grade_of(HEADLINE)
    grades = [judgement.grade for judgement in inspection.judgements]
    if overall is None and grades and all(grade in PRAISED_GRADES for grade in grades):
        return Grade.GOOD if Grade.GOOD in grades else Grade.OUTSTANDING
    return overall if overall in PRAISED_GRADES else None


def neighbours_praise(record: AnalysisRecord, urn: int,
                      model: NeighbourModel = "2025") -> NeighboursPraise:
    """The neighbours judged good or outstanding at their latest inspection, and what they
    were praised for."""
    neighbours = record.register.neighbours(urn, model)
    if not neighbours:
        raise AnalysisError(f"{record.register.by_urn(urn).name} has no statistical "
                            f"neighbours in the {model} model")
    praised = []
    for neighbour in neighbours:
        latest = record.latest_inspection(neighbour.authority.urn)
        grade = praised_grade(latest) if latest else None
        if latest is not None and grade is not None:
            praised.append(PraisedNeighbour(neighbour.authority.urn, neighbour.rank, latest,
                                            grade, record.strengths_by_inspection.get(latest.id,
                                                                                      ())))
    return NeighboursPraise(urn, model, tuple(praised), _themes(praised))


def _themes(praised: list[PraisedNeighbour]) -> tuple[PraisedTheme, ...]:
    examples: dict[str, dict[int, StrengthRow]] = defaultdict(dict)
    uncertain: dict[str, int] = defaultdict(int)
    for neighbour in praised:
        for strength in neighbour.strengths:
            for match in strength.themes or ():
                examples[match.theme].setdefault(neighbour.urn, strength)
                uncertain[match.theme] += strength.themes_confident is False
    names = theme_names()
    themes = [PraisedTheme(theme, names.get(theme, theme), tuple(found),
                           tuple(found.values()), uncertain[theme])
              for theme, found in examples.items()]
    return tuple(sorted(themes, key=lambda t: (-len(t.authorities), t.name)))
