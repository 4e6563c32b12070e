"""`ilacs update --statistics` against a local stand-in for DfE's EES API (tests/fake_ees.py):
finding the catalogue's publications and data sets, downloading each version once, loading it,
and going on past faults."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DFE
from fake_ees import FakeDataSet, FakeEes, FakeEesServer, FakePublication, serve_ees
from ilacs.cli import cli
from ilacs.sources.ees import update_statistics
from ilacs.sources.http import HttpSettings, PoliteClient
from ilacs.store import open_store
from ilacs.store.changes import ChangeKind, list_changes
from ilacs.store.statistics import list_sources

B1 = "b1_children_in_need_2013_to_2025.csv"
C1 = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
CLA = "cla_number_and_rate_per_10k_children.csv"


@pytest.fixture(scope="module")
def ees() -> Iterator[FakeEesServer]:
    if not DFE.is_dir():
        pytest.skip(f"SKIPPED LOUDLY: no DfE statistics at {DFE}")
    with serve_ees() as server:
        yield server


def columns(name: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Filters and indicators of a shared file, as the API's /meta would declare them."""
    header = next(csv.reader(io.StringIO((DFE / name).read_text(encoding="utf-8-sig"))))
    standard = {"time_period", "time_identifier", "geographic_level", "country_code",
                "country_name", "region_code", "region_name", "old_la_code", "new_la_code",
                "la_name"}
    filters = {"category", "population_type"}
    return ([c for c in header if c in filters],
            [(c, "%" if "percent" in c else "") for c in header
             if c not in standard and c not in filters])


def data_set(id: str, title: str, name: str, version: str = "1.0",
             body: bytes | None = None) -> FakeDataSet:
    filters, indicators = columns(name)
    return FakeDataSet(id, title, version, body if body is not None else
                       (DFE / name).read_bytes(), filters, indicators)


def site(b1_version: str = "1.0", b1_body: bytes | None = None,
         extra: list[FakeDataSet] | None = None) -> FakeEes:
    return FakeEes([
        FakePublication("89869bba", "Children in need", "children-in-need", [
            data_set("019a0001-b1", "Children in need: episodes and children at 31 March (B1)",
                     B1, b1_version, b1_body),
            data_set("019a0002-c1", "Referrals and re-referrals (C1)", C1),
            FakeDataSet("019a0003-xx", "Outcomes for children in need, key stage 4", "1.0",
                        b"not read"),
            *(extra or []),
        ]),
        FakePublication("3260801d", "Children looked after in England including adoptions",
                        "children-looked-after-in-england-including-adoptions", [
                            data_set("019a0004-cl", "Children looked after: number and rate "
                                     "per 10,000 children", CLA)]),
        FakePublication("5c2c0bf4", "Pupil absence in schools in England",
                        "pupil-absence-in-schools-in-england", []),
    ])


def client() -> PoliteClient:
    return PoliteClient(HttpSettings(min_interval=0, backoff=0), sleep=lambda _s: None)


def bundled_copy(bundled_db: Path, tmp_path: Path) -> sqlite3.Connection:
    conn = open_store(tmp_path / "ilacs.db")
    with sqlite3.connect(bundled_db) as source:
        source.backup(conn)
    return conn


def revised_b1() -> bytes:
    lines = (DFE / B1).read_text(encoding="utf-8-sig").splitlines()
    out = []
    for line in lines:
        cells = line.split(",")
        if cells[0] == "2025" and cells[7] == "886":  # Kent's 2025 figures revised
            cells[17] = str(int(cells[17]) + 100)
        out.append(",".join(cells))
    return ("\n".join(out) + "\n").encode("utf-8")


def test_the_catalogues_data_sets_are_found_downloaded_and_loaded(
        ees: FakeEesServer, bundled_db: Path, tmp_path: Path) -> None:
    fake = ees.install(site())
    conn = bundled_copy(bundled_db, tmp_path)
    with client() as http:
        summary = update_statistics(conn, http, tmp_path / "downloads", ees.base_url)
    assert (summary.publications, summary.data_sets, len(summary.downloaded)) == (2, 3, 3)
    # the workforce publication has no data sets on the API: said, not a failure
    assert summary.problems == [] and not summary.failed
    assert len(summary.notes) == 1 and "Children's social work workforce" in summary.notes[0]
    # the bytes are those the bundle was built from: nothing changes
    assert summary.load is not None
    assert {d.dataset: d.outcome for d in summary.load.datasets} == {
        "children_in_need": "unchanged", "referrals": "unchanged",
        "children_looked_after": "unchanged"}
    assert not any("/v1/data-sets/019a0003" in r for r in fake.requests)  # not recognised
    meta = (tmp_path / "downloads" / "statistics").glob("children_in_need-*.meta.csv")
    rows = list(csv.DictReader(next(meta).open(encoding="utf-8")))
    assert {r["col_name"]: r["col_type"] for r in rows}["category"] == "Filter"
    assert {r["col_name"]: r["col_type"] for r in rows}["At31_episodes"] == "Indicator"

    # A second run finds the same versions: nothing is downloaded again.
    before = len(fake.requests)
    with client() as http:
        again = update_statistics(conn, http, tmp_path / "downloads", ees.base_url)
    assert again.already == 3 and again.downloaded == []
    assert not any("/csv" in r for r in fake.requests[before:])

    # A new version of one data set: downloaded, loaded in place of the old, logged.
    ees.install(site("1.1", revised_b1()))
    with client() as http:
        third = update_statistics(conn, http, tmp_path / "downloads", ees.base_url)
    assert [p.name for p in third.downloaded] == ["children_in_need-019a0001-v1.1.csv"]
    assert third.load is not None
    loaded = {d.dataset: d for d in third.load.datasets}
    assert loaded["children_in_need"].outcome == "replaced"
    assert loaded["children_in_need"].changed == 1
    source = next(s for s in list_sources(conn) if s.dataset == "children_in_need")
    assert source.origin == "fetched" and "dataSetVersion=1.1" in source.location
    (change,) = list_changes(conn, kinds=[ChangeKind.STATISTICS_CHANGED])
    assert change.facts["moves"][0]["area"] == "886"
    conn.close()


def test_faults_are_retried_and_a_bad_file_is_a_problem_the_rest_goes_on(
        ees: FakeEesServer, tmp_path: Path) -> None:
    broken = FakeDataSet("019a0009-d3", "Child protection plans: second or subsequent plan",
                         "1.0", b"<!DOCTYPE html><html>Service unavailable</html>")
    fake = ees.install(site(extra=[broken]))
    fake.faults["/v1/publications"] = [429]
    fake.faults["/v1/data-sets/019a0002-c1/csv"] = [500, 503]
    conn = open_store(tmp_path / "ilacs.db")
    with client() as http:
        summary = update_statistics(conn, http, tmp_path / "downloads", ees.base_url)
    assert summary.load is not None
    assert {d.dataset: d.outcome for d in summary.load.datasets} == {
        "children_in_need": "new", "referrals": "new", "children_looked_after": "new"}
    (bad,) = [p for p in summary.load.problems if p.severity.value == "error"]
    assert "019a0009-d3/csv" in bad.path and "web page" in bad.message
    assert summary.failed
    retried = [r for r in fake.requests if r.startswith("/statistics/v1/data-sets/019a0002-c1/csv")]
    assert len(retried) == 3
    conn.close()


def test_update_statistics_from_the_command_line(ees: FakeEesServer, tmp_path: Path) -> None:
    ees.install(site())
    db = str(tmp_path / "ilacs.db")
    result = CliRunner().invoke(cli, ["--db", db, "update", "--statistics", "--ees-url",
                                      ees.base_url, "--rate", "0"], obj={})
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "2 publications and 3 data sets found on the EES API; 3 downloaded" in said
    assert "new children_in_need" in said
    assert "Children's social work workforce" in said  # has no data sets on the API yet
