"""`ilacs statistics ...` through the real command line (Click's runner) on real files."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from conftest import DFE, require_shared
from ilacs.cli import cli


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_load_says_what_each_file_did_and_strict_fails_on_problems(tmp_path: Path) -> None:
    require_shared()
    db = str(tmp_path / "ilacs.db")
    code, out = run("--db", db, "statistics", "load", "-j", "1",
                    str(DFE / "ons_mid-year_population_estimates_2012_to_2024.csv"),
                    str(DFE / "LTLA-UTLA_Apr23_Lookup_England-Wales.csv"), "--strict")
    assert code == 1
    assert "new child_population (2,132 figures)" in " ".join(out.split())
    assert "it has no time_period column" in out
    code, out = run("--db", db, "statistics", "load",
                    str(DFE / "ons_mid-year_population_estimates_2012_to_2024.csv"))
    assert code == 0 and "unchanged" in out


def test_indicators_and_sources_as_json(tmp_path: Path) -> None:
    require_shared()
    db = str(tmp_path / "ilacs.db")
    run("--db", db, "statistics", "load", str(DFE / "csww_indicators_2017_to_2025.csv"),
        str(DFE / "ons_mid-year_population_estimates_2012_to_2024.csv"))
    code, out = run("--db", db, "statistics", "indicators", "--json")
    listing = {item["key"]: item for item in json.loads(out)}
    assert code == 0 and len(listing) == 31
    assert listing["sw_turnover_rate"]["years"] == list(range(2017, 2026))
    assert listing["sw_turnover_rate"]["direction"] == "lower_is_better"
    assert listing["cin_rate"]["years"] == []  # its data set is not loaded
    code, out = run("--db", db, "statistics", "sources", "--json")
    sources = {item["dataset"]: item for item in json.loads(out)}
    assert set(sources) == {"workforce", "child_population"}
    assert sources["workforce"]["location"].endswith("csww_indicators_2017_to_2025.csv")
    assert len(sources["workforce"]["sha256"]) == 64


def test_analyses_of_statistics_as_json(bundled_db: Path) -> None:
    db = str(bundled_db)
    code, out = run("--db", db, "analyse", "context", "Isle of Wight", "-i", "cin_rate",
                    "--json")
    answer = json.loads(out)
    assert code == 0 and answer["name"] == "Isle of Wight"
    assert [i["indicator"]["key"] for i in answer["indicators"]] == ["cin_rate"]
    assert answer["indicators"][0]["years"][-1]["neighbour_model"] == "2025"
    code, out = run("--db", db, "analyse", "indicator", "sw_agency_rate", "--year", "2020",
                    "--json")
    view = json.loads(out)
    assert code == 0 and view["period"] == "2020" and view["authorities"][0]["rank"] == 1
    code, out = run("--db", db, "analyse", "indicator-grades", "rereferral_percent", "--json")
    grades = json.loads(out)
    assert code == 0 and grades["indicator"] == "rereferral_percent"
    assert grades["effect"]["low"] <= grades["effect"]["estimate"] <= grades["effect"]["high"]
    code, out = run("--db", db, "analyse", "inspection-year", "--json")
    assert code == 0 and json.loads(out)["verdict"]
    code, out = run("--db", db, "analyse", "expected", "Isle of Wight", "--json")
    expected = json.loads(out)
    assert code == 0 and [p["name"] for p in expected["predictions"]] == ["Isle of Wight"]
    assert expected["pooled"]["test"] > 100


def test_unknown_indicator_is_a_clear_error(bundled_db: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(bundled_db), "analyse", "indicator",
                                      "cin"])
    assert result.exit_code != 0
    assert "unknown indicator 'cin'" in str(result.exception)
