"""The `ilacs` group: every command, and the one place errors become messages and exit codes."""

from __future__ import annotations

import sys

import click

from ilacs import __version__
from ilacs.cli import (
    analyse,
    context,
    evaluate,
    praise,
    records,
    serve,
    statistics,
    story,
    update,
)
from ilacs.cli.common import errors
from ilacs.errors import IlacsError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
              help="SQLite file of the record (default: $ILACS_DB or ./ilacs.db).")
@click.version_option(__version__, prog_name="ilacs")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """The open record of Ofsted's inspections of local authority children's services.

    \b
    Example:
        ilacs ingest ../shared/corpus/reports
        ilacs show "Isle of Wight"
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db


# registers `analyse context`, `indicator` ... and `analyse praise` on the analyse group
_ANALYSES = (context, praise)

for command in (records.ingest, records.show, records.export_command, evaluate.evaluate,
                records.build, records.summary, records.problems, records.search,
                story.interventions, story.claims, update.update, update.changes,
                analyse.analyse, analyse.reconcile, serve.serve, serve.publish,
                statistics.statistics):
    cli.add_command(command)


def main() -> None:
    try:
        cli(obj={})
    except IlacsError as error:
        errors.print(f"[red]Error:[/] {error}", highlight=False)
        sys.exit(2)
