"""Benchmarking an authority against its statistical neighbours, its region and England.

For every judgement, each authority's *current grade* is the grade its latest full inspection
gave for that judgement (through its judgement family: see `grades.py`). If the latest
inspection did not make that judgement at all (the April 2026 reform removed overall
effectiveness) the authority has no current grade for it: an older inspection's grade is
never carried forward, because it would compare a 2022 view with a 2026 one.

Ranking rule, within a group of authorities with a current grade (the authority itself
included):
- `rank` = 1 + the number with a strictly better grade ("standard competition" ranking:
  tied authorities share the best rank among them);
- `top_percent` = 100 × (the number with a grade at least as good, itself included) / group
  size. Ties count against the authority, so "in the top 25 percent of similar councils" is
  true exactly when `top_percent` ≤ 25;
- `percentile` = 100 × (the number strictly worse + half of those tied, itself included) /
  group size: the mid-rank percentile, 50 for a group where everyone has the same grade.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from ilacs.analysis.grades import BENCHMARK_JUDGEMENTS, GRADE_SCORE, count_grades, judgement_grade
from ilacs.analysis.record import AnalysisRecord
from ilacs.errors import AnalysisError
from ilacs.extract.models import Grade
from ilacs.reference.register import Authority, NeighbourModel

RANKING_RULE = (
    "rank = 1 + authorities with a strictly better grade (ties share the best rank); "
    "top_percent = 100 x authorities at least as good (itself included) / group size, so "
    "'top 25 percent' holds when top_percent <= 25; percentile = 100 x (strictly worse + "
    "half of the tied, itself included) / group size"
)


@dataclass(frozen=True)
class CurrentGrade:
    urn: int
    name: str
    grade: Grade | None  # None: not inspected, or the latest inspection made no such judgement
    judged_as: str | None  # the stored judgement key that gave the grade
    inspection_date: date | None
    document_path: str | None
    page: int | None


@dataclass(frozen=True)
class NeighbourGrade:
    rank: int  # 1 = the most similar neighbour
    closeness: str
    current: CurrentGrade


@dataclass(frozen=True)
class Standing:
    """Where an authority stands in one comparison group for one judgement."""

    group: str  # "statistical neighbours", the region's name, or "England"
    size: int  # authorities in the group with a current grade, the authority included
    counts: Mapping[Grade, int]
    rank: int | None  # None when the authority has no current grade
    top_percent: float | None
    percentile: float | None
    tied_with: int | None = None  # other authorities with the same grade (its rank is joint)

    @property
    def shares(self) -> dict[Grade, float]:
        return {grade: (100 * n / self.size if self.size else 0.0)
                for grade, n in self.counts.items()}


@dataclass(frozen=True)
class JudgementBenchmark:
    judgement: str
    authority: CurrentGrade
    neighbours: tuple[NeighbourGrade, ...]
    standings: tuple[Standing, ...]  # neighbours, region, England


@dataclass(frozen=True)
class Benchmark:
    authority: Authority
    model: NeighbourModel
    judgements: tuple[JudgementBenchmark, ...]
    ranking_rule: str = RANKING_RULE


def current_grade(record: AnalysisRecord, urn: int, judgement: str) -> CurrentGrade:
    """The authority's grade for `judgement` at its latest full inspection."""
    known = current_grades(record, judgement).get(urn)
    return known if known is not None else _current_grade(record, urn, judgement)


def current_grades(record: AnalysisRecord, judgement: str) -> Mapping[int, CurrentGrade]:
    """Every registered authority's current grade for `judgement` (those since abolished
    too), worked out once per record: each authority's benchmark ranks it among all of
    England's."""
    return record.derived(("current grades", judgement), lambda: {
        authority.urn: _current_grade(record, authority.urn, judgement)
        for authority in record.register.all(include_defunct=True)})


def _current_grade(record: AnalysisRecord, urn: int, judgement: str) -> CurrentGrade:
    authority = record.register.by_urn(urn)
    latest = record.latest_inspection(urn)
    found = judgement_grade(latest, judgement) if latest else None
    if latest is None or found is None:
        return CurrentGrade(urn, authority.name, None, None,
                            latest.date if latest else None,
                            latest.document_path if latest else None, None)
    grade, key = found
    page = next((row.page for row in latest.judgements if row.key == key), None)
    return CurrentGrade(urn, authority.name, grade, key, latest.date, latest.document_path,
                        page)


def standing(group: str, subject: CurrentGrade, members: Iterable[CurrentGrade]) -> Standing:
    """The subject's standing among `members` (the subject is added if it is not among them)."""
    graded = {member.urn: member.grade for member in members if member.grade is not None}
    if subject.grade is not None:
        graded[subject.urn] = subject.grade
    grades = list(graded.values())
    counts = count_grades(grades)
    if subject.grade is None:
        return Standing(group, len(grades), counts, None, None, None)
    score = GRADE_SCORE[subject.grade]
    better = sum(GRADE_SCORE[g] > score for g in grades)
    tied = sum(GRADE_SCORE[g] == score for g in grades)  # itself included
    worse = len(grades) - better - tied
    size = len(grades)
    return Standing(group, size, counts, rank=better + 1,
                    top_percent=round(100 * (better + tied) / size, 1),
                    percentile=round(100 * (worse + tied / 2) / size, 1),
                    tied_with=tied - 1)


def benchmark(record: AnalysisRecord, urn: int, model: NeighbourModel = "2025",
              judgements: Iterable[str] = BENCHMARK_JUDGEMENTS) -> Benchmark:
    """The authority's current grades beside its neighbours', region's and England's."""
    register = record.register
    authority = register.by_urn(urn)
    neighbours = register.neighbours(urn, model)
    if not neighbours:
        raise AnalysisError(
            f"{authority.name} has no statistical neighbours in the {model} model"
            + ("" if authority.active else " (it no longer exists; try one of its successors)"))
    active = [a for a in register.all() if a.active]
    region = [a for a in active if a.region_code == authority.region_code]
    results = []
    for judgement in judgements:
        subject = current_grade(record, urn, judgement)
        near = tuple(NeighbourGrade(n.rank, n.closeness.value,
                                    current_grade(record, n.authority.urn, judgement))
                     for n in neighbours)
        region_grades = [current_grade(record, a.urn, judgement) for a in region]
        england = [current_grade(record, a.urn, judgement) for a in active]
        results.append(JudgementBenchmark(judgement, subject, near, (
            standing("statistical neighbours", subject, (n.current for n in near)),
            standing(authority.region_name, subject, region_grades),
            standing("England", subject, england),
        )))
    return Benchmark(authority, model, tuple(results))
