"""Reading Ofsted's official outcomes workbook (.ods) with the standard library.

The expected values below were checked by hand in the real file's content.xml: its three data
sheets hold rows 4-156, 4-115 and 4-274 under a header in row 3."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from ilacs.analysis.official import GRADE_WORDS, OfficialTable, read_official_table
from ilacs.errors import IlacsError

WORKBOOK = (Path(__file__).resolve().parents[2] / "shared" / "reference"
            / "ofsted_la_inspection_outcomes_2025-03-31.ods")

_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
_HEADERS = ("Web link", "Local authority area code", "Local authority name", "Region",
            "Inspection/Visit date", "Publication date", "Inspection/Visit type",
            "Overall effectiveness", "Visit Theme", "Local authority status")


@pytest.fixture(scope="module")
def table() -> OfficialTable:
    if not WORKBOOK.is_file():
        pytest.skip(f"SKIPPED LOUDLY: the official workbook is not at {WORKBOOK}")
    return read_official_table(WORKBOOK)


def _row(*cells: str) -> str:
    return "<table:table-row>" + "".join(cells) + "</table:table-row>"


def _cell(text: str, extra: str = "") -> str:
    return f"<table:table-cell {extra}><text:p>{text}</text:p></table:table-cell>"


def _sheet(name: str, *rows: str) -> str:
    return f'<table:table table:name="{name}">' + "".join(rows) + "</table:table>"


def _write_ods(path: Path, *sheets: str) -> Path:
    content = (f"<office:document-content {_NS}><office:body><office:spreadsheet>"
               + "".join(sheets) + "</office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    return path


def _data_sheet(name: str, *rows: str) -> str:
    return _sheet(name, _row(_cell("Title")), _row(_cell("Note")),
                  _row(*(_cell(header) for header in _HEADERS)), *rows)


def test_cover_facts(table: OfficialTable) -> None:
    assert table.title == "Local authority inspection outcomes as at 31 March 2025"
    assert table.published == date(2025, 9, 25)
    assert table.as_at == date(2025, 3, 31)
    assert table.published_by == date(2025, 6, 30)


def test_row_counts_and_numbers(table: OfficialTable) -> None:
    assert len(table.latest) == 153  # one row per current local authority
    assert len(table.in_year) == 112
    assert len(table.history) == 271
    for rows, last in ((table.latest, 156), (table.in_year, 115), (table.history, 274)):
        assert rows[0].row_number == 4
        assert rows[-1].row_number == last
    assert len({row.ons_code for row in table.latest}) == 153


def test_every_row_is_identified_and_dated(table: OfficialTable) -> None:
    for row in table.latest + table.in_year + table.history:
        assert row.ons_code.startswith(("E0", "E1")), row
        assert row.la_name and row.region
        assert row.inspection_date is not None and row.publication_date is not None
        assert row.inspection_date <= row.publication_date, row
        assert set(row.grades.values()) <= set(GRADE_WORDS.values())


def test_barking_and_dagenham_first_history_row(table: OfficialTable) -> None:
    first = table.history[0]
    assert (first.sheet, first.row_number) == ("ILACS_inspection_history", 4)
    assert first.ons_code == "E09000002"
    assert first.la_name == "Barking and Dagenham"
    assert first.status == "Current"
    assert first.region == "London"
    assert first.inspection_date == date(2019, 2, 18)
    assert first.publication_date == date(2019, 4, 1)
    assert first.event_type == "ILACS Standard Inspection"
    assert dict(first.grades) == {
        "overall_effectiveness": "requires_improvement",
        "impact_of_leaders": "requires_improvement",
        "help_and_protection": "requires_improvement",
        "children_in_care": "requires_improvement",
    }
    assert "care_leavers" not in first.grades  # the judgement only exists from 2023


def test_barnet_in_year_short_inspection(table: OfficialTable) -> None:
    (barnet,) = [row for row in table.in_year if row.la_name == "Barnet"]
    assert barnet.event_type == "ILACS Short Inspection"
    assert barnet.inspection_date == date(2024, 6, 10)
    assert barnet.publication_date == date(2024, 7, 23)
    assert dict(barnet.grades) == {
        "overall_effectiveness": "good", "impact_of_leaders": "good",
        "help_and_protection": "good", "children_in_care": "outstanding",
        "care_leavers": "good",
    }
    assert barnet.visit_theme is None


def test_focused_visit_has_theme_and_no_grades(table: OfficialTable) -> None:
    visit = table.in_year[0]
    assert (visit.la_name, visit.row_number) == ("Barking and Dagenham", 4)
    assert visit.event_type == "ILACS Focused Visit"
    assert visit.visit_theme == "Children in need/subject to a plan"
    assert dict(visit.grades) == {}
    assert visit.inspection_date == date(2025, 3, 26)


def test_event_types_and_statuses(table: OfficialTable) -> None:
    in_year_types = [row.event_type for row in table.in_year]
    assert in_year_types.count("ILACS Focused Visit") == 36
    assert in_year_types.count("LA Monitoring visit") == 24
    assert in_year_types.count("ILACS Short Inspection") == 30
    assert in_year_types.count("ILACS Standard Inspection") == 22
    assert all(row.event_type is None and row.status is None for row in table.latest)
    gone = sorted(row.la_name for row in table.history if row.status == "No longer exists")
    assert gone == ["Bournemouth", "Cumbria", "Northamptonshire"]


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "outcomes.ods"
    path.write_text("this is not a spreadsheet", encoding="utf-8")
    with pytest.raises(IlacsError) as caught:
        read_official_table(path)
    assert str(path) in str(caught.value)


def test_missing_history_sheet(tmp_path: Path) -> None:
    path = _write_ods(tmp_path / "tiny.ods", _sheet("Cover", _row(_cell("Tiny"))),
                      _data_sheet("Inspections_as_at_31_March"), _data_sheet("In-year_inspections"))
    with pytest.raises(IlacsError) as caught:
        read_official_table(path)
    assert str(path) in str(caught.value)
    assert "ILACS_inspection_history" in str(caught.value)


def _tiny_workbook(tmp_path: Path, data_row: str) -> Path:
    return _write_ods(tmp_path / "tiny.ods", _sheet("Cover", _row(_cell("Tiny"))),
                      _data_sheet("Inspections_as_at_31_March"),
                      _data_sheet("In-year_inspections", data_row),
                      _data_sheet("ILACS_inspection_history"))


def test_repeats_covered_cells_and_split_text(tmp_path: Path) -> None:
    row = _row(
        _cell("link"), _cell("E06000001"),
        '<table:table-cell><text:p>Hart<text:span>le</text:span><text:a>pool</text:a>'
        "</text:p></table:table-cell>",
        "<table:covered-table-cell/>",  # the region cell, merged away
        _cell("01/02/2024", 'office:value-type="date" office:date-value="2024-02-03"'),
        _cell("04/05/2024"), _cell("ILACS Short Inspection"),
        _cell("Requires  improvement"),  # printed with a doubled space
        '<table:table-cell table:number-columns-repeated="16000"/>',
    )
    path = _write_ods(tmp_path / "tiny.ods", _sheet("Cover", _row(_cell("Tiny"))),
                      _data_sheet("Inspections_as_at_31_March"),
                      _data_sheet("In-year_inspections",
                                  '<table:table-row table:number-rows-repeated="1048000">'
                                  '<table:table-cell/></table:table-row>', row),
                      _data_sheet("ILACS_inspection_history"))
    (parsed,) = read_official_table(path).in_year
    assert parsed.row_number == 4 + 1048000  # blank rows count towards the row number
    assert parsed.la_name == "Hartlepool"
    assert parsed.region is None
    assert parsed.inspection_date == date(2024, 2, 3)  # office:date-value beats the text
    assert parsed.publication_date == date(2024, 5, 4)
    assert dict(parsed.grades) == {"overall_effectiveness": "requires_improvement"}


def test_unreadable_date_names_sheet_row_and_column(tmp_path: Path) -> None:
    row = _row(_cell("link"), _cell("E06000001"), _cell("Hartlepool"), _cell("North East"),
               _cell("31/02/2024"))
    with pytest.raises(IlacsError) as caught:
        read_official_table(_tiny_workbook(tmp_path, row))
    message = str(caught.value)
    for part in ("In-year_inspections", "row 4", "Inspection/Visit date", "31/02/2024"):
        assert part in message
