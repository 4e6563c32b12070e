"""`ilacs analyse ...`: the analysis questions, printed as tables or JSON. No analysis here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from ilacs.analysis import benchmark as bench
from ilacs.analysis import schedule, themes, trends
from ilacs.analysis.grades import BENCHMARK_JUDGEMENTS, GRADE_NAMES, JUDGEMENT_NAMES
from ilacs.analysis.official import read_official_table
from ilacs.analysis.reconcile import load_known_differences
from ilacs.analysis.reconcile import reconcile as reconcile_record
from ilacs.analysis.record import AnalysisRecord, load_record
from ilacs.cli.common import AS_JSON, console, db_option, emit, open_record
from ilacs.extract.themes import taxonomy
from ilacs.reference import find_authority

JUDGEMENT = click.option("--judgement", "judgement", default="overall_effectiveness",
                         type=click.Choice(BENCHMARK_JUDGEMENTS), show_default=True,
                         help="Which judgement (earlier frameworks' equivalents included).")
MODEL = click.option("--model", type=click.Choice(["2025", "2021"]), default="2025",
                     show_default=True, help="DfE statistical neighbour model.")


def _record(ctx: click.Context, db: str | None) -> AnalysisRecord:
    return load_record(open_record(ctx, db))


def _grade(grade: Any) -> str:
    return GRADE_NAMES[grade] if grade is not None else "–"


@click.group()
def analyse() -> None:
    """Benchmarks, national trends, themes of what needs to improve, and when inspections are due.

    \b
    Examples:
        ilacs analyse benchmark "Isle of Wight"
        ilacs analyse transitions --judgement help_and_protection
        ilacs analyse recurrence Croydon
        ilacs analyse due --json
    """


@analyse.command("benchmark")
@click.argument("la")
@MODEL
@AS_JSON
@db_option
@click.pass_context
def benchmark_command(ctx: click.Context, la: str, model: str, as_json: bool,
                      db: str | None) -> None:
    """An LA's current grades beside its statistical neighbours', region's and England's."""
    result = bench.benchmark(_record(ctx, db), find_authority(la).urn, model)  # type: ignore[arg-type]

    def table() -> None:
        console.print(f"[bold]{escape(result.authority.name)}[/] against its {model} "
                      "statistical neighbours", highlight=False)
        for item in result.judgements:
            grid = Table(title=JUDGEMENT_NAMES[item.judgement], title_justify="left")
            for column in ("", "Authority", "Grade", "Inspected", "Judged as"):
                grid.add_column(column)
            for row, label in [(item.authority, "this LA")] + [
                    (n.current, f"#{n.rank} {n.closeness}") for n in item.neighbours]:
                grid.add_row(label, escape(row.name), _grade(row.grade),
                             str(row.inspection_date or "–"), row.judged_as or "")
            console.print(grid)
            for s in item.standings:
                counts = ", ".join(f"{GRADE_NAMES[g]} {n}" for g, n in s.counts.items())
                where = (f"rank {s.rank} of {s.size}, top {s.top_percent}%, "
                         f"percentile {s.percentile}" if s.rank else "no current grade")
                console.print(f"  {escape(s.group)}: {counts} — {where}", highlight=False)
        console.print(f"[dim]Ranking rule: {result.ranking_rule}[/]")

    emit(as_json, result, table)


@analyse.command("grades")
@JUDGEMENT
@click.option("--by", type=click.Choice(["year", "era", "region"]), default="year",
              show_default=True, help="Per year or framework era (all inspections), or each "
              "region's current grades.")
@click.option("--region", default=None, help="Only this region (name or code).")
@AS_JSON
@db_option
@click.pass_context
def grades_command(ctx: click.Context, judgement: str, by: str, region: str | None,
                   as_json: bool, db: str | None) -> None:
    """The distribution of grades over time, by framework era, or by region."""
    rows = trends.grade_report(_record(ctx, db), judgement, by, region)

    def table() -> None:
        grid = Table(title=f"{JUDGEMENT_NAMES[judgement]} by {by}", title_justify="left")
        grid.add_column(by.capitalize())
        grades = [g for g in GRADE_NAMES if any(g in r.counts for r in rows)]
        for grade in grades:
            grid.add_column(GRADE_NAMES[grade], justify="right")
        grid.add_column("Total", justify="right")
        for row in rows:
            grid.add_row(escape(row.period), *(
                f"{row.counts.get(g, 0)} ({row.shares.get(g, 0.0)}%)" for g in grades),
                str(row.total))
        console.print(grid)

    emit(as_json, rows, table)


@analyse.command("transitions")
@JUDGEMENT
@click.option("--framework", "frameworks", multiple=True,
              help="Only pairs whose later inspection is under this framework (repeatable).")
@AS_JSON
@db_option
@click.pass_context
def transitions_command(ctx: click.Context, judgement: str, frameworks: tuple[str, ...],
                        as_json: bool, db: str | None) -> None:
    """From one full inspection's grade to the next, for the same LA (a matrix)."""
    record = _record(ctx, db)
    matrix = trends.transitions(record, judgement, frameworks or None)
    result = trends.transitions_summary(record, judgement, frameworks or None)

    def table() -> None:
        grid = Table(title=f"{JUDGEMENT_NAMES[judgement]}: from (rows) to (columns), "
                     f"{len(matrix.transitions)} pairs", title_justify="left")
        grid.add_column("From \\ to")
        for grade in matrix.grades:
            grid.add_column(GRADE_NAMES[grade], justify="right")
        for a in matrix.grades:
            grid.add_row(GRADE_NAMES[a], *(str(matrix.count(a, b)) for b in matrix.grades))
        console.print(grid)

    emit(as_json, result, table)


@analyse.command("inadequate")
@JUDGEMENT
@AS_JSON
@db_option
@click.pass_context
def inadequate_command(ctx: click.Context, judgement: str, as_json: bool,
                       db: str | None) -> None:
    """How long LAs took to move out of inadequate (and who has not yet)."""
    spells = trends.inadequate_spells(_record(ctx, db), judgement)
    median = trends.median_months_out(spells)

    def table() -> None:
        grid = Table(title=f"Time out of inadequate ({JUDGEMENT_NAMES[judgement]}); median "
                     f"{median} months over {sum(s.out for s in spells)} completed spells",
                     title_justify="left")
        for column in ("Authority", "Region", "Judged inadequate", "Out", "Months",
                       "Monitoring visits"):
            grid.add_column(column)
        for s in sorted(spells, key=lambda s: s.start):
            grid.add_row(escape(s.name), escape(s.region), str(s.start),
                         str(s.end) if s.end else "not yet", str(s.months),
                         str(s.monitoring_visits))
        console.print(grid)

    emit(as_json, {"median_months": median, "spells": spells}, table)


@analyse.command("history")
@click.argument("la")
@AS_JSON
@db_option
@click.pass_context
def history_command(ctx: click.Context, la: str, as_json: bool, db: str | None) -> None:
    """An LA's full inspections after its predecessors' (labelled: never inherited grades)."""
    entries = trends.lineage_history(_record(ctx, db), find_authority(la).urn)

    def table() -> None:
        grid = Table(title="Inspection history through reorganisations", title_justify="left")
        for column in ("Date", "Authority", "Framework", "Overall", ""):
            grid.add_column(column)
        for e in entries:
            overall = e.inspection.grade_of("overall_effectiveness")
            grid.add_row(str(e.inspection.date), escape(e.name), e.inspection.framework or "",
                         _grade(overall), "predecessor (history only)" if e.inherited else "")
        console.print(grid)

    emit(as_json, entries, table)


@analyse.command("themes")
@click.option("--by-year", is_flag=True, help="Counts for each year.")
@click.option("--list", "list_only", is_flag=True, help="List the taxonomy and stop.")
@AS_JSON
@db_option
@click.pass_context
def themes_command(ctx: click.Context, by_year: bool, list_only: bool, as_json: bool,
                   db: str | None) -> None:
    """How often each theme of "what needs to improve" was raised, nationally."""
    if list_only:
        listing = [{"key": t.key, "name": t.name, "outcomes": list(t.outcomes),
                    "enabler": t.enabler, "about": t.about} for t in taxonomy()]
        def print_listing() -> None:
            for t in listing:
                console.print(f"{t['key']:28} {escape(str(t['name']))} "
                              f"(outcomes {t['outcomes'] or '-'})", highlight=False)

        emit(as_json, listing, print_listing)
        return
    items = themes.themed_points(_record(ctx, db))
    result: Any = themes.by_year(items) if by_year else themes.theme_counts(items)

    def table() -> None:
        groups = result.items() if by_year else [("all years", result)]
        for label, counts in groups:
            grid = Table(title=f"Themes raised ({label})", title_justify="left")
            for column in ("Theme", "Inspections and visits", "Points", "Uncertain",
                           "Authorities"):
                grid.add_column(column)
            for c in counts:
                grid.add_row(escape(c.name), str(c.events), str(c.points),
                             str(c.uncertain_points), str(c.authorities))
            console.print(grid)
        versions = sorted({v for counts in (result.values() if by_year else [result])
                           for c in counts for v in c.classifiers})
        console.print(f"Themes by the classifier version {', '.join(versions) or 'unknown'}; "
                      "'Uncertain' counts points it filed with probability under 0.5.",
                      highlight=False)

    emit(as_json, result, table)


@analyse.command("theme")
@click.argument("theme")
@AS_JSON
@db_option
@click.pass_context
def theme_command(ctx: click.Context, theme: str, as_json: bool, db: str | None) -> None:
    """One theme's trend: the share of inspections and visits raising it, per year."""
    points = themes.theme_trend(themes.themed_points(_record(ctx, db)), theme)

    def table() -> None:
        grid = Table(title=f"{theme} per year", title_justify="left")
        for column in ("Year", "Raising it", "With improvement points", "Share"):
            grid.add_column(column, justify="right")
        for p in points:
            grid.add_row(str(p.year), str(p.events_raising), str(p.events_total),
                         f"{p.share}%")
        console.print(grid)

    emit(as_json, points, table)


@analyse.command("peers")
@click.argument("la")
@MODEL
@click.option("--years", default=3, show_default=True, help="How far back from the record's "
              "latest date.")
@AS_JSON
@db_option
@click.pass_context
def peers_command(ctx: click.Context, la: str, model: str, years: int, as_json: bool,
                  db: str | None) -> None:
    """What LAs like mine (statistical neighbours) were asked to improve lately, by theme."""
    record = _record(ctx, db)
    result = themes.peer_themes(record, themes.themed_points(record), find_authority(la).urn,
                                model, years)  # type: ignore[arg-type]

    def table() -> None:
        grid = Table(title=f"Asked of {len(result.peers)} statistical neighbours since "
                     f"{result.since}", title_justify="left")
        for column in ("Theme", "Events", "Authorities", "Latest example (document, item)"):
            grid.add_column(column)
        for c in result.counts:
            example = c.examples[0].point if c.examples else None
            where = f"{example.document_path}, item {example.number}" if example else ""
            grid.add_row(escape(c.name), str(c.events), str(c.authorities), escape(where))
        console.print(grid)

    emit(as_json, result, table)


@analyse.command("recurrence")
@click.argument("la", required=False)
@AS_JSON
@db_option
@click.pass_context
def recurrence_command(ctx: click.Context, la: str | None, as_json: bool,
                       db: str | None) -> None:
    """Themes inspectors raised again at a later inspection or visit (per LA, or for one)."""
    record = _record(ctx, db)
    urn = find_authority(la).urn if la else None
    found = themes.recurrences(record, themes.themed_points(record), urn)

    def table() -> None:
        grid = Table(title="Recurring themes", title_justify="left")
        for column in ("Authority", "Theme", "Raised", "Dates"):
            grid.add_column(column)
        for r in found:
            grid.add_row(escape(r.name), escape(r.theme_name), str(len(r.occurrences)),
                         ", ".join(str(o.date) for o in r.occurrences))
        console.print(grid)

    emit(as_json, found, table)


@analyse.command("due")
@click.argument("la", required=False)
@AS_JSON
@db_option
@click.pass_context
def due_command(ctx: click.Context, la: str | None, as_json: bool, db: str | None) -> None:
    """When each LA's next full inspection window opens and closes, with the rule."""
    rows = schedule.next_due(_record(ctx, db))
    if la:
        urn = find_authority(la).urn
        rows = [row for row in rows if row.urn == urn]

    def table() -> None:
        grid = Table(title="Next full inspection", title_justify="left")
        for column in ("Authority", "Last inspected", "Next", "Window", "Status",
                       "Focused visit"):
            grid.add_column(column)
        for d in rows:
            grid.add_row(escape(d.name), str(d.last.date), d.rule.next_type,
                         f"{d.opens} to {d.closes}", d.status,
                         "expected" if d.rule.focused_visit else "no")
        console.print(grid)
        for rule in sorted({d.rule for d in rows}, key=lambda r: r.key):
            console.print(f"[dim]{rule.key}: {escape(rule.citation)}[/]", highlight=False)

    emit(as_json, rows, table)


@analyse.command("backtest")
@AS_JSON
@db_option
@click.pass_context
def backtest_command(ctx: click.Context, as_json: bool, db: str | None) -> None:
    """How often the next-inspection rule's window held the next inspection in the record."""
    record = _record(ctx, db)
    result = schedule.backtest(record)

    def table() -> None:
        counts = result.counts
        console.print(f"{result.inside_share}% of {result.observed} next inspections fell "
                      f"inside the predicted window (early {counts['early']}, late "
                      f"{counts['late']}); {counts['not yet seen']} windows closed with no "
                      "inspection recorded.", highlight=False)
        for label, flag in (("set before the 2020-21 pause", True), ("set since", False)):
            part = result.cohort(flag)
            console.print(f"  windows {label}: {part.inside_share}% of {part.observed}",
                          highlight=False)
        grid = Table(title="By rule", title_justify="left")
        for column in ("Rule", "Inside", "Early", "Late", "Not yet seen"):
            grid.add_column(column)
        for key in schedule.RULES:
            cases = [c.outcome for c in result.cases if c.rule.key == key]
            if cases:
                grid.add_row(key, *(str(cases.count(o)) for o in
                                    ("inside", "early", "late", "not yet seen")))
        console.print(grid)

    emit(as_json, schedule.backtest_report(record), table)


@click.command()
@click.argument("table_path", metavar="ODS", type=click.Path(exists=True, dir_okay=False,
                                                              path_type=Path))
@click.option("--known", "known_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Known-differences file (default: the one ilacs ships).")
@AS_JSON
@db_option
@click.pass_context
def reconcile(ctx: click.Context, table_path: Path, known_path: Path | None, as_json: bool,
              db: str | None) -> None:
    """Compare the record with Ofsted's official outcomes table (ODS), field by field.

    Every disagreement is listed by LA and field, with its reason when the known-differences
    file explains it. Exits with status 1 if any disagreement is unexplained.
    """
    table = read_official_table(table_path)
    result = reconcile_record(_record(ctx, db), table, load_known_differences(known_path))
    if as_json:
        click.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    else:
        grid = Table(title=f"{len(result.disagreements)} disagreements over "
                     f"{result.compared} official rows; {result.unexplained} unexplained",
                     title_justify="left")
        for column in ("Sheet", "LA", "Date", "Field", "Ofsted", "ilacs", "Reason"):
            grid.add_column(column)
        for d in sorted(result.disagreements, key=lambda d: (d.reason is not None, d.sheet,
                                                             d.la_name)):
            grid.add_row(d.sheet, escape(d.la_name), str(d.date or ""), d.field,
                         escape(d.official or "–"), escape(d.record or "–"),
                         escape(d.reason) if d.reason else "[bold red]unexplained[/]")
        console.print(grid)
    if result.unexplained:
        ctx.exit(1)
