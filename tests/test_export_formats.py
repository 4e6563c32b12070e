"""ilacs.export.registry and the writers: every format writes a file that reads back."""

from __future__ import annotations

import csv
import json
import sqlite3
import zipfile
from datetime import date, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from ilacs.errors import IlacsError
from ilacs.export import (
    EXPORTERS,
    JUDGEMENT_KEYS,
    ExportError,
    UnknownExportFormat,
    export_record,
)
from ilacs.store import sync_authorities
from test_store_factories import (
    REGISTER,
    fresh_store,
    make_document,
    make_problem,
    make_report,
    save_report,
)

WIDE_WIDTH = 11 + len(JUDGEMENT_KEYS) + 3 + len(JUDGEMENT_KEYS)  # grades, then their pages


@pytest.fixture
def record(tmp_path: Path) -> sqlite3.Connection:
    """Isle of Wight inspected twice, Islington once; the Isles of Scilly never."""
    conn = fresh_store(tmp_path)
    sync_authorities(conn, REGISTER)
    save_report(conn, make_report("good", start=date(2018, 3, 5), published=date(2018, 4, 30)),
                make_document("2018", path="reports/80419/2018.pdf"),
                problems=(make_problem(path="reports/80419/2018.pdf"),))
    save_report(conn, make_report("requires_improvement", lead_inspector="Zoë Ångström"),
                make_document("2023", path="reports/80419/2023.pdf"))
    save_report(conn, make_report("outstanding", urn=80471, la_name="Islington"),
                make_document("2024", path="reports/80471/2024.pdf"))
    return conn


def test_csv_writes_the_wide_table(record: sqlite3.Connection, tmp_path: Path) -> None:
    path = export_record(record, "csv", tmp_path / "out" / "inspections.csv")

    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 3 and len(rows[0]) == WIDE_WIDTH
    assert rows[1]["lead_inspector"] == "Zoë Ångström"
    assert rows[1]["inspection_start"] == "2023-03-06"
    assert rows[1]["overall_effectiveness"] == "requires_improvement"
    assert rows[1]["lscb"] == ""


def test_csv_latest_has_one_row_per_authority(
    record: sqlite3.Connection, tmp_path: Path
) -> None:
    path = export_record(record, "csv", tmp_path / "latest.csv", latest=True)
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [(r["la_name"], r["overall_effectiveness"]) for r in rows] == [
        ("Isle of Wight", "requires_improvement"), ("Isles of Scilly", ""),
        ("Islington", "outstanding"),
    ]


def test_json_writes_every_table(record: sqlite3.Connection, tmp_path: Path) -> None:
    path = export_record(record, "json", tmp_path / "record.json")
    data = json.loads(path.read_text(encoding="utf-8"))

    assert list(data) == ["inspections", "judgements", "points", "strengths", "authorities",
                          "visits", "interventions", "statistics", "statistics_sources"]
    assert data["statistics"] == [] and data["statistics_sources"] == []  # none loaded
    assert len(data["inspections"]) == 3 and len(data["inspections"][0]) == WIDE_WIDTH
    assert data["inspections"][0]["publication_date"] == "2018-04-30"
    assert len(data["judgements"]) == 15 and len(data["points"]) == 6
    assert len(data["authorities"]) == 4

    latest = json.loads(export_record(record, "json", tmp_path / "l.json", True).read_text())
    assert list(latest) == ["latest"] and len(latest["latest"]) == 3


def test_parquet_keeps_column_types(record: sqlite3.Connection, tmp_path: Path) -> None:
    table = pq.read_table(export_record(record, "parquet", tmp_path / "wide.parquet"))

    assert table.num_rows == 3 and table.num_columns == WIDE_WIDTH
    assert str(table.schema.field("inspection_start").type) == "date32[day]"
    assert str(table.schema.field("urn").type) == "int64"
    assert table.column("urn").to_pylist() == [80419, 80419, 80471]
    assert table.column("inspection_start").to_pylist()[0] == date(2018, 3, 5)

    latest = pq.read_table(export_record(record, "parquet", tmp_path / "l.parquet", True))
    assert latest.column("la_name").to_pylist() == [
        "Isle of Wight", "Isles of Scilly", "Islington"
    ]


def test_xlsx_has_a_sheet_per_table_latest_first(
    record: sqlite3.Connection, tmp_path: Path
) -> None:
    workbook = load_workbook(export_record(record, "xlsx", tmp_path / "record.xlsx"))

    assert workbook.sheetnames == [
        "Latest per LA", "Authorities", "Inspections", "Judgements", "Improvement points",
        "Strengths",
        "Visits",
        "Interventions", "Statistics", "Statistics sources", "Problems"
    ]
    sheet = workbook["Inspections"]
    header = [cell.value for cell in sheet[1]]
    assert len(header) == WIDE_WIDTH and header[0] == "urn"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 4
    start = sheet.cell(row=2, column=header.index("inspection_start") + 1)
    assert start.value == datetime(2018, 3, 5) and start.is_date
    assert start.number_format == "yyyy-mm-dd"
    assert 8 <= sheet.column_dimensions["A"].width <= 60
    assert workbook["Latest per LA"].max_row == 4
    assert workbook["Problems"].max_row == 2
    points = workbook["Improvement points"]
    header = [cell.value for cell in points[1]]
    assert points.cell(row=2, column=header.index("text") + 1).value == \
        "The timeliness of assessments for children in need."
    assert points.cell(row=2, column=header.index("event") + 1).value == "inspection"


def test_xlsx_latest_holds_only_the_latest_sheet(
    record: sqlite3.Connection, tmp_path: Path
) -> None:
    workbook = load_workbook(export_record(record, "xlsx", tmp_path / "l.xlsx", latest=True))
    assert workbook.sheetnames == ["Latest per LA"]


def test_an_empty_record_still_exports(tmp_path: Path) -> None:
    empty = fresh_store(tmp_path)
    for name in EXPORTERS:
        assert export_record(empty, name, tmp_path / f"empty.{name}").stat().st_size > 0


def test_a_folder_output_gets_a_default_name(record: sqlite3.Connection, tmp_path: Path) -> None:
    assert export_record(record, "csv", tmp_path) == tmp_path / "ilacs_record.csv"
    assert export_record(record, "json", tmp_path, True) == tmp_path / "ilacs_latest.json"
    assert not list(tmp_path.glob(".*.partial"))


def test_an_unknown_format_names_the_known_ones(
    record: sqlite3.Connection, tmp_path: Path
) -> None:
    with pytest.raises(UnknownExportFormat, match="'ods'.*csv, json, parquet, xlsx"):
        export_record(record, "ods", tmp_path / "out.ods")
    assert issubclass(UnknownExportFormat, IlacsError)
    assert not (tmp_path / "out.ods").exists()


def test_an_unwritable_output_is_an_export_error(
    record: sqlite3.Connection, tmp_path: Path
) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    with pytest.raises(ExportError, match="could not write the csv export") as raised:
        export_record(record, "csv", blocker / "out.csv")
    assert raised.value.path == str(blocker / "out.csv")


# --- the official statistics -----------------------------------------------------------------

@pytest.fixture(scope="module")
def statistics_copy(statistics_db: Path, tmp_path_factory: pytest.TempPathFactory
                    ) -> sqlite3.Connection:
    conn = sqlite3.connect(tmp_path_factory.mktemp("export") / "ilacs.db")
    conn.row_factory = sqlite3.Row
    with sqlite3.connect(statistics_db) as source:
        source.backup(conn)
    return conn


def test_every_format_exports_the_statistics(statistics_copy: sqlite3.Connection,
                                             tmp_path: Path) -> None:
    conn = statistics_copy
    stored = conn.execute("SELECT count(*), count(value), total(value) FROM "
                          "indicator_values").fetchone()
    with export_record(conn, "csv", tmp_path / "s.csv", statistics=True).open(
            encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == stored[0]
    assert sum(1 for r in rows if r["value"]) == stored[1]
    assert sum(float(r["value"]) for r in rows if r["value"]) == pytest.approx(stored[2])
    wight = [r for r in rows if r["indicator"] == "cin_rate" and r["urn"] == "80419"]
    assert {r["place"] for r in wight} == {"Isle of Wight"} and wight[0]["la_code"] == "921"
    suppressed = next(r for r in rows if r["missing"] == "c")
    assert suppressed["value"] == "" and "confidential" in suppressed["missing_meaning"]
    assert {r["place"] for r in rows if r["subject"] == "region:E12000008"} == {"South East"}

    table = pq.read_table(export_record(conn, "parquet", tmp_path / "s.parquet",
                                        statistics=True))
    assert table.num_rows == stored[0] and str(table.schema.field("value").type) == "double"
    assert table.column("value").null_count == stored[0] - stored[1]

    document = json.loads(export_record(conn, "json", tmp_path / "s.json",
                                        statistics=True).read_text(encoding="utf-8"))
    assert set(document) == {"statistics", "statistics_sources"}
    assert len(document["statistics_sources"]) == 17
    assert all("/" not in s["file"] for s in document["statistics_sources"])  # names only

    workbook = export_record(conn, "xlsx", tmp_path / "s.xlsx", statistics=True)
    book = load_workbook(workbook, read_only=True)
    assert book.sheetnames == ["Statistics", "Statistics sources"]
    # the rows of the first sheet's XML, counted without reading their 37,000-odd cells
    with zipfile.ZipFile(workbook) as archive:
        rows = archive.read("xl/worksheets/sheet1.xml").count(b"<row ")
    assert rows == stored[0] + 1  # the header, then every value
    assert export_record(conn, "csv", tmp_path, statistics=True) == \
        tmp_path / "ilacs_statistics.csv"
    with pytest.raises(ExportError, match="--latest and --statistics"):
        export_record(conn, "csv", tmp_path / "x.csv", latest=True, statistics=True)
