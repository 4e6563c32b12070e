"""`ilacs update`: discover, download and ingest what Ofsted has published."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ilacs.cli import _open, console, db_option, errors


@click.command()
@click.option("--dry-run", is_flag=True, help="Say what would be downloaded; change nothing.")
@click.option("--base-url", default="https://reports.ofsted.gov.uk", show_default=True,
              help="Ofsted's reports website (a local copy in tests).")
@click.option("--rate", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Seconds to wait between requests.")
@click.option("--downloads", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where downloaded files are kept (default: downloads/ beside the database).")
@click.option("-j", "--workers", type=int, default=None, help="Processes reading files.")
@db_option
@click.pass_context
def update(ctx: click.Context, dry_run: bool, base_url: str, rate: float,
           downloads: Path | None, workers: int | None, db: str | None) -> None:
    """Bring the record up to date from Ofsted's website: every LA's reports and letters.

    \\b
    Example:
        ilacs --db /srv/ilacs/ilacs.db update
        ilacs update --dry-run
    """
    from ilacs.pipeline import default_workers
    from ilacs.sources import UpdateOptions, UpdateProgress
    from ilacs.sources import update as run_update

    conn = _open(ctx, db)
    options = UpdateOptions(downloads=downloads, base_url=base_url, rate=rate,
                            workers=workers or default_workers(), dry_run=dry_run)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=errors, transient=True) as progress:
        task = progress.add_task("reading Ofsted's search listing", total=None)

        def show(step: UpdateProgress) -> None:
            progress.update(task, description=str(step.stage), completed=step.done,
                            total=step.total)

        summary = run_update(conn, options, on_progress=show)
    console.print(summary.headline(), highlight=False)
    for problem in summary.problems:
        errors.print(f"  [yellow]problem:[/] {escape(problem.describe())}", highlight=False)
    for ingest_problem in summary.ingest_problems:
        errors.print(f"  [yellow]{ingest_problem.severity.value}:[/] "
                     f"{escape(str(ingest_problem))}", highlight=False)
    if summary.failed:
        sys.exit(1)
