"""`ilacs serve`: the dashboard and JSON API on a local port."""

from __future__ import annotations

from pathlib import Path

import click

from ilacs.cli import console, db_option


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 to share it on your network).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--documents", "document_roots", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder holding source documents by the paths the record names them "
                   "(repeatable): lets a bundled record link to its PDFs.")
@db_option
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, document_roots: tuple[Path, ...],
          db: str | None) -> None:
    """Serve the dashboard and its JSON API (read-only unless $ILACS_WRITE_TOKEN is set).

    \\b
    Example:
        ilacs serve
        ilacs --db /srv/ilacs/ilacs.db serve --host 0.0.0.0 --port 8080
        ilacs serve --documents ../shared/corpus/reports --documents ../shared/corpus/letters
    """
    import uvicorn

    from ilacs.store import resolve_db_path
    from ilacs.web import create_app
    from ilacs.web.settings import settings_from_environment

    settings = settings_from_environment(resolve_db_path(db or ctx.obj.get("db")),
                                         document_roots)
    app = create_app(settings)
    mode = "read-write (token set)" if settings.writable else "read-only"
    console.print(f"Serving {settings.db_path} ({mode}) on http://{host}:{port} "
                  "(Ctrl+C to stop)", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
