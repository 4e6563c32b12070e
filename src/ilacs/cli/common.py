"""What every command shares: the consoles, the --db and --json options, opening the record
and printing JSON. Commands only parse arguments and print; the work is in the library."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from ilacs.errors import Problem

F = TypeVar("F", bound=Callable[..., Any])
console = Console()
errors = Console(stderr=True)

AS_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")


def db_option(command: F) -> F:
    """Every command that touches the record takes --db (else $ILACS_DB, else ./ilacs.db)."""
    return click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
                        help="SQLite file of the record (default: $ILACS_DB or ./ilacs.db).")(
        command)


def open_record(ctx: click.Context, db: str | None) -> sqlite3.Connection:
    """The record's database: this command's --db, else the group's, else the default."""
    from ilacs.record import ensure_authorities
    from ilacs.store import open_store, resolve_db_path

    obj = ctx.find_root().obj or {}
    conn = open_store(resolve_db_path(db or obj.get("db")))
    ensure_authorities(conn)
    return conn


def print_problems(problems: Iterable[Problem]) -> None:
    """Each problem on a line: its severity in colour, then where and what."""
    for problem in problems:
        style = "red" if problem.severity.value == "error" else "yellow"
        console.print(f"  [{style}]{problem.severity.value}[/]: {escape(problem.describe())}",
                      highlight=False)


def emit(as_json: bool, result: Any, table: Callable[[], None]) -> None:
    """`result` as JSON, or the human table `table` prints."""
    from ilacs.analysis.jsonable import jsonable

    if as_json:
        click.echo(json.dumps(jsonable(result), indent=2, ensure_ascii=False))
    else:
        table()
