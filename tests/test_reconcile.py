"""Reconciliation with Ofsted's official outcomes table: the real record against the real
table (zero unexplained disagreements), a small record with planted differences, and the
CLI's JSON and exit status."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from analysis_records import inspection, record, urn_of
from ilacs.analysis.official import (
    HISTORY_SHEET,
    LATEST_SHEET,
    OfficialRow,
    OfficialTable,
    read_official_table,
)
from ilacs.analysis.reconcile import load_known_differences, reconcile
from ilacs.analysis.record import load_record
from ilacs.cli import cli
from ilacs.errors import AnalysisError
from ilacs.store import open_store

ODS = Path(__file__).resolve().parents[2] / "shared" / "reference" / (
    "ofsted_la_inspection_outcomes_2025-03-31.ods")


@pytest.fixture(scope="module")
def table() -> OfficialTable:
    if not ODS.is_file():
        pytest.skip(f"SKIPPED LOUDLY: no official table at {ODS}")
    return read_official_table(ODS)


def test_real_record_has_no_unexplained_disagreement(corpus_db: Path, table: OfficialTable
                                                     ) -> None:
    result = reconcile(load_record(open_store(corpus_db)), table, load_known_differences())
    assert result.compared == 153 + 112 + 271
    assert result.unexplained == 0, [d for d in result.disagreements if d.reason is None]
    history = [d for d in result.disagreements if d.sheet == HISTORY_SHEET]
    # Only the three defunct authorities' reports, which the corpus does not hold.
    assert sorted(d.la_name for d in history) == ["Bournemouth", "Cumbria", "Northamptonshire"]
    assert not [d for d in result.disagreements if d.sheet == LATEST_SHEET]
    unexplained = reconcile(load_record(open_store(corpus_db)), table, [])
    assert unexplained.unexplained == len(result.disagreements) > 0


def _official(la: str, code: str, when: str, **grades: str) -> OfficialRow:
    return OfficialRow(sheet=HISTORY_SHEET, row_number=4, ons_code=code, la_name=la,
                       status="Current", region=None, inspection_date=date.fromisoformat(when),
                       publication_date=None, event_type="ILACS Standard Inspection",
                       grades=grades, visit_theme=None)


def test_planted_differences_are_each_reported() -> None:
    iow, croydon = urn_of("Isle of Wight"), urn_of("Croydon")
    rec = record([
        inspection(1, iow, "2019-01-14", overall_effectiveness="good",
                   children_in_care_and_care_leavers="good"),
        inspection(2, croydon, "2020-01-13", overall_effectiveness="requires_improvement"),
        inspection(3, croydon, "2024-10-14", "ilacs_2023", overall_effectiveness="good"),
        inspection(4, croydon, "2025-09-01", "ilacs_2023", overall_effectiveness="good"),
    ])
    official = OfficialTable(
        path=Path("t.ods"), title="t", published=None, as_at=date(2025, 3, 31),
        published_by=date(2025, 6, 30), latest=(), in_year=(),
        history=(
            # Same as the record, the combined 2018 judgement filed under children in care.
            _official("Isle of Wight", "E06000046", "2019-01-14", overall_effectiveness="good",
                      children_in_care="good"),
            # A grade that differs, and a date two days out.
            _official("Croydon", "E09000008", "2020-01-15",
                      overall_effectiveness="inadequate"),
        ))
    result = reconcile(rec, official)
    found = {(d.la_name, d.field, d.official, d.record) for d in result.disagreements}
    assert found == {
        ("Croydon", "inspection_date", "2020-01-15", "2020-01-13"),
        ("Croydon", "overall_effectiveness", "inadequate", "requires_improvement"),
        # In the record, in scope, not in the table. The 2025-09 one is after the cut-off.
        ("Croydon", "inspection", None, "inspection"),
    }
    known = [{"sheet": HISTORY_SHEET, "ons_code": "E09000008", "date": "2020-01-15",
              "field": "overall_effectiveness", "reason": "planted"}]
    assert reconcile(rec, official, known).unexplained == 2


def test_known_differences_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "known.yaml"
    bad.write_text("- sheet: x\n  field: y\n", "utf-8")
    with pytest.raises(AnalysisError, match=r"known.yaml.*entry 1 lacks ons_code, reason"):
        load_known_differences(bad)
    bad.write_text("- a: b: c\n", "utf-8")
    with pytest.raises(AnalysisError, match="not valid YAML"):
        load_known_differences(bad)


def test_reconcile_cli_json_and_exit_status(corpus_db: Path, tmp_path: Path,
                                            table: OfficialTable) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(corpus_db, db)
    runner = CliRunner()
    ok = runner.invoke(cli, ["reconcile", str(ODS), "--json", "--db", str(db)], obj={})
    assert ok.exit_code == 0, ok.output
    payload = json.loads(ok.output)
    assert set(payload) == {"compared", "disagreements", "unexplained"}
    assert payload["unexplained"] == 0 and payload["compared"] == 536
    empty = tmp_path / "none.yaml"
    empty.write_text("[]\n", "utf-8")
    strict = runner.invoke(cli, ["reconcile", str(ODS), "--known", str(empty), "--db", str(db)],
                           obj={})
    assert strict.exit_code == 1 and "unexplained" in strict.output
