"""Loading official statistics into a real SQLite record: every figure as published, loads
that replace, change-log entries that say what moved, failures that keep what was stored,
and the bundled figures equal to the files."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import DFE
from ilacs.analysis.changes import tell
from ilacs.errors import Severity
from ilacs.ingest.statistics import (
    find_statistics_files,
    load_bundled_statistics,
    load_statistics,
)
from ilacs.record import ensure_authorities
from ilacs.reference import load_register
from ilacs.store import open_store
from ilacs.store.changes import ChangeKind, list_changes
from ilacs.store.statistics import indicator_values, list_sources
from test_statistics_reader import FILTERS, STANDARD

SYMBOLS = {"c", "x", "z", "k", "u", "low"}


@pytest.fixture(scope="module")
def loaded(statistics_db: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[sqlite3.Connection]:
    """A copy of the statistics record: tests below load into it."""
    conn = open_store(tmp_path_factory.mktemp("loaded") / "ilacs.db")
    with sqlite3.connect(statistics_db) as source:
        source.backup(conn)
    yield conn
    conn.close()


def stored_figures(conn: sqlite3.Connection, location: str) -> dict[tuple[str, ...], object]:
    """Every stored local authority figure of one file, keyed as the test reads the file."""
    return {
        (row[0], row[1], row[2], row[3], row[4]): row[5] if row[5] is not None else row[6]
        for row in conn.execute(
            """
            SELECT a.la_code, a.code, v.period, s.filters, s.indicator, v.value, v.missing
            FROM statistics_values v JOIN statistics_series s ON s.id = v.series_id
            JOIN statistics_areas a ON a.id = v.area_id
            JOIN statistics_sources src ON src.dataset = s.dataset
            WHERE src.location = ? AND a.level = 'local_authority'
            """, (location,))}


def expected_figures(path: Path) -> dict[tuple[str, ...], object]:
    """The same figures read independently: csv and the filter columns known by hand."""
    filters = FILTERS[path.name]
    found: dict[tuple[str, ...], object] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [c for c in reader.fieldnames or [] if c not in STANDARD and c not in filters]
        for row in reader:
            if row["geographic_level"] != "Local authority":
                continue
            key = json.dumps({f: row[f] for f in sorted(filters)}, ensure_ascii=False,
                             separators=(",", ":"))
            for column in columns:
                text = row[column]
                found[(row["old_la_code"], row["new_la_code"], row["time_period"], key,
                       column)] = text if text in SYMBOLS else float(text)
    return found


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_every_local_authority_figure_reads_back_as_published(
        loaded: sqlite3.Connection, name: str) -> None:
    expected = expected_figures(DFE / name)
    stored = stored_figures(loaded, str(DFE / name))
    assert len(stored) == len(expected) > 0
    assert stored == expected


def test_no_suppressed_figure_became_a_number(loaded: sqlite3.Connection) -> None:
    assert loaded.execute("SELECT count(*) FROM statistics_values WHERE value IS NOT NULL "
                          "AND missing IS NOT NULL").fetchone()[0] == 0
    counts = dict(loaded.execute("SELECT missing, count(*) FROM statistics_values WHERE "
                                 "missing IS NOT NULL GROUP BY missing").fetchall())
    assert set(counts) == {"c", "x", "z", "k", "low", "u"}
    # headline values: a suppressed count stays suppressed when turned into a rate
    missing = loaded.execute("SELECT missing, missing_note FROM indicator_values WHERE "
                             "indicator = 'cin_rate' AND missing = 'c'").fetchall()
    assert missing and all("confidential" in note for _, note in missing)


def test_every_place_joins_the_register(loaded: sqlite3.Connection) -> None:
    relations = dict(loaded.execute("SELECT relation, count(*) FROM statistics_areas "
                                    "GROUP BY relation").fetchall())
    assert relations["shared"] == 2  # the Northamptonshire trust; Kingston and Richmond
    assert relations["predecessor"] == 2  # Bournemouth, Dorset County Council
    # Barnsley, Sheffield, North Yorkshire, Somerset and Buckinghamshire under their old
    # codes; the 2024-25 outturn names Barnsley and Sheffield by old code and no LA number.
    assert relations["former_code"] == 7
    register = load_register()
    urns = {row[0] for row in loaded.execute(
        "SELECT DISTINCT urn FROM statistics_areas WHERE urn IS NOT NULL")}
    active = {a.urn for a in register.all()}
    assert active <= urns  # every current authority has figures
    assert not loaded.execute("SELECT * FROM problems WHERE kind = 'unknown_area'").fetchall()


def test_loading_the_same_files_again_changes_nothing(loaded: sqlite3.Connection) -> None:
    before = loaded.execute("SELECT count(*), total(value) FROM statistics_values").fetchone()
    logged = len(list_changes(loaded))
    files, _ = find_statistics_files([DFE])
    again = load_statistics(loaded, files, workers=2)
    assert {d.outcome for d in again.datasets} == {"unchanged"}
    assert len(again.datasets) == len(files) - 1
    assert all(d.figures and d.rows for d in again.datasets)  # as stored, though not read
    # the stored files are only hashed; the one never stored is read again, and refused
    (refused,) = again.problems
    assert refused.path.endswith("Lookup_England-Wales.csv") and "no time_period" in \
        refused.message
    assert loaded.execute("SELECT count(*), total(value) FROM statistics_values"
                          ).fetchone() == before
    assert len(list_changes(loaded)) == logged


def copy_db(conn: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    copy = open_store(path)
    conn.backup(copy)
    return copy


def revised(tmp_path: Path) -> Path:
    """Next year's release, as it might look: Kent's figures revised, a row withdrawn."""
    source = DFE / "b1_children_in_need_2013_to_2025.csv"
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    out = []
    for line in lines:
        cells = line.split(",")
        if cells[0] == "2025" and cells[7] == "886":  # Kent, 2025
            cells[17] = str(int(cells[17]) + 100)  # At31_episodes
        if cells[0] == "2025" and cells[7] == "921":  # Isle of Wight withdrawn
            continue
        out.append(",".join(cells))
    path = tmp_path / "b1_children_in_need_2013_to_2025.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_a_new_release_replaces_its_series_and_the_log_says_what_moved(
        loaded: sqlite3.Connection, tmp_path: Path) -> None:
    conn = copy_db(loaded, tmp_path / "copy.db")
    kent_before = conn.execute("SELECT value FROM indicator_values WHERE indicator = "
                               "'cin_rate' AND urn = 80476 AND year = 2025").fetchone()[0]
    result = load_statistics(conn, [revised(tmp_path)])
    (done,) = result.datasets
    assert (done.dataset, done.outcome, done.changed, done.removed, done.added) == (
        "children_in_need", "replaced", 1, 8, 0)
    kent_after = conn.execute("SELECT value FROM indicator_values WHERE indicator = "
                              "'cin_rate' AND urn = 80476 AND year = 2025").fetchone()[0]
    population = conn.execute("SELECT value FROM indicator_values WHERE indicator = "
                              "'child_population' AND urn = 80476 AND year = 2024"
                              ).fetchone()[0]
    assert kent_after - kent_before == pytest.approx(100 * 10000 / population)
    assert not conn.execute("SELECT 1 FROM indicator_values WHERE indicator = 'cin_rate' "
                            "AND urn = 80419 AND year = 2025").fetchall()
    (change,) = list_changes(conn, kinds=[ChangeKind.STATISTICS_CHANGED])
    facts = change.facts
    assert (facts["changed"], facts["removed"]) == (1, 8)
    assert facts["moves"] == [{"indicator": "At31_episodes",
                               "filters": '{"category":"Children in Need"}',
                               "area": "886", "period": "2025", "before": 11247.0,
                               "after": 11347.0}]
    moved = {(m["indicator"], m["urn"]) for m in facts["indicator_moves"]}
    assert ("cin_rate", 80476) in moved
    story = tell(change)
    assert story.title == ("Official statistics revised: Children in need during the year "
                           "and at 31 March (table B1)")
    assert story.lines[0] == "1 figures revised, 0 added, 8 withdrawn"
    assert any(line.startswith("Kent, children in need 2025: ") for line in story.lines)
    conn.close()


def test_a_load_that_fails_part_way_keeps_what_was_stored(
        loaded: sqlite3.Connection, tmp_path: Path) -> None:
    conn = copy_db(loaded, tmp_path / "copy.db")
    before = conn.execute("SELECT count(*), total(value) FROM statistics_values").fetchone()
    rates = conn.execute("SELECT count(*), total(value) FROM indicator_values").fetchone()
    # A real failure inside the store, half way through writing the new release's figures.
    conn.execute("CREATE TRIGGER refuse AFTER INSERT ON statistics_values "
                 "WHEN new.row = 500 BEGIN SELECT RAISE(ABORT, 'disk trouble'); END")
    result = load_statistics(conn, [revised(tmp_path)])
    assert result.datasets == []
    (problem,) = result.problems
    assert problem.severity is Severity.ERROR and "disk trouble" in problem.message
    assert "what was stored before is kept" in problem.message
    assert conn.execute("SELECT count(*), total(value) FROM statistics_values"
                        ).fetchone() == before
    assert conn.execute("SELECT count(*), total(value) FROM indicator_values"
                        ).fetchone() == rates
    assert {s.sha256 for s in list_sources(conn) if s.dataset == "children_in_need"} == {
        s.sha256 for s in list_sources(loaded) if s.dataset == "children_in_need"}
    conn.close()


def test_a_row_whose_code_joins_nothing_is_skipped_and_named(tmp_path: Path) -> None:
    path = tmp_path / "b1_children_in_need_2026.csv"
    header = (DFE / "b1_children_in_need_2013_to_2025.csv").read_text(
        encoding="utf-8-sig").splitlines()[0]
    path.write_text(header + "\n" + "\n".join([
        "2026,Reporting year,Local authority,E92000001,England,E12000008,South East,921,"
        "E06000046,Isle of Wight,Children in Need,1,1,1,1,1,1,900,1",
        "2026,Reporting year,Local authority,E92000001,England,E12000008,South East,999,"
        "E06999999,Atlantis,Children in Need,1,1,1,1,1,1,5,1"]) + "\n", encoding="utf-8")
    conn = open_store(tmp_path / "ilacs.db")
    result = load_statistics(conn, [path])
    (problem,) = result.problems
    assert problem.describe() == (
        f"{path}, row 3, column new_la_code: LA code 999 and ONS code E06999999 (Atlantis) "
        "is no local authority of the register or its lineage; the row is not loaded")
    assert [row[0] for row in conn.execute("SELECT a.name FROM statistics_values v JOIN "
                                           "statistics_areas a ON a.id = v.area_id "
                                           "GROUP BY a.name")] == ["Isle of Wight"]
    stored = conn.execute("SELECT message, row FROM problems").fetchall()
    assert [tuple(row) for row in stored] == [(problem.message, 3)]
    conn.close()


def test_the_bundled_figures_are_the_files_figures(loaded: sqlite3.Connection,
                                                   tmp_path: Path) -> None:
    conn = open_store(tmp_path / "bundled.db")
    ensure_authorities(conn)
    load_bundled_statistics(conn)
    assert {(s.dataset, s.sha256, s.rows) for s in list_sources(conn)} == {
        (s.dataset, s.sha256, s.rows) for s in list_sources(loaded)}
    assert {s.origin for s in list_sources(conn)} == {"bundled"}
    assert [(v.indicator, v.subject, v.year, v.value, v.missing)
            for v in indicator_values(conn)] == [
        (v.indicator, v.subject, v.year, v.value, v.missing) for v in indicator_values(loaded)]
    assert not list_changes(conn)  # the bundled figures are where the record begins
    # loading the same files afterwards finds them unchanged (same bytes, same reader)
    files, _ = find_statistics_files([DFE])
    again = load_statistics(conn, files)
    assert {d.outcome for d in again.datasets} == {"unchanged"}
    conn.close()
