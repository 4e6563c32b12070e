"""The `ilacs` command in-process: output and the database afterwards."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from conftest import LABELS, REPORTS
from ilacs.cli import cli
from ilacs.store import open_store
from test_store_factories import make_document, make_report, save_report


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), obj={}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_build_show_and_export_from_the_bundled_record(tmp_path: Path) -> None:  # no corpus needed
    db = str(tmp_path / "ilacs.db")
    assert "documents loaded" in run("build", "--db", db)
    shown = run("show", "Isle of Wight", "--db", db)
    assert "URN 80419" in shown and "2023-10-30" in shown and "Amanda" in shown
    output = tmp_path / "latest.csv"
    run("export", "--format", "csv", "--latest", "-o", str(output), "--db", db)
    with output.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 153
    wight = next(row for row in rows if row["urn"] == "80419")
    assert wight["overall_effectiveness"] == "good"
    assert wight["help_and_protection"] == "requires_improvement"


def test_db_from_environment(tmp_path: Path) -> None:
    db, empty = tmp_path / "from-env.db", tmp_path / "nothing"
    empty.mkdir()
    # any command opens the record the same way; ingest of an empty folder is the quickest
    result = CliRunner(env={"ILACS_DB": str(db)}).invoke(cli, ["ingest", str(empty)], obj={})
    assert result.exit_code == 0, result.output
    assert "0 files" in result.output and db.is_file()
    assert open_store(db).execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_ingest_strict_fails_on_problems_and_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7 truncated")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path), "--strict", "--db",
                                      str(tmp_path / "x.db")], obj={})
    assert result.exit_code == 1
    assert "broken.pdf" in result.output and "damaged or truncated" in result.output
    conn = open_store(tmp_path / "x.db")
    assert conn.execute("SELECT count(*) FROM problems").fetchone()[0] == 1


def test_eval_json_on_a_few_labels(tmp_path: Path, shared_dir: Path) -> None:
    lines = LABELS.read_text(encoding="utf-8").splitlines()
    chosen = [line for line in lines if "2532283_dorset" in line or "80426_barnsley" in line][:3]
    labels = tmp_path / "labels.jsonl"
    labels.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    output = run("eval", str(labels), "--reports", str(REPORTS), "--json")
    result = json.loads(output)
    assert result["documents"] == len(chosen) == 3
    for field in ("urn", "framework", "inspection_type", "inspection_start", "inspection_end",
                  "publication_date", "lead_inspector", "judgements", "improvement_items",
                  "judgement_pages", "improvement_item_pages"):
        assert result["fields"][field] == {"correct": 3, "total": 3}, field
    assert result["disagreements"] == []


def test_unknown_authority_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["show", "Atlantis", "--db", str(tmp_path / "a.db")],
                                obj={})
    assert result.exit_code != 0
    assert "Atlantis" in str(result.exception) or "Atlantis" in result.output


def test_eval_reads_letter_labels(tmp_path: Path, shared_dir: Path) -> None:
    letters = shared_dir / "corpus" / "letters"
    lines = (letters / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    chosen = [line for line in lines if "2532283_dorset" in line]
    labels = tmp_path / "letters.jsonl"
    labels.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    result = json.loads(run("eval", str(labels), "--reports", str(letters), "--json"))
    assert result["documents"] == len(chosen) >= 2
    for field in ("urn", "kind", "publication_date", "letter_date", "visit_start", "visit_end",
                  "lead_inspector", "improvement_item_pages", "priority_action_pages"):
        assert result["fields"][field] == {"correct": len(chosen), "total": len(chosen)}, field


def test_search_prints_a_line_a_hit_with_pdfium_marks_shown(tmp_path: Path) -> None:
    db = tmp_path / "record.db"
    save_report(open_store(db), make_report(), make_document(
        "Seen:\n\uf0a7 neglect\n\uf06e multi\ufffeagency plans", path="r.pdf"))
    output = run("search", "plans", "--db", str(db))
    assert output == "r.pdf, page 1: Seen: • neglect • multi-agency plans\n"
