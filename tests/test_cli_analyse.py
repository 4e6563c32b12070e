"""`ilacs analyse ...` on the real record: every question answers in JSON and as a table."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ilacs.cli import cli


@pytest.fixture(scope="module")
def db(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("analyse") / "ilacs.db"
    shutil.copy(corpus_db, copy)
    return copy


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["analyse", *args, "--db", str(db)], obj={})
    assert result.exit_code == 0, result.output
    return result.output


def test_benchmark_json_names_the_rule_and_every_judgement(db: Path) -> None:
    payload = json.loads(run(db, "benchmark", "Isle of Wight", "--model", "2021", "--json"))
    assert payload["model"] == "2021" and "ties" in payload["ranking_rule"]
    assert [j["judgement"] for j in payload["judgements"]] == [
        "overall_effectiveness", "impact_of_leaders", "help_and_protection",
        "children_in_care", "care_leavers"]
    assert [s["group"] for s in payload["judgements"][0]["standings"]] == [
        "statistical neighbours", "South East", "England"]
    assert "Ranking rule" in run(db, "benchmark", "isle-of-wight")


@pytest.mark.parametrize("args", [
    ("grades", "--by", "era"), ("grades", "--by", "region"), ("transitions",),
    ("inadequate",), ("history", "Croydon"), ("themes",), ("themes", "--by-year"),
    ("theme", "neglect"), ("peers", "Croydon"), ("recurrence", "Croydon"), ("due",),
    ("backtest",), ("praise", "Croydon"),
])
def test_every_analysis_answers_in_json_and_tables(db: Path, args: tuple[str, ...]) -> None:
    payload = json.loads(run(db, *args, "--json"))
    assert payload
    assert run(db, *args).strip()


def test_transitions_json_is_a_matrix(db: Path) -> None:
    payload = json.loads(run(db, "transitions", "--json"))
    total = sum(n for row in payload["matrix"].values() for n in row.values())
    assert total == payload["pairs"] > 250


def test_unknown_theme_and_authority_are_clear_errors(db: Path) -> None:
    result = CliRunner().invoke(cli, ["analyse", "theme", "weather", "--db", str(db)], obj={})
    assert result.exit_code != 0 and "unknown theme 'weather'" in str(result.exception)
    listing = run(db, "themes", "--list")
    assert "pathway_plans" in listing and "private_fostering" in listing


def test_themes_say_which_classifier_and_how_many_points_are_uncertain(db: Path) -> None:
    from ilacs.extract.theme_model import packaged_model

    version = packaged_model().version
    said = " ".join(run(db, "themes").split())
    assert f"Themes by the classifier version {version}" in said and "Uncertain" in said
    payload = json.loads(run(db, "themes", "--json"))
    assert all(entry["classifiers"] == [version] for entry in payload)
    assert sum(entry["uncertain_points"] for entry in payload) > 0


def test_praise_counts_what_the_praised_neighbours_were_praised_for(db: Path) -> None:
    payload = json.loads(run(db, "praise", "Isle of Wight", "--json"))
    praised = {n["urn"] for n in payload["neighbours"]}
    assert payload["urn"] == 80419 and praised
    assert all(n["grade"] in ("good", "outstanding") for n in payload["neighbours"])
    for theme in payload["themes"]:
        assert set(theme["authorities"]) <= praised and theme["examples"]
        for example in theme["examples"]:
            assert theme["theme"] in [match["theme"] for match in example["themes"]]
    assert "What they were praised for" in run(db, "praise", "Isle of Wight")
