"""`ilacs.open`: the record from Python, read-only by default, its tables as DataFrames and
Arrow tables with real types, its analyses the same as the CLI's --json (full record)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import ilacs
from ilacs.cli import cli
from ilacs.errors import IlacsError


def _cli_json(db: Path, *args: str) -> object:
    result = CliRunner().invoke(cli, ["--db", str(db), "analyse", *args, "--json"], obj={})
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_tables_convert_with_their_types(corpus_db: Path) -> None:
    with ilacs.open(corpus_db) as record:
        inspections = record.inspections.to_pandas()
        with sqlite3.connect(corpus_db) as conn:
            count = conn.execute("SELECT count(*) FROM inspections").fetchone()[0]
        assert len(inspections) == len(record.inspections) == count
        assert str(inspections["urn"].dtype) == "Int64"
        assert inspections["publication_date"].dropna().map(type).eq(
            __import__("datetime").date).all()
        latest = record.latest.to_arrow()
        assert latest.num_rows == 153 and str(latest.schema.field("urn").type) == "int64"
        assert set(record.points.columns) >= {"urn", "event", "section", "text", "themes",
                                              "page"}
        points = record.points.to_pandas()
        with sqlite3.connect(corpus_db) as conn:
            stored = conn.execute("SELECT count(*) FROM points").fetchone()[0]
        assert len(points) == stored  # reports' and letters' points alike
        assert {"inspection", "focused_visit", "jtai"} <= set(points["event"])
        assert len(record.statistics) > 0 and len(record.interventions) > 0


def test_analyses_are_the_clis(corpus_db: Path) -> None:
    with ilacs.open(corpus_db) as record:
        assert record.due() == _cli_json(corpus_db, "due")
        assert record.backtest() == _cli_json(corpus_db, "backtest")
        assert record.grades(by="era") == _cli_json(corpus_db, "grades", "--by", "era")
        assert record.transitions() == _cli_json(corpus_db, "transitions")
        assert record.benchmark("Isle of Wight") == _cli_json(corpus_db, "benchmark",
                                                              "Isle of Wight")


def test_read_only_by_default(corpus_db: Path) -> None:
    record = ilacs.open(corpus_db)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        record.conn.execute("DELETE FROM documents")
    record.close()


def test_a_file_that_is_no_record_says_so(tmp_path: Path) -> None:
    with pytest.raises(IlacsError, match="no such database"):
        ilacs.open(tmp_path / "missing.db")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(IlacsError, match="not an ilacs record"):
        ilacs.open(other)
