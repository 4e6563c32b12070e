"""Benchmarks, trends and the inspection schedule on small records whose answers are worked
out by hand in the comments, then the same analyses on the real record."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from analysis_records import REGISTER, inspection, record, urn_of, visit
from ilacs.analysis import schedule, trends
from ilacs.analysis.benchmark import (
    BENCHMARK_JUDGEMENTS,
    benchmark,
    current_grade,
    current_grades,
)
from ilacs.analysis.record import load_record
from ilacs.errors import AnalysisError
from ilacs.extract.models import Grade
from ilacs.store import latest_per_la, open_store

G, RI, INAD, OUT = "good", "requires_improvement", "inadequate", "outstanding"
IOW, TAMESIDE, CORNWALL, NORFOLK = (urn_of(n) for n in (
    "Isle of Wight", "Tameside", "Cornwall", "Norfolk"))


def small_benchmark_record():  # type: ignore[no-untyped-def]
    return record([
        inspection(1, IOW, "2019-01-14", overall_effectiveness=INAD, impact_of_leaders=INAD),
        inspection(2, IOW, "2023-10-30", "ilacs_2023", overall_effectiveness=G,
                   impact_of_leaders=G, care_leavers=RI),
        inspection(3, TAMESIDE, "2023-12-04", "ilacs_2023", overall_effectiveness=INAD,
                   impact_of_leaders=INAD),
        inspection(4, CORNWALL, "2019-06-10", overall_effectiveness=OUT),
        inspection(5, CORNWALL, "2026-05-11", "ilacs_2026", impact_of_leaders=G),
        inspection(6, NORFOLK, "2022-02-21", overall_effectiveness=OUT,
                   impact_of_leaders=OUT, children_in_care_and_care_leavers=G),
    ])


def test_benchmark_ranks_by_the_stated_rule() -> None:
    result = benchmark(small_benchmark_record(), IOW)
    by_judgement = {b.judgement: b for b in result.judgements}
    assert tuple(by_judgement) == BENCHMARK_JUDGEMENTS
    # Overall: IoW good (its latest, not the 2019 inadequate), Tameside inadequate, Norfolk
    # outstanding; Cornwall's latest (2026) made no overall judgement so it has no grade.
    overall = by_judgement["overall_effectiveness"]
    assert overall.authority.grade is Grade.GOOD and overall.authority.judged_as == (
        "overall_effectiveness")
    cornwall = next(n.current for n in overall.neighbours if n.current.urn == CORNWALL)
    assert cornwall.grade is None and cornwall.inspection_date == date(2026, 5, 11)
    neighbours = overall.standings[0]
    # 3 graded: 1 better, 1 tied (itself), 1 worse.
    assert (neighbours.size, neighbours.rank, neighbours.top_percent, neighbours.percentile) \
        == (3, 2, 66.7, 50.0)
    assert neighbours.counts == {Grade.OUTSTANDING: 1, Grade.GOOD: 1,
                                 Grade.REQUIRES_IMPROVEMENT: 0, Grade.INADEQUATE: 1}
    # Leaders: IoW good, Cornwall good (2026), Tameside inadequate, Norfolk outstanding.
    leaders = by_judgement["impact_of_leaders"].standings[0]
    assert (leaders.size, leaders.rank, leaders.top_percent, leaders.percentile) == (
        4, 2, 75.0, 50.0)
    # Care leavers: IoW requires improvement; Norfolk's combined 2018 judgement stands in.
    care_leavers = by_judgement["care_leavers"]
    norfolk = next(n.current for n in care_leavers.neighbours if n.current.urn == NORFOLK)
    assert norfolk.judged_as == "children_in_care_and_care_leavers"
    assert (care_leavers.standings[0].rank, care_leavers.standings[0].top_percent,
            care_leavers.standings[0].percentile) == (2, 100.0, 25.0)
    # Region (South East): IoW is the only graded authority; England: the four above.
    region, england = overall.standings[1:]
    assert (region.group, region.size, region.rank, region.top_percent) == (
        "South East", 1, 1, 100.0)
    assert england.size == 3 and england.rank == 2


def test_benchmark_of_an_uninspected_authority_has_no_rank() -> None:
    result = benchmark(small_benchmark_record(), TAMESIDE, judgements=["help_and_protection"])
    standing = result.judgements[0].standings[0]
    assert result.judgements[0].authority.grade is None
    assert standing.rank is None and standing.size == 0


def test_benchmark_refuses_a_defunct_authority_without_neighbours() -> None:
    with pytest.raises(AnalysisError, match="no statistical neighbours"):
        benchmark(small_benchmark_record(), urn_of("Northamptonshire"))


# Three authorities: A inadequate (2014) -> RI (2018) -> good (2022); B good (2015) ->
# inadequate (2019), still inadequate, two monitoring visits; C adequate (2013) -> RI (2017).
A, B, C = IOW, TAMESIDE, NORFOLK


def small_trend_record():  # type: ignore[no-untyped-def]
    return record([
        inspection(1, A, "2014-03-03", "sif", overall_effectiveness=INAD),
        inspection(2, A, "2018-03-05", overall_effectiveness=RI),
        inspection(3, A, "2022-03-07", overall_effectiveness=G),
        inspection(4, B, "2015-06-01", "sif", overall_effectiveness=G),
        inspection(5, B, "2019-06-03", overall_effectiveness=INAD),
        inspection(6, C, "2013-06-24", "pre_sif", overall_effectiveness="adequate"),
        inspection(7, C, "2017-01-09", "sif", overall_effectiveness=RI),
    ], visits=[visit(B, "2020-01-15"), visit(B, "2021-09-01"), visit(B, "2023-03-01")])


def test_grade_distribution_by_year_and_era() -> None:
    rec = small_trend_record()
    by_year = {d.period: d for d in trends.grade_distribution(rec)}
    assert sorted(by_year) == ["2013", "2014", "2015", "2017", "2018", "2019", "2022"]
    assert by_year["2013"].counts[Grade.ADEQUATE] == 1
    by_era = {d.period: d.counts for d in trends.grade_distribution(rec, by="era")}
    assert list(by_era) == ["pre_sif", "sif", "ilacs_2018"]
    assert by_era["sif"] == {Grade.OUTSTANDING: 0, Grade.GOOD: 1, Grade.REQUIRES_IMPROVEMENT: 1,
                             Grade.INADEQUATE: 1}
    south_east = trends.grade_distribution(rec, by="era", region="South East")
    assert [d.total for d in south_east] == [1, 2]  # only A


def test_transitions_pair_consecutive_inspections_of_the_same_authority() -> None:
    matrix = trends.transitions(small_trend_record())
    assert len(matrix.transitions) == 4
    assert matrix.count(Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT) == 1
    assert matrix.count(Grade.REQUIRES_IMPROVEMENT, Grade.GOOD) == 1
    assert matrix.count(Grade.GOOD, Grade.INADEQUATE) == 1
    assert matrix.count(Grade.ADEQUATE, Grade.REQUIRES_IMPROVEMENT) == 1
    only_ilacs = trends.transitions(small_trend_record(), frameworks=["ilacs_2018"])
    assert len(only_ilacs.transitions) == 3


def test_time_out_of_inadequate() -> None:
    spells = trends.inadequate_spells(small_trend_record())
    out, still = sorted(spells, key=lambda s: s.start)
    # A: 2014-03-03 to 2018-03-05 is 1463 days = 48.1 months.
    assert (out.urn, out.out, out.end, out.months) == (A, True, date(2018, 3, 5), 48.1)
    # B: from 2019-06-03 to the horizon, the last date in the record (A's 2022 inspection
    # ended 2022-03-18; B's last visit was 2023-03-01): 1367 days = 44.9 months.
    assert (still.urn, still.out, still.end, still.months) == (B, False, None, 44.9)
    assert still.monitoring_visits == 3
    assert trends.median_months_out(spells) == 48.1


def test_a_successor_shows_its_predecessors_history_but_inherits_no_grade() -> None:
    west, old = urn_of("West Northamptonshire"), urn_of("Northamptonshire")
    rec = record([inspection(1, old, "2019-09-02", overall_effectiveness=INAD),
                  inspection(2, west, "2022-10-03", overall_effectiveness=RI)])
    history = trends.lineage_history(rec, west)
    assert [(e.urn, e.inherited) for e in history] == [(old, True), (west, False)]
    assert trends.transitions(rec).transitions == ()
    assert current_grade(rec, west, "overall_effectiveness").grade is Grade.REQUIRES_IMPROVEMENT


def test_current_grades_are_worked_out_once_per_record_and_afresh_for_another() -> None:
    west, old = urn_of("West Northamptonshire"), urn_of("Northamptonshire")
    rec = record([inspection(1, old, "2019-09-02", overall_effectiveness=INAD),
                  inspection(2, west, "2022-10-03", overall_effectiveness=RI)])
    every = current_grades(rec, "overall_effectiveness")
    assert current_grades(rec, "overall_effectiveness") is every
    assert set(every) == {a.urn for a in REGISTER.all(include_defunct=True)}
    assert (every[west].grade, every[old].grade) == (Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE)
    assert current_grade(rec, west, "overall_effectiveness") is every[west]
    # a record made from it holds its own facts, not the first record's grades
    earlier = replace(rec, inspections=rec.inspections[:1])
    assert current_grades(earlier, "overall_effectiveness")[west].grade is None
    assert current_grades(rec, "overall_effectiveness") is every


def test_schedule_rules_and_windows() -> None:
    good = inspection(1, A, "2022-06-20", overall_effectiveness=G)  # ends 2022-07-01
    rule = schedule.rule_for(good)
    assert rule is not None and (rule.key, rule.next_type, rule.focused_visit) == (
        "good_or_better", "short", True)
    # 30 and 42 months of 30.4375 days: 913 and 1278 days after the last day on site.
    assert schedule.window(good, rule) == (date(2024, 12, 30), date(2025, 12, 30))
    # A window reaching into the 2020-21 pause is pushed back by its 391 days.
    before = inspection(2, A, "2019-04-22", overall_effectiveness=G)  # ends 2019-05-03
    assert schedule.window(before, rule) == (date(2022, 11, 27), date(2023, 11, 27))
    assert schedule.rule_for(inspection(3, A, "2014-01-06", "sif",
                                        overall_effectiveness=G)) is None
    reformed = {"impact_of_leaders": G, "help_and_protection": G, "children_in_care": RI,
                "care_leavers": G}
    assert schedule.rule_for(inspection(4, A, "2026-05-11", "ilacs_2026",
                                        **reformed)).key == "2026_focused"  # type: ignore[union-attr]
    reformed["impact_of_leaders"] = RI
    assert schedule.rule_for(inspection(5, A, "2026-05-11", "ilacs_2026",
                                        **reformed)).key == "2026_standard"  # type: ignore[union-attr]
    reformed["children_in_care"] = INAD
    assert schedule.rule_for(inspection(6, A, "2026-05-11", "ilacs_2026",
                                        **reformed)).key == "inadequate"  # type: ignore[union-attr]


def test_backtest_and_next_due() -> None:
    rec = record([
        # A: good, window 2024-12-30 to 2025-12-30; next on 2025-06-02: inside.
        inspection(1, A, "2022-06-20", overall_effectiveness=G),
        inspection(2, A, "2025-06-02", "ilacs_2023", overall_effectiveness=G),
        # B: requires improvement ending 2022-07-01, next 2023-01-09: early.
        inspection(3, B, "2022-06-20", overall_effectiveness=RI),
        inspection(4, B, "2023-01-09", "ilacs_2023", overall_effectiveness=RI),
        # C: good ending 2019-05-03, window 2022-11-27 to 2023-11-27, none since: the record
        # reaches 2025-06-13 (A's second inspection ended), so "not yet seen".
        inspection(5, C, "2019-04-22", overall_effectiveness=G),
    ])
    result = schedule.backtest(rec)
    outcomes = {(c.urn, c.before.id): c.outcome for c in result.cases}
    assert outcomes == {(A, 1): "inside", (B, 3): "early", (C, 5): "not yet seen"}
    assert (result.observed, result.inside_share) == (2, 50.0)
    # At 2025-06-13: C's window closed (overdue); B's second inspection ended 2023-01-20 so
    # its window opens 913 days on, 2025-07-21; A's (ending 2025-06-13) opens 2027-12-13.
    due = {d.urn: d for d in schedule.next_due(rec)}
    assert due[C].status == "overdue"
    assert due[B].status == "not yet open" and due[B].opens == date(2025, 7, 21)
    assert due[A].status == "not yet open" and due[A].opens == date(2027, 12, 13)


# -- the real record ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(corpus_db: Path):  # type: ignore[no-untyped-def]
    return load_record(open_store(corpus_db))


def test_real_benchmark_agrees_with_the_latest_inspection_table(real, corpus_db) -> None:  # type: ignore[no-untyped-def]
    latest = {row.urn: row.inspection for row in latest_per_la(open_store(corpus_db))}
    result = benchmark(real, IOW)
    overall = result.judgements[0]
    assert overall.authority.grade == latest[IOW].grade_of("overall_effectiveness")
    assert len(overall.neighbours) == 10
    for standing in overall.standings:
        assert sum(standing.counts.values()) == standing.size
        assert standing.rank is not None and 1 <= standing.rank <= standing.size
    england = overall.standings[2]
    expected = sum(1 for urn, row in latest.items()
                   if row is not None and REGISTER.by_urn(urn).active
                   and row.grade_of("overall_effectiveness") is not None)
    assert england.size == expected


def test_real_transitions_count_every_consecutive_pair(real, corpus_db) -> None:  # type: ignore[no-untyped-def]
    conn = open_store(corpus_db)
    conn.row_factory = sqlite3.Row
    pairs = conn.execute("""
        SELECT count(*) FROM (
          SELECT i.urn, lag(i.id) OVER (PARTITION BY i.urn ORDER BY
                 coalesce(i.inspection_start, i.publication_date), i.id) AS previous
          FROM inspections i JOIN judgements j ON j.inspection_id = i.id
          WHERE j.key = 'overall_effectiveness' AND i.urn IS NOT NULL)
        WHERE previous IS NOT NULL""").fetchone()[0]
    matrix = trends.transitions(real)
    assert len(matrix.transitions) == pairs > 250
    assert sum(d.total for d in trends.grade_distribution(real)) == pairs + len(
        {t.urn for t in matrix.transitions} | {
            urn for urn, rows in real.inspections_by_urn.items()
            if any(r.grade_of("overall_effectiveness") for r in rows)})


def test_real_schedule_and_backtest(real) -> None:  # type: ignore[no-untyped-def]
    due = schedule.next_due(real)
    assert len(due) == len([a for a in REGISTER.all() if real.latest_inspection(a.urn)])
    result = schedule.backtest(real)
    assert result.observed > 150
    since = result.cohort(before_pause=False)
    assert since.inside_share > result.cohort(before_pause=True).inside_share
