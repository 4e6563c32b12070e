"""`ilacs analyse context | indicator | indicator-grades | inspection-year | expected`:
grades read beside the official statistics. Printing only; the analyses are in the library."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table

from ilacs.analysis import context as ctx_analysis
from ilacs.analysis import evidence, expected, indicators
from ilacs.analysis.grades import BENCHMARK_JUDGEMENTS, GRADE_NAMES, JUDGEMENT_NAMES
from ilacs.analysis.record import AnalysisRecord, load_record
from ilacs.cli.analyse import analyse
from ilacs.cli.common import AS_JSON, console, db_option, emit, open_record
from ilacs.statistics.catalogue import load_catalogue
from ilacs.statistics.units import unit_name

JUDGEMENT = click.option("--judgement", "judgement", default="overall_effectiveness",
                         type=click.Choice(BENCHMARK_JUDGEMENTS), show_default=True,
                         help="Which judgement (earlier frameworks' equivalents included).")


def _record(ctx: click.Context, db: str | None) -> AnalysisRecord:
    return load_record(open_record(ctx, db))


def number(value: float | None, unit: str = "") -> str:
    """A figure as the tables print it: one decimal place, none for counts and money."""
    if value is None:
        return "–"
    if unit in ("count", "gbp_per_child", "gbp_thousands"):
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _interval(item: evidence.Interval, places: int = 2) -> str:
    if item.estimate is None:
        return "–"
    if item.low is None or item.high is None:
        return f"{item.estimate:+.{places}f}"
    return f"{item.estimate:+.{places}f} ({item.low:+.{places}f} to {item.high:+.{places}f})"


@analyse.command("context")
@click.argument("la")
@click.option("-i", "--indicator", "keys", multiple=True,
              help="Only these indicators (repeatable; default: all with figures).")
@AS_JSON
@db_option
@click.pass_context
def context_command(ctx: click.Context, la: str, keys: tuple[str, ...], as_json: bool,
                    db: str | None) -> None:
    """An LA's official figures, year by year, beside its statistical neighbours (median and
    quartiles), region and England, with its rank and its inspections on the same time axis.

    \b
    Example:
        ilacs analyse context "Isle of Wight"
        ilacs analyse context Croydon -i cin_rate -i sw_agency_rate --json
    """
    from ilacs.reference import find_authority
    from ilacs.store.interventions import list_interventions

    conn = open_record(ctx, db)
    record = load_record(conn)
    urn = find_authority(la).urn
    result = ctx_analysis.authority_context(record, urn, list_interventions(conn, urn),
                                            keys or None)

    def table() -> None:
        console.print(f"[bold]{escape(result.name)}[/] ({escape(result.region)}): official "
                      "figures beside its statistical neighbours", highlight=False)
        for item in result.indicators:
            grid = Table(title=f"{item.label} ({unit_name(item.unit)}; "
                               f"{item.direction.replace('_', ' ')})", title_justify="left")
            for column in ("Period", "This LA", "Neighbours (q1-median-q3)", "Region",
                           "England", "Rank in neighbours", "Rank in England"):
                grid.add_column(column)
            for year in item.years:
                mine = number(year.value, item.unit) if year.value is not None else \
                    f"{year.missing} ({year.missing_note})"
                band = (f"{number(year.neighbours_q1, item.unit)}-"
                        f"{number(year.neighbours_median, item.unit)}-"
                        f"{number(year.neighbours_q3, item.unit)} "
                        f"(n={year.neighbours_with_value}, {year.neighbour_model})"
                        if year.neighbours_median is not None else
                        f"too few (n={year.neighbours_with_value})")
                grid.add_row(year.period, mine, band, number(year.region, item.unit),
                             number(year.england, item.unit),
                             f"{year.rank}/{year.rank_of}" if year.rank else "–",
                             f"{year.england_rank}/{year.england_of}" if year.england_rank
                             else "–")
            console.print(grid)
        marks = ", ".join(f"{m.date:%b %Y} {m.label}" + (
            f" ({GRADE_NAMES[m.grade]})" if m.grade else "") for m in result.marks)
        console.print(f"On the same time axis: {escape(marks) or 'no inspections recorded'}",
                      highlight=False)
        console.print(f"[dim]{result.ranking_rule}; {result.neighbour_rule}[/]")

    emit(as_json, result, table)


@analyse.command("indicator")
@click.argument("key")
@click.option("--year", type=int, default=None,
              help="The year the period ends in (default: the latest most LAs have).")
@AS_JSON
@db_option
@click.pass_context
def indicator_command(ctx: click.Context, key: str, year: int | None, as_json: bool,
                      db: str | None) -> None:
    """One indicator across England: every LA ranked, regions, England and the quartiles.

    \b
    Example:
        ilacs analyse indicator sw_agency_rate
        ilacs analyse indicator cin_rate --year 2019 --json
    """
    result = indicators.indicator_view(_record(ctx, db), key, year)

    def table() -> None:
        console.print(f"[bold]{escape(result.label)}[/], {result.period} "
                      f"({unit_name(result.unit)}; {result.direction.replace('_', ' ')})",
                      highlight=False)
        console.print(f"England {number(result.england, result.unit)}; authorities: lower "
                      f"quartile {number(result.q1, result.unit)}, median "
                      f"{number(result.median, result.unit)}, upper quartile "
                      f"{number(result.q3, result.unit)} ({result.with_value} with a figure, "
                      f"{result.without_value} without)", highlight=False)
        grid = Table()
        for column in ("Rank", "Authority", "Region", "Value"):
            grid.add_column(column)
        for row in result.authorities:
            grid.add_row(str(row.rank or "–"), row.name, row.region,
                         number(row.value, result.unit) if row.value is not None else
                         f"{row.missing or 'x'} ({row.missing_note})")
        console.print(grid)

    emit(as_json, result, table)


@analyse.command("indicator-grades")
@click.argument("key", required=False)
@JUDGEMENT
@AS_JSON
@db_option
@click.pass_context
def indicator_grades_command(ctx: click.Context, key: str | None, judgement: str,
                             as_json: bool, db: str | None) -> None:
    """Each indicator's figures by the grade of the inspection that followed: medians by
    grade and an effect size (Cliff's delta, good or better against worse) with a bootstrap
    interval that resamples authorities.

    \b
    Example:
        ilacs analyse indicator-grades
        ilacs analyse indicator-grades sw_agency_rate --judgement impact_of_leaders --json
    """
    record = _record(ctx, db)
    keys = [key] if key else [i.key for i in record.statistics.indicators]
    results = [evidence.grade_distribution(record, k, judgement) for k in keys]

    def table() -> None:
        grid = Table(title=f"Figures before inspection, by the grade for "
                           f"{JUDGEMENT_NAMES[judgement].lower()}")
        for column in ("Indicator", "n", "Median: outstanding / good / RI / inadequate",
                       "Cliff's delta (95% interval)", "Reading"):
            grid.add_column(column)
        for item in results:
            unit = load_catalogue().indicators_by_key[item.indicator].unit
            medians = " / ".join(f"{number(g.median, unit)} ({g.n})" for g in item.groups)
            grid.add_row(item.label, str(item.inspections), medians, _interval(item.effect),
                         item.reading)
        console.print(grid)

    emit(as_json, results[0] if key else results, table)


@analyse.command("inspection-year")
@click.argument("key", required=False)
@JUDGEMENT
@AS_JSON
@db_option
@click.pass_context
def inspection_year_command(ctx: click.Context, key: str | None, judgement: str,
                            as_json: bool, db: str | None) -> None:
    """Do figures move in the year of an inspection? Without KEY: children in need,
    protection plans started and care entry, checked against Bennett et al. (2022).

    \b
    Example:
        ilacs analyse inspection-year
        ilacs analyse inspection-year referral_rate --json
    """
    record = _record(ctx, db)
    results: tuple[evidence.InspectionYearChange, ...]
    if key:
        results = (evidence.inspection_year_change(record, key, judgement),)
        verdict = results[0].reading
        answer: object = results[0]
    else:
        check = evidence.bennett_check(record)
        results, verdict, answer = check.results, check.verdict, check

    def table() -> None:
        for item in results:
            grid = Table(title=f"{item.label}: change against the year's median change "
                               f"({item.change_unit})", title_justify="left")
            for column in ("Years", "Authority-years", "Mean (95% interval)"):
                grid.add_column(column)
            for group in (item.other_years, item.inspection_year, item.year_after,
                          *item.by_grade):
                grid.add_row(group.label, str(group.years), _interval(group.mean, 1))
            grid.add_row("inspection year minus other years", "", _interval(item.difference, 1))
            console.print(grid)
            console.print(item.reading, highlight=False)
        console.print(f"[bold]{escape(verdict)}[/]", highlight=False)

    emit(as_json, answer, table)


@analyse.command("expected")
@click.argument("la", required=False)
@JUDGEMENT
@AS_JSON
@db_option
@click.pass_context
def expected_command(ctx: click.Context, la: str | None, judgement: str, as_json: bool,
                     db: str | None) -> None:
    """The expected grade of each LA's next inspection, from its previous grades and its
    official figures, with the model's out-of-time back-test beside two baselines.

    \b
    Example:
        ilacs analyse expected
        ilacs analyse expected "Isle of Wight" --judgement help_and_protection --json
    """
    from ilacs.reference import find_authority

    result = expected.expected_grades(_record(ctx, db), judgement)
    if la:
        urn = find_authority(la).urn
        result = expected.ExpectedGrades(**{**result.__dict__, "predictions": tuple(
            p for p in result.predictions if p.urn == urn)})

    def table() -> None:
        grid = Table(title=f"Back-test for {JUDGEMENT_NAMES[judgement].lower()}: fitted "
                           "before the year, tested on it and later")
        for column in ("From", "Train", "Test", "Model acc / F1 / Brier", "Same as last time",
                       "Most common", "How grades moved"):
            grid.add_column(column)
        rows = [*result.cutoffs, *([result.pooled] if result.pooled else [])]
        for position, cut in enumerate(rows):
            label = "one year ahead" if position == len(result.cutoffs) else str(cut.year)
            grid.add_row(label, str(cut.train), str(cut.test),
                         *(f"{s.accuracy:.0%} / {s.macro_f1:.2f} / {s.brier:.3f}" for s in (
                             cut.model, cut.same_as_last_time, cut.most_common,
                             cut.transitions)))
        console.print(grid)
        calibration = ", ".join(
            f"{b.low:.1f}-{b.high:.1f}: predicted {b.mean_predicted:.2f}, happened "
            f"{b.observed:.2f} (n={b.predictions})" for b in result.calibration
            if b.mean_predicted is not None and b.observed is not None)
        console.print(f"Calibration (one year ahead): {calibration}", highlight=False)
        console.print(f"[bold]{escape(result.verdict)}[/]", highlight=False)
        for item in result.predictions[:20 if not la else None]:
            shares = ", ".join(f"{GRADE_NAMES[g]} {p:.0%}" for g, p in item.probabilities.items())
            console.print(f"{escape(item.name)}: last {GRADE_NAMES[item.previous]}; next: "
                          f"{shares}", highlight=False)

    emit(as_json, result, table)
