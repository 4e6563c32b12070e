"""`ilacs update`: discover, download and ingest what Ofsted has published."""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ilacs.cli.common import console, db_option, errors, open_record, print_problems
from ilacs.store.changes import ChangeKind

if TYPE_CHECKING:
    from ilacs.sources.http import HttpSettings

STATISTICS_MAX_BYTES = 2 * 1024 ** 3  # EES data files are far larger than any report


@click.command()
@click.option("--dry-run", is_flag=True, help="Say what would be downloaded; change nothing.")
@click.option("--base-url", default="https://reports.ofsted.gov.uk", show_default=True,
              help="Ofsted's reports website (a local copy in tests).")
@click.option("--rate", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Seconds to wait between requests.")
@click.option("--downloads", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where downloaded files are kept (default: downloads/ beside the database).")
@click.option("-j", "--workers", type=int, default=None, help="Processes reading files.")
@click.option("--statistics", "statistics", is_flag=True,
              help="Update the official statistics from DfE's EES API instead.")
@click.option("--ees-url", default="https://api.education.gov.uk/statistics", show_default=True,
              help="The EES API (a local copy in tests).")
@click.option("--interventions", "interventions", is_flag=True,
              help="Update the interventions register from DfE's notices and directions on "
              "GOV.UK instead.")
@click.option("--govuk-url", default="https://www.gov.uk", show_default=True,
              help="GOV.UK (a local copy in tests); its content API is at /api/content.")
@click.option("--govuk-collection", default="/government/collections/"
              "improvement-notices-and-directions", show_default=True,
              help="The path of DfE's collection of notices and directions.")
@click.option("--deadline", type=click.FloatRange(min=1), default=6 * 3600.0, show_default=True,
              help="Seconds the whole run may fetch for; what is left waits for the next run.")
@click.option("--file-deadline", type=click.FloatRange(min=1), default=600.0, show_default=True,
              help="Seconds one page or file may take, its retries included.")
@db_option
@click.pass_context
def update(ctx: click.Context, dry_run: bool, base_url: str, rate: float,
           downloads: Path | None, workers: int | None, statistics: bool, ees_url: str,
           interventions: bool, govuk_url: str, govuk_collection: str, deadline: float,
           file_deadline: float, db: str | None) -> None:
    """Bring the record up to date from Ofsted's website: every LA's reports and letters.
    With --statistics, bring the official statistics up to date from DfE's EES API; with
    --interventions, the interventions register from DfE's notices and directions on GOV.UK.

    \\b
    Example:
        ilacs --db /srv/ilacs/ilacs.db update
        ilacs update --dry-run
        ilacs update --statistics
        ilacs update --interventions
    """
    from ilacs.pipeline import default_workers
    from ilacs.sources import UpdateOptions, UpdateProgress
    from ilacs.sources import update as run_update
    from ilacs.sources.http import HttpSettings

    conn = open_record(ctx, db)
    settings = HttpSettings(min_interval=rate, run_deadline=deadline, url_deadline=file_deadline)
    if statistics:
        _update_statistics(conn, ees_url, replace(settings, max_bytes=STATISTICS_MAX_BYTES),
                           downloads)
        return
    if interventions:
        _update_interventions(conn, govuk_url, govuk_collection, settings)
        return
    started = datetime.now(UTC)
    options = UpdateOptions(downloads=downloads, base_url=base_url, rate=rate,
                            workers=workers or default_workers(), dry_run=dry_run, http=settings)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=errors, transient=True) as progress:
        task = progress.add_task("reading Ofsted's search listing", total=None)

        def show(step: UpdateProgress) -> None:
            progress.update(task, description=str(step.stage), completed=step.done,
                            total=step.total)

        summary = run_update(conn, options, on_progress=show)
    console.print(summary.headline(), highlight=False)
    logged = summary.ingest.changes if summary.ingest else 0
    if logged:
        noun = "change" if logged == 1 else "changes"
        console.print(f"{logged} {noun} logged: see them with `ilacs changes --since "
                      f"{started.isoformat(timespec='seconds')}`.", highlight=False)
    for problem in summary.problems:
        errors.print(f"  [yellow]problem:[/] {escape(problem.describe())}", highlight=False)
    print_problems(summary.ingest_problems)  # each as 'file, page N: what', never a repr
    if summary.failed:
        sys.exit(1)


def _update_statistics(conn: sqlite3.Connection, ees_url: str, settings: HttpSettings,
                       downloads: Path | None) -> None:
    from ilacs.sources.ees import update_statistics
    from ilacs.sources.http import PoliteClient
    from ilacs.sources.update import downloads_folder_for

    folder = downloads or downloads_folder_for(conn)
    with PoliteClient(settings) as http, Progress(
            TextColumn("{task.description}"), console=errors, transient=True) as progress:
        task = progress.add_task("asking the EES API", total=None)
        summary = update_statistics(conn, http, folder, ees_url,
                                    on_step=lambda url: progress.update(task, description=url))
    console.print(summary.headline(), highlight=False)
    for loaded in summary.load.datasets if summary.load else []:
        console.print(f"{loaded.outcome:>9}  {escape(loaded.dataset)} ({loaded.figures:,} "
                      "figures)", highlight=False)
    for note in summary.notes:
        console.print(f"  note: {escape(note)}", highlight=False)
    for problem in summary.problems:
        errors.print(f"  [yellow]problem:[/] {escape(problem)}", highlight=False)
    for item in summary.load.problems if summary.load else []:
        errors.print(f"  [yellow]{item.severity.value}:[/] {escape(item.describe())}",
                     highlight=False)
    if summary.failed:
        sys.exit(1)


def _update_interventions(conn: sqlite3.Connection, govuk_url: str, collection: str,
                          settings: HttpSettings) -> None:
    from ilacs.sources.govuk import update_interventions
    from ilacs.sources.http import PoliteClient

    with PoliteClient(settings) as http, Progress(
            TextColumn("{task.description}"), console=errors, transient=True) as progress:
        task = progress.add_task("asking GOV.UK's content API", total=None)
        summary = update_interventions(
            conn, http, govuk_url, collection,
            on_step=lambda url: progress.update(task, description=url))
    console.print(summary.headline(), highlight=False)
    for problem in summary.problems:
        errors.print(f"  [yellow]problem:[/] {escape(problem)}", highlight=False)
    if summary.failed:
        sys.exit(1)


def parse_since(value: str | None) -> date | datetime | None:
    """A date (2026-11-01) or a time (2026-11-01T09:00, UTC unless it says otherwise)."""
    if not value:
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-01 or a time like "
                                 "2026-11-01T09:00", param_hint="--since") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@click.command()
@click.option("--since", default=None, metavar="DATE",
              help="Only changes recorded on or after this date (or time).")
@click.option("--la", "authority", default=None, help="One LA (name, URN or code).")
@click.option("--kind", "kinds", multiple=True,
              type=click.Choice([kind.value for kind in ChangeKind]),
              help="Only these kinds of change (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="At most this many, newest first.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON, one object per change.")
@db_option
@click.pass_context
def changes(ctx: click.Context, since: str | None, authority: str | None,
            kinds: tuple[str, ...], limit: int | None, as_json: bool, db: str | None) -> None:
    """What changed in the record, and when: new and corrected inspections, visits and
    interventions, newest first.

    \\b
    Example:
        ilacs changes --since 2026-11-01
        ilacs changes --la "Isle of Wight" --kind inspection_added --json
    """
    from ilacs.analysis.changes import tell
    from ilacs.analysis.jsonable import jsonable
    from ilacs.reference import find_authority
    from ilacs.store.changes import list_changes

    conn = open_record(ctx, db)
    urn = find_authority(authority).urn if authority else None
    found = list_changes(conn, parse_since(since), urn, [ChangeKind(k) for k in kinds], limit)
    stories = [tell(change) for change in found]
    if as_json:
        click.echo(json.dumps([{**jsonable(story.change), "title": story.title,
                                "lines": list(story.lines)} for story in stories],
                              indent=1, ensure_ascii=False))
        return
    if not stories:
        console.print("No changes recorded" + (f" since {since}" if since else "") + ".")
        return
    for story in stories:
        stamp = f"{story.change.recorded_at:%Y-%m-%d %H:%M}"
        console.print(f"[bold]{stamp}[/] {escape(story.title)}", highlight=False)
        for line in story.lines:
            console.print(f"    {escape(line)}", highlight=False)
