"""Headline indicators derived from the stored series, checked against the same arithmetic
done here on the published files: rates per 10,000 children from a count and ONS's
population for the right year, spend per child, published rates and percentages as they are,
and missing figures that stay missing."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import DFE
from ilacs.documents.spreadsheet import read_ods
from ilacs.statistics.catalogue import InvalidCatalogue, load_catalogue, parse_catalogue


@pytest.fixture(scope="module")
def conn(statistics_db: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"{statistics_db.as_uri()}?mode=ro", uri=True)
    yield connection
    connection.close()


def rows(name: str) -> list[dict[str, str]]:
    with (DFE / name).open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle)
                if row["geographic_level"] == "Local authority"]


def population() -> dict[tuple[str, int], float]:
    """ONS children aged 0 to 17 by (LA code, mid-year)."""
    return {(row["old_la_code"], int(row["time_period"])): float(row["population_estimate"])
            for row in rows("ons_mid-year_population_estimates_2012_to_2024.csv")
            if row["population_estimate"] not in ("x", "c")}


def stored(conn: sqlite3.Connection, indicator: str) -> dict[tuple[int, int], float | str]:
    """Values of an indicator by (URN, year); a missing one as its symbol."""
    return {(urn, year): value if value is not None else missing for urn, year, value, missing
            in conn.execute("SELECT urn, year, value, missing FROM indicator_values WHERE "
                            "indicator = ? AND urn IS NOT NULL", (indicator,))}


def urns() -> dict[str, int]:
    from ilacs.reference import load_register

    return {a.la_code: a.urn for a in load_register().all(include_defunct=True)}


def test_children_in_need_rate_uses_the_population_of_the_mid_year_before(
        conn: sqlite3.Connection) -> None:
    people, by_code, values = population(), urns(), stored(conn, "cin_rate")
    checked = 0
    for row in rows("b1_children_in_need_2013_to_2025.csv"):
        year, code = int(row["time_period"]), row["old_la_code"]
        if code not in by_code or row["At31_episodes"] in ("c", "x", "u", "z"):
            continue
        if (code, year - 1) not in people:
            continue
        expected = float(row["At31_episodes"]) * 10000 / people[(code, year - 1)]
        assert values[(by_code[code], year)] == pytest.approx(expected), (code, year)
        checked += 1
    assert checked > 1800


def test_workforce_per_child_uses_the_same_year_and_says_when_it_is_missing(
        conn: sqlite3.Connection) -> None:
    people, by_code, values = population(), urns(), stored(conn, "sw_per_10k")
    kent = by_code["886"]
    fte = {int(r["time_period"]): float(r["inpost_fte"])
           for r in rows("csww_indicators_2017_to_2025.csv") if r["old_la_code"] == "886"}
    for year in range(2017, 2025):  # at 30 September: that year's mid-year estimate
        assert values[(kent, year)] == pytest.approx(fte[year] * 10000 / people[("886", year)])
    assert values[(kent, 2025)] == "x"  # no mid-2025 estimate yet
    note = conn.execute("SELECT missing_note FROM indicator_values WHERE indicator = "
                        "'sw_per_10k' AND urn = ? AND year = 2025", (kent,)).fetchone()[0]
    assert "child_population" in note and "2025" in note


def test_published_percentages_and_rates_are_taken_as_published(
        conn: sqlite3.Connection) -> None:
    by_code = urns()
    turnover = stored(conn, "sw_turnover_rate")
    for row in rows("csww_indicators_2017_to_2025.csv"):
        if row["old_la_code"] in by_code and "/" not in row["old_la_code"]:
            text = row["turnover_rate_fte"]
            expected = text if text in ("c", "x", "z", "u", "low") else float(text)
            assert turnover[(by_code[row["old_la_code"]], int(row["time_period"]))] == expected
    care = stored(conn, "cla_rate")
    for row in rows("cla_number_and_rate_per_10k_children.csv"):
        if row["population_type"] == "Children looked after on 31 March each year" and \
                row["rate_per_10000"] not in ("x", "z", "c"):
            assert care[(by_code[row["old_la_code"]], int(row["time_period"]))] == float(
                row["rate_per_10000"])


def test_spend_per_child_from_the_outturn_in_pounds(conn: sqlite3.Connection) -> None:
    sheet = read_ods(DFE / "RO3_LA_Data_2024-25_data_by_LA.ods")["RO3_LA_Data_202425"]
    header = [c.text for c in sheet[6][1]]
    total = header.index("TOTAL CHILDREN SOCIAL CARE - Net Current Expenditure (C7 = C3 - C6)")
    isle = next(cells for _, cells in sheet if len(cells) > 1 and cells[1].text == "E06000046")
    children = population()[("921", 2024)]
    value = conn.execute("SELECT value, period FROM indicator_values WHERE indicator = "
                         "'spend_per_child' AND urn = 80419").fetchone()
    assert value[1] == "2024-25"
    assert value[0] == pytest.approx(isle[total].number * 1000 / children)


def test_places_beyond_authorities(conn: sqlite3.Connection) -> None:
    subjects = {row[0] for row in conn.execute(
        "SELECT DISTINCT subject FROM indicator_values WHERE indicator = 'sw_turnover_rate'")}
    assert {"england", "region:E12000008", "shared:940/941", "la:80419"} <= subjects
    # Barnsley's 2025 figures arrive under two codes; one value, from its current code.
    barnsley = conn.execute("SELECT count(*) FROM indicator_values WHERE indicator = "
                            "'cin_rate' AND urn = 80426 AND year = 2025").fetchone()[0]
    assert barnsley == 1


def test_every_indicator_has_values_and_cites_its_figures(conn: sqlite3.Connection) -> None:
    catalogue = load_catalogue()
    counts = dict(conn.execute("SELECT indicator, count(value) FROM indicator_values "
                               "WHERE urn IS NOT NULL GROUP BY indicator").fetchall())
    assert set(counts) == {i.key for i in catalogue.indicators}
    # 152 authorities in the one year of Ofsted's provider data, three of them without a home
    # to grade: the rest have at least that many values
    assert min(counts.values()) >= 149
    ungraded = conn.execute("SELECT DISTINCT missing FROM indicator_values WHERE indicator = "
                            "'childrens_homes_good_percent' AND value IS NULL").fetchall()
    assert ungraded == [("z",)]  # no home inspected: not applicable, never zero
    sources = conn.execute("SELECT sources FROM indicator_values WHERE indicator = "
                           "'cin_rate' AND urn = 80419 AND year = 2025").fetchone()[0]
    assert '"dataset":"children_in_need"' in sources and '"dataset":"child_population"' in \
        sources and '"row":' in sources


def test_a_catalogue_that_names_an_unknown_data_set_is_refused() -> None:
    text = (Path(__file__).resolve().parents[1] / "src" / "ilacs" / "statistics" /
            "catalogue.yaml").read_text(encoding="utf-8")
    broken = text.replace("dataset: children_in_need,", "dataset: children_in_nede,", 1)
    with pytest.raises(InvalidCatalogue, match="children_in_nede"):
        parse_catalogue(broken)
    with pytest.raises(InvalidCatalogue, match="unit"):
        parse_catalogue(text.replace("unit: per_10000", "unit: per_thousand", 1))
