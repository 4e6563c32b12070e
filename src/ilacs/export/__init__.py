"""Exports: the record as CSV, JSON, Parquet or an Excel workbook, from one set of tables."""

from ilacs.export.registry import (
    EXPORTERS,
    Exporter,
    ExportError,
    UnknownExportFormat,
    export_record,
)
from ilacs.export.tables import JUDGEMENT_KEYS, WIDE_COLUMNS, Table, latest_table, wide_table

__all__ = [
    "EXPORTERS",
    "JUDGEMENT_KEYS",
    "WIDE_COLUMNS",
    "ExportError",
    "Exporter",
    "Table",
    "UnknownExportFormat",
    "export_record",
    "latest_table",
    "wide_table",
]
