"""`ilacs serve`: the dashboard and JSON API on a local port; `ilacs publish`: a static copy."""

from __future__ import annotations

from pathlib import Path

import click

from ilacs.cli.common import console, db_option, errors


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 to share it on your network).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--documents", "document_roots", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder holding source documents by the paths the record names them "
                   "(repeatable): lets a bundled record link to its PDFs.")
@click.option("--base-url", default=None, metavar="URL",
              help="The public address people reach the dashboard at (default: "
                   "$ILACS_BASE_URL, else the address it listens on): the Atom feed's ids "
                   "and links start with it, never with a request's Host header.")
@click.option("--prepare-downloads/--no-prepare-downloads", default=True, show_default=True,
              help="Make every export file once the pages are warm (after each change of "
                   "the record), so the downloads page gives each file's size.")
@db_option
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, document_roots: tuple[Path, ...],
          base_url: str | None, prepare_downloads: bool, db: str | None) -> None:
    """Serve the dashboard and its JSON API (read-only unless $ILACS_WRITE_TOKEN is set).

    \\b
    Example:
        ilacs serve
        ilacs --db /srv/ilacs/ilacs.db serve --host 0.0.0.0 --port 8080
        ilacs serve --documents ../shared/corpus/reports --documents ../shared/corpus/letters
    """
    import uvicorn

    from ilacs.web.memory import fewer_malloc_arenas

    fewer_malloc_arenas()  # before the server's threads start
    from ilacs.store import resolve_db_path
    from ilacs.web import create_app
    from ilacs.web.settings import settings_from_environment

    settings = settings_from_environment(resolve_db_path(db or ctx.obj.get("db")),
                                         document_roots, base_url, prepare_downloads)
    app = create_app(settings)
    mode = "read-write (token set)" if settings.writable else "read-only"
    console.print(f"Serving {settings.db_path} ({mode}) on http://{host}:{port} "
                  "(Ctrl+C to stop)", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--base-url", default=None, metavar="URL",
              help="Where the copy will be hosted (https://example.org/ilacs): needed for the "
                   "Atom feed, whose links must be absolute.")
@click.option("--documents", "document_roots", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder holding source documents (repeatable), as for `ilacs serve`.")
@db_option
@click.pass_context
def publish(ctx: click.Context, folder: Path, base_url: str | None,
            document_roots: tuple[Path, ...], db: str | None) -> None:
    """Write a static copy of the dashboard to FOLDER: every page and its JSON, the change
    feed and the downloads, to host anywhere or open from disk.

    \\b
    Example:
        ilacs publish site/
        ilacs publish /var/www/ilacs --base-url https://example.org/ilacs
    """
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ilacs.store import resolve_db_path
    from ilacs.web.publish import publish as write_copy

    if base_url and not base_url.startswith(("https://", "http://")):
        raise click.BadParameter(f"{base_url!r} is not a web address (https://...)",
                                 param_hint="--base-url")
    db_path = resolve_db_path(db or ctx.obj.get("db"))
    if not db_path.is_file():
        raise click.ClickException(f"{db_path}: there is no record here yet; run `ilacs build` "
                                   "or `ilacs ingest` first")
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=errors, transient=True) as progress:
        task = progress.add_task("writing pages", total=None)

        def show(done: int, total: int, address: str) -> None:
            progress.update(task, completed=done, total=total)

        summary = write_copy(db_path, folder, base_url, document_roots, show)
    console.print(summary.headline(), highlight=False)
    for problem in summary.problems:
        errors.print(f"  [yellow]problem:[/] {escape(problem)}", highlight=False)
