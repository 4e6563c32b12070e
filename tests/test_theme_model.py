"""The learned theme classifier: its labels, its measurement by grouped cross-validation,
the shipped artefact (reproducible, checked on load), and themes stored once at extraction."""

from __future__ import annotations

import json
import lzma
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from ilacs.analysis import themes
from ilacs.analysis.record import load_record
from ilacs.analysis.theme_evaluation import labelled_points
from ilacs.cli import cli
from ilacs.errors import IlacsError
from ilacs.extract.theme_labels import LabelError, consensus, read_theme_labels
from ilacs.extract.theme_model import (
    ARTEFACT,
    CHAR_NGRAMS,
    WORD_NGRAMS,
    WORD_TOKENS,
    ModelSettings,
    ThemeModel,
    ThemeModelError,
    model_from_json,
    packaged_model,
    themes_of,
    write_model,
)
from ilacs.extract.theme_vectors import FittedTfidf
from ilacs.extract.themes import taxonomy
from ilacs.store import open_store
from script_modules import load_script

DATA = Path(__file__).parent / "data"
LABELS = DATA / "theme_labels.jsonl"
SECOND_READING = DATA / "theme_labels_second.jsonl"
SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def test_labels_are_many_valid_and_span_every_kind_of_document() -> None:
    rows = read_theme_labels(LABELS)
    assert len(rows) >= 5000  # 320 first labels, 1,123 drawn at random, then every other point
    assert len({(r["path"], r["item"]) for r in rows}) == len(rows)
    rounds = Counter(r["set"] for r in rows)
    assert rounds["random-2026-12"] >= 1000 and rounds["rest-2026-12"] >= 3500
    used = Counter(key for r in rows for key in r["themes"])
    assert {t.key for t in taxonomy()} <= set(used)  # every theme has labelled points
    assert used["other"] >= 1


def test_a_malformed_label_is_named_by_line(tmp_path: Path) -> None:
    bad = tmp_path / "labels.jsonl"
    bad.write_text('{"path": "reports/x.pdf", "item": 1, "sha": "0", "themes": ["plans"]}\n'
                   '{"path": "reports/x.pdf", "item": 2, "sha": "0", "themes": ["plans", '
                   '"other"]}\n', "utf-8")
    with pytest.raises(LabelError, match="line 2.*'other' alone"):
        read_theme_labels(bad)
    bad.write_text('{"path": "reports/x.pdf", "item": 1, "sha": "0", "themes": ["plans"], '
                   '"readings": [["plans"], ["assessment"], ["assessment", "plans"]]}\n', "utf-8")
    with pytest.raises(LabelError, match=r"line 1: themes \['plans'\] are not the consensus "
                                         r"of its readings, \['assessment', 'plans'\]"):
        read_theme_labels(bad)


def _agreement(pairs: list[tuple[set[str], set[str]]]) -> tuple[float, int]:
    """Micro-F1 of one reading against another, and how many sets are identical."""
    tp = fp = fn = exact = 0
    for a, b in pairs:
        tp, fp, fn = tp + len(a & b), fp + len(b - a), fn + len(a - b)
        exact += a == b
    return 2 * tp / (2 * tp + fp + fn), exact


def test_every_label_is_the_consensus_of_blind_readings() -> None:
    """Every point was read twice by people who saw neither the other's themes nor any
    classifier, and a third time where the two disagreed; the label is what most readings
    give (read_theme_labels refuses a label that is not)."""
    rows = read_theme_labels(LABELS)
    assert all(len(r["readings"]) >= 2 for r in rows)
    micro, exact = _agreement([(set(r["readings"][0]), set(r["readings"][1])) for r in rows])
    print(f"\nfirst and second readings: micro-F1 {micro:.3f}, exact {exact}/{len(rows)}")
    assert micro >= 0.9 and exact >= 0.85 * len(rows)
    disagreed = [r for r in rows if set(r["readings"][0]) != set(r["readings"][1])]
    assert disagreed and all(len(r["readings"]) >= 3 for r in disagreed)
    changed = sum(set(r["themes"]) != set(r["readings"][0]) for r in rows)
    assert 0 < changed < len(disagreed)  # the third reading sided with the first at times


def test_consensus_is_what_most_readings_give() -> None:
    assert consensus([["plans"], ["plans"]]) == ["plans"]
    assert consensus([["plans", "recording"], ["plans"], ["recording", "plans"]]) == [
        "plans", "recording"]
    assert consensus([["other"], ["other"], ["plans"]]) == ["other"]
    # no theme given by most: the settling reading's
    assert consensus([["plans"], ["assessment"], ["health"]]) == ["health"]


def test_a_reading_is_added_and_the_consensus_kept(tmp_path: Path) -> None:
    labels, reading = tmp_path / "labels.jsonl", tmp_path / "reading.jsonl"
    labels.write_text(
        '{"path": "reports/x.pdf", "item": 1, "sha": "a", "set": "dev", "themes": ["plans"]}\n'
        '{"path": "reports/x.pdf", "item": 2, "sha": "b", "set": "dev", "themes": ["lado"]}\n',
        "utf-8")
    script = [sys.executable, str(SCRIPTS / "add_theme_reading.py"), str(reading),
              "--labels", str(labels)]
    reading.write_text('{"path": "reports/x.pdf", "item": 1, "sha": "a", "themes": ["plans"]}\n'
                       '{"path": "reports/x.pdf", "item": 2, "sha": "b", "themes": ["other"]}\n',
                       "utf-8")
    done = subprocess.run(script, capture_output=True, text=True, check=True)
    assert "2 readings added; 1 points whose two readings disagree" in done.stdout
    reading.write_text('{"path": "reports/x.pdf", "item": 2, "sha": "b", "themes": ["lado", '
                       '"recording"]}\n', "utf-8")
    done = subprocess.run(script, capture_output=True, text=True, check=True)
    assert "1 readings added; 0 points" in done.stdout
    rows = read_theme_labels(labels)
    assert [(r["themes"], r["readings"]) for r in rows] == [
        (["plans"], [["plans"], ["plans"]]),
        (["lado"], [["lado"], ["other"], ["lado", "recording"]])]
    reading.write_text('{"path": "reports/x.pdf", "item": 2, "sha": "c", "themes": ["lado"]}\n',
                       "utf-8")
    refused = subprocess.run(script, capture_output=True, text=True)
    assert refused.returncode != 0 and "line 1: reports/x.pdf item 2 is not a labelled point" \
        in refused.stderr


@pytest.mark.parametrize("round_", ["second-reading", "second-reading-rest"])
def test_a_second_independent_reading_agrees_with_the_labels(round_: str) -> None:
    """150 points of each random round were labelled again by someone who saw neither the
    first labels nor any classifier, before every point was read twice more: the labels,
    now the readings' consensus, agree with a reader outside them.
    (Two of the first round's were later found not to be points at all, an extraction fault
    since mended, and left with their document's points.)"""
    first = {(r["path"], r["item"]): set(r["themes"]) for r in read_theme_labels(LABELS)}
    second = [r for r in read_theme_labels(SECOND_READING) if r["set"] == round_]
    assert len(second) >= 148
    micro, exact = _agreement([(first[(r["path"], r["item"])], set(r["themes"]))
                               for r in second])
    print(f"\n{round_}: micro-F1 {micro:.3f}, exact {exact}/{len(second)}")
    assert micro >= 0.9 and exact >= 0.8 * len(second)


def test_labels_match_the_record_s_points(corpus_db: Path) -> None:
    points = labelled_points(open_store(corpus_db), read_theme_labels(LABELS))
    kinds = Counter(p.kind for p in points)
    assert {"sif", "ilacs_2018", "ilacs_2023", "focused_visit", "jtai"} <= set(kinds)
    assert len({p.urn for p in points}) >= 140  # groups for the cross-validation


@pytest.mark.slow
def test_eval_themes_measures_by_grouped_cross_validation(corpus_db: Path,
                                                         tmp_path: Path) -> None:
    # The first rounds only (1,436 points), on three folds: all 5,342 on five take four
    # minutes; the closing figures of docs/analysis.md are measured so by the same command.
    first_rounds = tmp_path / "labels.jsonl"
    first_rounds.write_text("".join(
        line + "\n" for line in LABELS.read_text("utf-8").splitlines()
        if json.loads(line)["set"] != "rest-2026-12"), "utf-8")
    result = CliRunner().invoke(cli, ["--db", str(corpus_db), "eval", "themes", str(first_rounds),
                                      "--method", "rules", "--method", "combined", "--folds", "3",
                                      "--json"],
                                obj={}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["grouped_by"] == "local authority" and found["points"] >= 1400
    assert found["folds"] == 3
    assert found["shipped_model"] == packaged_model().version
    by_method = {m["method"]: m for m in found["methods"]}
    rules, combined = by_method["rules"], by_method["combined"]
    for method in (rules, combined):
        assert set(method["per_theme"]) == {t.key for t in taxonomy()}
        assert method["other"]["support"] >= 1
        assert sum(k["points"] for k in method["exact_by_kind"].values()) == found["points"]
        assert method["confusions"] and method["confusions"][0]["points"] >= 1
        for row in method["per_theme"].values():
            assert 0 <= row["precision"] <= 1 and 0 <= row["recall"] <= 1
    print(f"\nrules macro {rules['macro_f1']} micro {rules['micro_f1']}; "
          f"combined macro {combined['macro_f1']} micro {combined['micro_f1']}")
    # the shipped method is the one that measured best
    assert combined["macro_f1"] > rules["macro_f1"]
    assert combined["micro_f1"] > rules["micro_f1"]


@pytest.mark.slow
def test_retraining_gives_the_shipped_model(corpus_db: Path) -> None:
    train = load_script(SCRIPTS / "train_themes.py")
    points = labelled_points(open_store(corpus_db), read_theme_labels(LABELS))
    from ilacs.extract.theme_training import fit

    model = fit(points, ModelSettings(), train.model_version(LABELS))
    shipped = json.loads(lzma.decompress(train.SHIPPED.read_bytes()))
    assert json.loads(json.dumps(model.to_json())) == shipped, (
        "the shipped theme model is not what its labels give: run scripts/train_themes.py")


def test_a_malformed_artefact_is_refused_with_its_name() -> None:
    with pytest.raises(ThemeModelError, match="theme_model.json.xz: malformed"):
        model_from_json({"version": "x", "keys": ["plans"]})


def test_the_artefact_keeps_each_coefficient_to_five_decimals_as_the_very_double(
        tmp_path: Path) -> None:
    words, grams = ["care", "plans"], [" ca", "car", "are"]
    model = ThemeModel(
        version="test", keys=("plans", "health"), settings=ModelSettings(),
        word=FittedTfidf("word", WORD_NGRAMS, words, np.array([1.5, 2.25]), WORD_TOKENS),
        char=FittedTfidf("char_wb", CHAR_NGRAMS, grams, np.array([1.0, 1.25, 3.0])),
        coef=np.array([[0.123456789, -2.000004, 0.00009, 1 / 3, 0.0, 9.0, 1.0, 2.0, 3.0],
                       [0.000125, -7.5, 123.456785, -0.00001, 1e-4, 0.5, -1.0, 2.5, 0.25]]),
        intercept=np.array([-1.0, 0.5]), thresholds=np.array([0.4, 0.6]))
    written = tmp_path / "model.json.xz"
    write_model(model, written)
    read = model_from_json(json.loads(lzma.decompress(written.read_bytes())))
    # what a JSON number of five decimals gives, to the bit (under 1e-4: none)
    assert read.coef.tolist() == [
        [json.loads(json.dumps(round(value, 5))) if abs(value) >= 1e-4 else 0.0
         for value in row] for row in model.coef.tolist()]
    assert read.coef[0, :4].tolist() == [0.12346, -2.0, 0.0, 0.33333]
    assert read.keys == model.keys and read.word.vocabulary_ == {"care": 0, "plans": 1}


def test_coefficients_of_another_shape_than_the_vocabularies_are_refused() -> None:
    data = json.loads(lzma.decompress(
        (SCRIPTS.parent / "src" / "ilacs" / "extract" / ARTEFACT).read_bytes()))
    rows, columns = data["coef"]["shape"]
    data["coef"]["shape"] = [rows * 2, columns // 2]
    with pytest.raises(ThemeModelError, match=r"malformed .*coefficients of shape"):
        model_from_json(data)


def test_model_classifies_with_reasons_and_confidence() -> None:
    # Sentences written for this test, not taken from any report.
    found = themes_of(["The timeliness of return home interviews for children who go missing.",
                       "Recruit more foster carers so that children can live close to home.",
                       "The weather in the summer months."])
    assert [tuple(m.theme for m in f.matches) for f in found[:2]] == [
        ("missing_and_exploitation",), ("placement_sufficiency",)]
    assert all(m.evidence for f in found[:2] for m in f.matches)
    assert found[0].confident and found[0].model == packaged_model().version
    assert not found[2].matches or not found[2].confident


def test_themes_are_stored_at_ingest_with_the_classifier_version(corpus_db: Path) -> None:
    conn = open_store(corpus_db)
    version = packaged_model().version
    for parents in ("inspections", "visits"):
        total, themed, current = conn.execute(
            "SELECT count(*), count(themes), sum(theme_model = ?) FROM points "
            f"WHERE document_sha256 IN (SELECT document_sha256 FROM {parents})",
            (version,)).fetchone()
        assert total > 1000 and themed == total == current
    stored = json.loads(conn.execute("SELECT themes FROM points WHERE themes != '[]' "
                                     "LIMIT 1").fetchone()[0])
    assert stored and all(len(pair) == 2 and pair[1] for pair in stored)


def test_stored_themes_are_read_and_a_stale_version_is_classified_afresh(
        corpus_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(corpus_db, copy)
    raw = sqlite3.connect(copy)
    position = raw.execute(
        "SELECT p.document_sha256, p.position, p.text, d.path FROM points p JOIN inspections i "
        "USING (document_sha256) JOIN documents d ON d.sha256 = p.document_sha256 "
        "WHERE p.themes LIKE '%private_fostering%' LIMIT 1").fetchone()
    # A stored decision is what analyses read: file one point under "lado" instead.
    raw.execute("UPDATE points SET themes = '[[\"lado\", \"made up\"]]' "
                "WHERE document_sha256 = ? AND position = ?", position[:2])
    raw.commit()
    conn = open_store(copy)
    point = _themed(conn, position[3], position[2])
    assert [m.theme for m in point.themes] == ["lado"] and point.model == packaged_model().version
    # Stored by another version of the classifier: classified again, not trusted.
    raw.execute("UPDATE points SET theme_model = 'older' WHERE document_sha256 = ? AND "
                "position = ?", position[:2])
    raw.commit()
    point = _themed(open_store(copy), position[3], position[2])
    assert "private_fostering" in {m.theme for m in point.themes}
    assert point.model == packaged_model().version


def _themed(conn: sqlite3.Connection, path: str, text: str) -> themes.ThemedPoint:
    return next(t for t in themes.themed_points(load_record(conn))
                if (t.point.document_path, t.point.text) == (path, text))


def test_theme_counts_say_which_classifier_and_how_many_uncertain(corpus_db: Path) -> None:
    items = themes.themed_points(load_record(open_store(corpus_db)))
    counts = themes.theme_counts(items)
    assert {c.classifiers for c in counts} == {(packaged_model().version,)}
    uncertain = sum(not t.confident for t in items)
    assert 0 < uncertain < len(items) / 4
    assert sum(c.uncertain_points for c in counts) >= sum(
        1 for t in items if not t.confident and t.themes) > 0


def test_eval_themes_names_labels_the_record_does_not_hold(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "empty.db"), "eval", "themes",
                                      str(LABELS)], obj={})
    assert result.exit_code != 0
    assert isinstance(result.exception, IlacsError)
    assert "not in the record" in str(result.exception)
