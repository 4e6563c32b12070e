"""Commands on the record itself: ingest, build, show, export, summary, problems, search."""

from __future__ import annotations

import html
import sys
from pathlib import Path

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ilacs.cli.common import console, db_option, errors, open_record, print_problems


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-j", "--workers", type=int, default=None,
              help="Processes reading PDFs in parallel (default: the number of cores, max 4).")
@click.option("--strict", is_flag=True, help="Exit with status 1 if any file had a problem.")
@db_option
@click.pass_context
def ingest(ctx: click.Context, inputs: tuple[str, ...], workers: int | None, strict: bool,
           db: str | None) -> None:
    """Read report files (folders, files or globs) into the record. Files already stored
    with the current extractor are skipped, so running it again is cheap.

    \b
    Example:
        ilacs ingest ../shared/corpus/reports
        ilacs ingest "downloads/*.pdf" --db record.db
    """
    from ilacs.pipeline import default_workers, find_files
    from ilacs.pipeline import ingest as run_ingest

    conn = open_record(ctx, db)
    try:
        sources = find_files(inputs)
    except FileNotFoundError as error:
        raise click.BadParameter(str(error)) from error
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=errors, transient=True) as progress:
        task = progress.add_task("Ingesting", total=len(sources))
        summary = run_ingest(conn, sources, workers or default_workers(),
                             on_progress=lambda _source: progress.advance(task))
    console.print(
        f"{summary.files} files: {summary.new} new, {summary.reextracted} re-extracted, "
        f"{summary.unchanged} unchanged, {summary.unreadable} unreadable; "
        f"{summary.inspections} inspections, {summary.visits} visit letters and "
        f"{summary.articles} news articles extracted; {len(summary.problems)} problems"
        + (f" ({summary.standing} recorded before and still standing)."
           if summary.standing else ".")
    )
    if summary.contradictions:
        console.print(f"[bold red]{summary.contradictions} news claims contradict the record[/]"
                      " (ilacs claims --contradictions).")
    print_problems(summary.problems)
    if strict and summary.problems:
        sys.exit(1)


@click.command()
@click.argument("authority")
@db_option
@click.pass_context
def show(ctx: click.Context, authority: str, db: str | None) -> None:
    """Show an authority's whole story in date order: inspections with grades, visits with
    their focus and what to improve, interventions, and what news articles claim.

    \b
    Example:
        ilacs show "Isle of Wight"
        ilacs show 80419
    """
    from ilacs.analysis.story import authority_story
    from ilacs.cli.story import print_story

    conn = open_record(ctx, db)
    print_story(console, authority_story(conn, authority))


@click.command("export")
@click.option("-f", "--format", "format_", required=True,
              type=click.Choice(["csv", "xlsx", "json", "parquet"]), help="File format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write.")
@click.option("--latest", is_flag=True, help="One row per authority: its latest inspection.")
@click.option("--statistics", is_flag=True,
              help="The official statistics: every headline indicator, with its sources.")
@db_option
@click.pass_context
def export_command(ctx: click.Context, format_: str, output: Path, latest: bool,
                   statistics: bool, db: str | None) -> None:
    """Export the record as CSV, XLSX, JSON or Parquet.

    \b
    Example:
        ilacs export --format xlsx -o outcomes.xlsx
        ilacs export --format csv --latest -o latest.csv
        ilacs export --format parquet --statistics -o statistics.parquet
    """
    from ilacs.export import export_record

    conn = open_record(ctx, db)
    written = export_record(conn, format_, output, latest=latest, statistics=statistics)
    console.print(f"Wrote {written}")


@click.command()
@db_option
@click.pass_context
def build(ctx: click.Context, db: str | None) -> None:
    """Load the bundled national record (shipped with ilacs) into the database.

    \b
    Example:
        ilacs build --db ilacs.db
    """
    from ilacs.record import load_bundled_record

    conn = open_record(ctx, db)
    loaded = load_bundled_record(conn)
    console.print(f"Bundled record: {loaded.loaded} documents loaded, {loaded.skipped} already "
                  "ingested locally and kept.")


@click.command()
@db_option
@click.pass_context
def summary(ctx: click.Context, db: str | None) -> None:
    """Say what the record holds.

    \b
    Example:
        ilacs summary
    """
    from ilacs.store import summary as store_summary
    from ilacs.store.statistics import figure_count, indicator_years, list_sources

    conn = open_record(ctx, db)
    facts = store_summary(conn)
    console.print(f"Documents: {facts.documents_by_kind} ({facts.documents_by_origin})")
    console.print(f"Inspections: {facts.inspections}, judgements: {facts.judgements}, "
                  f"improvement points read from reports: {facts.report_points}")
    if facts.points_themed_only:
        console.print(f"Improvement points of reports and letters known by their themes only: "
                      f"{facts.points_themed_only} (ingest the documents to read them)")
    console.print(f"Authorities with an inspection: {facts.authorities_covered} of "
                  f"{facts.authorities}; problems: {facts.problems_by_severity}")
    sources = list_sources(conn)
    if sources:
        console.print(f"Official statistics: {len(sources)} data sets, "
                      f"{figure_count(conn):,} figures, {len(indicator_years(conn))} headline "
                      "indicators (ilacs statistics indicators)")
    else:
        console.print("Official statistics: none loaded (ilacs statistics load FOLDER)")


@click.command()
@db_option
@click.pass_context
def problems(ctx: click.Context, db: str | None) -> None:
    """List every problem recorded: files that could not be read, fields not found.

    \b
    Example:
        ilacs problems
    """
    from ilacs.store import problems as stored_problems

    conn = open_record(ctx, db)
    rows = stored_problems(conn)
    for row in rows:
        console.print(escape(f"{row.severity.value}: {row.to_problem().describe()}"),
                      highlight=False)
    console.print(f"{len(rows)} problems.")


@click.command()
@click.argument("query")
@click.option("-n", "--limit", type=int, default=20, help="How many pages to show.")
@db_option
@click.pass_context
def search(ctx: click.Context, query: str, limit: int, db: str | None) -> None:
    """Full-text search across the text of every ingested document.

    \b
    Example:
        ilacs search "unregistered placements"
    """
    from ilacs.store import search_pages

    conn = open_record(ctx, db)
    hits = search_pages(conn, query, limit)
    for hit in hits:
        # One line a hit: the page's own line breaks would only break the snippet up.
        snippet = escape(" ".join(html.unescape(hit.snippet).split())).replace(
            "<mark>", "[bold]").replace("</mark>", "[/bold]")
        console.print(f"[cyan]{escape(hit.path)}[/], page {hit.page}: {snippet}",
                      highlight=False)
    if not hits:
        console.print("No pages match. Page text is searchable once reports are ingested "
                      "(ilacs ingest FOLDER); the bundled record holds facts only.")
