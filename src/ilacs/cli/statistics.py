"""`ilacs statistics ...`: load official statistics, list the catalogue and what is loaded."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ilacs.cli.common import AS_JSON, console, db_option, emit, errors, open_record, print_problems


@click.group()
def statistics() -> None:
    """Official statistics (DfE's children's social care data, ONS populations, spend) in the
    record, beside the inspections.

    \b
    Examples:
        ilacs statistics load ../shared/reference/dfe
        ilacs statistics indicators
        ilacs statistics sources --json
    """


@statistics.command("load")
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=str))
@click.option("-j", "--workers", type=click.IntRange(min=1), default=None,
              help="Processes reading files (default: the number of cores, max 4).")
@click.option("--strict", is_flag=True, help="Exit with status 1 if any file had a problem.")
@db_option
@click.pass_context
def load_command(ctx: click.Context, inputs: tuple[str, ...], workers: int | None,
                 strict: bool, db: str | None) -> None:
    """Load EES tidy CSV files (and MHCLG revenue outturn workbooks) into the record.

    Each file replaces the figures of its data set in one step, so loading it again does
    nothing and loading a newer release says what moved (`ilacs changes`). Suppressed
    figures are kept as what they are (c, x, z, k, low, u), never as numbers.

    \b
    Example:
        ilacs statistics load ../shared/reference/dfe
        ilacs statistics load b1_children_in_need_2013_to_2026.csv --strict
    """
    from ilacs.ingest.statistics import find_statistics_files, load_statistics
    from ilacs.pipeline import default_workers

    conn = open_record(ctx, db)
    files, problems = find_statistics_files(inputs)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=errors, transient=True) as progress:
        task = progress.add_task("Loading statistics", total=len(files))
        result = load_statistics(conn, files, workers=workers or default_workers(),
                                 on_read=lambda _path: progress.advance(task))
    result.problems[:0] = problems
    for loaded in result.datasets:
        detail = f"{loaded.figures:,} figures"
        if loaded.outcome == "replaced":
            detail += (f"; {loaded.changed:,} changed, {loaded.added:,} added, "
                       f"{loaded.removed:,} removed")
        console.print(f"{loaded.outcome:>9}  [bold]{escape(loaded.dataset)}[/] ({detail}) "
                      f"from {escape(loaded.location)}", highlight=False)
    console.print(f"{len(result.datasets)} data sets; {result.indicator_values:,} headline "
                  f"indicator values derived; {result.indicators_moved:,} moved; "
                  f"{len(result.problems)} problems.", highlight=False)
    print_problems(result.problems)
    if strict and result.problems:
        sys.exit(1)


@dataclass(frozen=True)
class IndicatorListing:
    key: str
    label: str
    group: str
    unit: str
    direction: str
    direction_basis: str | None
    about: str
    years: list[int]
    authorities: int  # with a value in the latest year


@statistics.command("indicators")
@AS_JSON
@db_option
@click.pass_context
def indicators_command(ctx: click.Context, as_json: bool, db: str | None) -> None:
    """The headline indicators of the catalogue, with the years the record holds for each.

    \b
    Example:
        ilacs statistics indicators
        ilacs statistics indicators --json
    """
    from ilacs.statistics.catalogue import load_catalogue
    from ilacs.statistics.units import unit_name
    from ilacs.store.statistics import indicator_years

    years = indicator_years(open_record(ctx, db))
    listing = [IndicatorListing(i.key, i.label, i.group, i.unit, i.direction,
                                i.direction_basis, i.about,
                                sorted(years.get(i.key, {})),
                                years.get(i.key, {}).get(max(years.get(i.key, {0: 0})), 0))
               for i in load_catalogue().indicators]

    def table() -> None:
        grid = Table(title="Headline indicators")
        for column in ("Key", "Indicator", "Unit", "Direction", "Years", "LAs (latest)"):
            grid.add_column(column)
        for item in listing:
            span = f"{item.years[0]}-{item.years[-1]}" if item.years else "none loaded"
            grid.add_row(item.key, item.label, unit_name(item.unit),
                         item.direction.replace("_", " "), span, str(item.authorities))
        console.print(grid)

    emit(as_json, listing, table)


@statistics.command("sources")
@AS_JSON
@db_option
@click.pass_context
def sources_command(ctx: click.Context, as_json: bool, db: str | None) -> None:
    """The data sets loaded: where each came from, its sha256 and when it was loaded.

    \b
    Example:
        ilacs statistics sources
    """
    from ilacs.store.statistics import list_sources

    sources = list_sources(open_record(ctx, db))

    def table() -> None:
        grid = Table(title=f"{len(sources)} data sets loaded")
        for column in ("Data set", "Rows", "Origin", "Loaded", "From", "sha256"):
            grid.add_column(column)
        for source in sources:
            grid.add_row(source.dataset, f"{source.rows:,}", source.origin,
                         source.loaded_at[:10], source.location, source.sha256[:12])
        console.print(grid)
        if not sources:
            console.print("No statistics loaded: `ilacs build` loads the bundled figures, "
                          "`ilacs statistics load FOLDER` reads EES files.")

    emit(as_json, sources, table)
