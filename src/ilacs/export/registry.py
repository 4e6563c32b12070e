"""Exports as a registry keyed by format name: adding a format means adding one entry.

`export_record` is what the CLI and the web app call. It resolves the output path, writes
through a temporary file in the same folder and renames it into place, so a failed export
never leaves a half-written file where a previous good one was.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from ilacs.errors import IlacsError
from ilacs.export.tables import Selection
from ilacs.export.to_csv import write_csv
from ilacs.export.to_json import write_json
from ilacs.export.to_parquet import write_parquet
from ilacs.export.to_xlsx import write_xlsx

Writer = Callable[[sqlite3.Connection, Path, Selection], None]


class UnknownExportFormat(IlacsError):
    """The requested export format is not one ilacs writes."""


class ExportError(IlacsError):
    """The export could not be written."""


@dataclass(frozen=True)
class Exporter:
    extension: str
    description: str
    write: Writer


EXPORTERS: dict[str, Exporter] = {
    "csv": Exporter("csv", "the inspections table (or latest per LA, or the statistics) as "
                    "UTF-8 CSV", write_csv),
    "json": Exporter(
        "json", "inspections, judgements, improvement points, strengths, authorities and "
        "statistics as JSON", write_json),
    "parquet": Exporter("parquet", "the inspections table (or latest, or the statistics) as "
                        "Parquet", write_parquet),
    "xlsx": Exporter("xlsx", "a workbook: latest per LA, then a sheet per table", write_xlsx),
}


def export_record(
    conn: sqlite3.Connection, format: str, output: Path, latest: bool = False,
    statistics: bool = False,
) -> Path:
    """Write the record in `format` to `output` (a file, or a folder to write into).

    Returns the path written. With `latest`, the export is the latest-per-LA table; with
    `statistics`, the official statistics' headline indicators and their sources.
    """
    if latest and statistics:
        raise ExportError("choose one of --latest and --statistics, not both")
    selection = Selection.STATISTICS if statistics else (
        Selection.LATEST if latest else Selection.RECORD)
    exporter = EXPORTERS.get(format.lower().lstrip("."))
    if exporter is None:
        raise UnknownExportFormat(
            f"unknown export format {format!r}: choose one of {', '.join(sorted(EXPORTERS))}"
        )
    path = output_path(Path(output), exporter.extension, selection)
    temporary = path.with_name(f".{path.name}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        exporter.write(conn, temporary, selection)
        os.replace(temporary, path)
    except OSError as error:
        raise ExportError(
            f"could not write the {format} export ({error.strerror or error}); check that "
            "the folder exists and is writable, and that the file is not open in Excel",
            path=str(path),
        ) from error
    finally:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
    return path


def output_path(output: Path, extension: str, selection: Selection) -> Path:
    """`output` itself, or a default file name inside it when it is a folder."""
    if output.is_dir():
        return output / f"ilacs_{selection.value}.{extension}"
    return output
