"""`ilacs analyse praise LA`: what the authority's statistical neighbours judged good or
outstanding were praised for. Printing only; the analysis is `ilacs.analysis.praise`."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table

from ilacs.analysis.praise import neighbours_praise
from ilacs.analysis.record import load_record
from ilacs.cli.analyse import MODEL, analyse
from ilacs.cli.common import AS_JSON, console, db_option, emit, open_record
from ilacs.reference import find_authority


@analyse.command("praise")
@click.argument("la")
@MODEL
@AS_JSON
@db_option
@click.pass_context
def praise_command(ctx: click.Context, la: str, model: str, as_json: bool,
                   db: str | None) -> None:
    """What the statistical neighbours judged good or outstanding at their latest inspection
    were praised for, by theme (the strengths each report lists, or its summary's sentences
    of praise).

    \b
    Example:
        ilacs analyse praise "Isle of Wight"
        ilacs analyse praise 80419 --json
    """
    record = load_record(open_record(ctx, db))
    result = neighbours_praise(record, find_authority(la).urn, model)  # type: ignore[arg-type]

    def table() -> None:
        names = {n.urn: getattr(record.authority(n.urn), "name", str(n.urn))
                 for n in result.neighbours}
        grid = Table(title="Statistical neighbours judged good or outstanding",
                     title_justify="left")
        for column in ("Rank", "Authority", "Grade", "Inspected", "Strengths"):
            grid.add_column(column)
        for n in result.neighbours:
            grid.add_row(str(n.rank), escape(names[n.urn]), n.grade.value,
                         str(n.inspection.date), str(len(n.strengths)))
        console.print(grid)
        themes = Table(title="What they were praised for", title_justify="left")
        for column in ("Theme", "Neighbours", "Example (document, page)"):
            themes.add_column(column)
        for theme in result.themes:
            example = theme.examples[0]
            where = f"{example.document_path}, page {example.page}"
            themes.add_row(escape(theme.name), str(len(theme.authorities)),
                           escape(f"{example.text[:90]}… ({where})" if example.text else where))
        console.print(themes)

    emit(as_json, result, table)
