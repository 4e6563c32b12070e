"""The OpenDocument reader's choice of sheets: a workbook read for some of its sheets gives
exactly what a full read gives for them, whatever the sheet names or namespace prefixes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import SHARED
from ilacs.documents.spreadsheet import read_ods

PROVIDERS = (SHARED / "reference" / "dfe"
             / "Childrens_social_care_in_England_2023_underlying_data.ods")
_NS = ('xmlns:{office}="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:{table}="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _workbook(path: Path, sheets: list[tuple[str, list[str]]], table: str = "table",
              office: str = "office") -> Path:
    body = "".join(
        f'<{table}:table {table}:style-name="ta1" {table}:name="{name}">'
        + "".join(f"<{table}:table-row><{table}:table-cell><text:p>{text}</text:p>"
                  f"</{table}:table-cell></{table}:table-row>" for text in rows)
        + f"</{table}:table>" for name, rows in sheets)
    content = (f"<?xml version='1.0' encoding='UTF-8'?><{office}:document-content "
               f"{_NS.format(office=office, table=table)}><{office}:body>"
               f"<{office}:spreadsheet>{body}<{table}:table {table}:name=\"empty\"/>"
               f"</{office}:spreadsheet></{office}:body></{office}:document-content>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    return path


def test_chosen_sheets_of_a_real_workbook_read_as_in_a_full_read() -> None:
    if not PROVIDERS.is_file():
        pytest.skip(f"SKIPPED LOUDLY: no provider workbook at {PROVIDERS}")
    full = read_ods(PROVIDERS)
    wanted = {name for name in full if name.startswith("Providers+places_at")}
    chosen = read_ods(PROVIDERS, sheets=lambda name: name in wanted)
    assert len(wanted) == 1 and set(chosen) == wanted
    assert chosen == {name: full[name] for name in wanted}


@pytest.mark.parametrize("prefixes", [("table", "office"), ("t", "o")])
def test_sheets_are_chosen_by_their_unescaped_names(tmp_path: Path,
                                                    prefixes: tuple[str, str]) -> None:
    table, office = prefixes
    sheets = [("Cover", ["about"]), ("Homes &amp; places", ["a", "b"]), ("Notes", ["n"])]
    path = _workbook(tmp_path / "book.ods", sheets, table=table, office=office)
    chosen = read_ods(path, sheets=lambda name: name in {"Homes & places", "Notes"})
    assert {name: [cells[0].text for _, cells in rows] for name, rows in chosen.items()} == {
        "Homes & places": ["a", "b"], "Notes": ["n"]}
    assert set(read_ods(path)) == {"Cover", "Homes & places", "Notes", "empty"}
