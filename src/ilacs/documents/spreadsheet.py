"""OpenDocument spreadsheets (.ods), read with the standard library alone.

Government workbooks (Ofsted's outcomes table, MHCLG's revenue outturn, Ofsted's provider
data) are published as .ods. Reading them needs no dependency: an .ods file is a zip with
the sheets in `content.xml`. Each cell keeps its printed text, its date value and its
number value (`office:value`, exact where the printed text rounds or adds separators).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import unescape

from ilacs.errors import IlacsError

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
# Spreadsheet apps pad every row out to column 16384 and every sheet to row 1048576 with one
# repeated empty element; a non-empty cell or row repeated absurdly often is capped instead.
MAX_REPEAT = 1000
_NUMERIC_TYPES = ("float", "currency", "percentage")
_VALUE_TYPE = f"{_OFFICE}value-type"
_VALUE = f"{_OFFICE}value"
_DATE_VALUE = f"{_OFFICE}date-value"
_PARAGRAPH = f"{_TEXT}p"
_CELL_TAGS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
_COLUMNS_REPEATED = f"{_TABLE}number-columns-repeated"
_ROWS_REPEATED = f"{_TABLE}number-rows-repeated"


class UnreadableSpreadsheet(IlacsError):
    """A file that is not a readable OpenDocument spreadsheet."""


@dataclass(frozen=True)
class SheetCell:
    text: str
    date_value: str | None = None  # office:date-value, ISO; more reliable than the text
    number: float | None = None  # office:value of a numeric cell


BLANK = SheetCell("")
SheetRow = tuple[int, list[SheetCell]]  # 1-based row number, cells from column A


def read_ods(path: Path, must_contain: str | None = None,
             sheets: Callable[[str], bool] | None = None) -> dict[str, list[SheetRow]]:
    """Every sheet's non-blank rows, by sheet name, in workbook order.

    `must_contain`: text the workbook must hold somewhere, looked for before its cells are
    read (UnreadableSpreadsheet if it does not), so a workbook of another kind costs little.
    `sheets`: which sheets to read, by name (all when None); the others' cells are not read.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            content = archive.read("content.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise UnreadableSpreadsheet(f"not a readable OpenDocument spreadsheet ({error})",
                                    path=str(path)) from error
    if must_contain is not None and must_contain.encode() not in content:
        raise UnreadableSpreadsheet(f"no cell holds {must_contain!r}", path=str(path))
    if sheets is not None:
        content = _only_sheets(content, sheets)
    try:
        named = ((table.get(f"{_TABLE}name", ""), table)
                 for table in ET.fromstring(content).iter(f"{_TABLE}table"))
        return {name: list(sheet_rows(table)) for name, table in named
                if sheets is None or sheets(name)}
    except (ET.ParseError, ValueError) as error:  # ValueError: a non-numeric repeat count
        raise UnreadableSpreadsheet(f"content.xml is malformed ({error})",
                                    path=str(path)) from error


_ROOT_TAG = re.compile(rb"<office:document-content\b[^>]*>")
_TABLE_TAG = re.compile(rb"<(/?)table:table(?=[\s>/])([^>]*)>")
_NAME = re.compile(rb'\btable:name="([^"]*)"')


def _only_sheets(content: bytes, wanted: Callable[[str], bool]) -> bytes:
    """content.xml cut down to the wanted sheets, so the others are never parsed (a workbook
    of many large sheets costs only what is read). Unchanged when its layout is not the usual
    one (other namespace prefixes), so the parse sees everything and the filter still holds."""
    root = _ROOT_TAG.search(content)
    if root is None:
        return content
    kept: list[bytes] = [root.group(0)]
    depth, start, keep = 0, 0, False
    for tag in _TABLE_TAG.finditer(content, root.end()):
        closing, attributes = tag.group(1), tag.group(2)
        if not closing:
            if attributes.endswith(b"/"):
                continue  # an empty table holds no rows
            if depth == 0:
                name = _NAME.search(attributes)
                keep = wanted(unescape(name.group(1).decode()) if name else "")
                start = tag.start()
            depth += 1
        else:
            depth -= 1
            if depth == 0 and keep:
                kept.append(content[start:tag.end()])
    if depth != 0:
        return content  # unbalanced: let the parser say what is wrong
    return b"".join(kept) + b"</office:document-content>"


def sheet_rows(table: ET.Element) -> Iterator[SheetRow]:
    """Non-blank rows with their true row numbers; blank runs are counted, never built."""
    number = 0
    for row in table.iter(f"{_TABLE}table-row"):
        cells: list[SheetCell] = []
        pending_blanks = 0  # blank cells are only materialised once a filled cell follows
        for cell in row:
            if cell.tag not in _CELL_TAGS:
                continue
            repeat = int(cell.get(_COLUMNS_REPEATED, "1"))
            value = _cell(cell)
            if not value.text and value.date_value is None and value.number is None:
                pending_blanks += repeat
                continue
            cells.extend([BLANK] * pending_blanks + [value] * min(repeat, MAX_REPEAT))
            pending_blanks = 0
        repeat = int(row.get(_ROWS_REPEATED, "1"))
        if cells:
            for offset in range(min(repeat, MAX_REPEAT)):
                yield number + offset + 1, cells
        number += repeat


def _cell(cell: ET.Element) -> SheetCell:
    kind = cell.get(_VALUE_TYPE)
    if kind is None and not len(cell):
        return BLANK
    number = None
    if kind in _NUMERIC_TYPES:
        try:
            number = float(cell.get(_VALUE, ""))
        except ValueError:
            number = None
    if len(cell) == 1 and cell[0].tag == _PARAGRAPH and not len(cell[0]):
        text = (cell[0].text or "").strip()  # the common case, without cell_text's search
    else:
        text = cell_text(cell)
    return SheetCell(text, cell.get(_DATE_VALUE), number)


def cell_text(cell: ET.Element) -> str:
    """Text of every text:p in the cell (spans and links included), one line per paragraph."""

    def walk(node: ET.Element) -> str:
        parts = [node.text or ""]
        for child in node:
            if child.tag == f"{_TEXT}s":  # ODF collapses runs of spaces into <text:s text:c=n>
                parts.append(" " * int(child.get(f"{_TEXT}c", "1")))
            elif child.tag == f"{_TEXT}tab":
                parts.append("\t")
            elif child.tag == f"{_TEXT}line-break":
                parts.append("\n")
            else:
                parts.append(walk(child))
            parts.append(child.tail or "")
        return "".join(parts)

    # Direct children only: a text:p nested in an office:annotation is a comment, not the value.
    paragraphs = cell.findall(_PARAGRAPH)
    if len(paragraphs) == 1 and not len(paragraphs[0]):  # the common case: plain text
        return (paragraphs[0].text or "").strip()
    return "\n".join(walk(p) for p in paragraphs).strip()
