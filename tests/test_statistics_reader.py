"""The readers of official statistics: EES tidy CSV (any file, by its columns), the MHCLG
revenue outturn workbook, Ofsted's provider-level workbook, symbols and periods. Real files
from ../shared/reference/dfe, and files written in tmp_path for the faults the real ones
lack."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import SHARED
from ilacs.statistics.geography import AreaLevel
from ilacs.statistics.outturn import read_outturn
from ilacs.statistics.periods import PeriodError, parse_period
from ilacs.statistics.providers import read_providers
from ilacs.statistics.symbols import Missing, parse_cell
from ilacs.statistics.tidy import NotTidyStatistics, read_tidy_csv

DFE = SHARED / "reference" / "dfe"
# The filter columns of each file, read off the files by hand: everything else that is not a
# time or geography column is a figure.
FILTERS = {
    "b1_children_in_need_2013_to_2025.csv": ("category",),
    "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv": ("category",),
    "c3_factors_identified_at_end_of_assessment_2018_to_2025.csv": ("category",),
    "cla_number_and_rate_per_10k_children.csv": ("population_type",),
    "csww_indicators_2017_to_2025.csv": (),
    "d3_cpps_subsequent_plan_2013_to_2025.csv": ("category",),
    "d5_cpps_at31march_by_duration_2013_to_2025.csv": ("category",),
    "la_care_leavers_accommodation_suitability.csv": ("care_leaver_age", "breakdown"),
    "la_care_leavers_activity.csv": ("care_leaver_age", "breakdown"),
    "la_cla_during_year_new_placements.csv": ("characteristic", "breakdown"),
    "la_cla_placement_stability.csv": ("cla_group", "placement_stability"),
    "la_cla_school_moves.csv": ("cla_group", "move_measure", "school_stability"),
    "la_cla_swcount.csv": ("cla_group", "sw_stability"),
    "ons_mid-year_population_estimates_2012_to_2024.csv": ("age_group",),
}
STANDARD = {"time_period", "time_identifier", "geographic_level", "country_code",
            "country_name", "region_code", "region_name", "old_la_code", "new_la_code",
            "la_name"}


def require_dfe() -> None:
    if not DFE.is_dir():
        pytest.skip(f"SKIPPED LOUDLY: no DfE statistics at {DFE}")


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_every_real_file_reads_with_its_filters_and_figures(name: str) -> None:
    require_dfe()
    table = read_tidy_csv(DFE / name)
    with (DFE / name).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    assert table.layout.filters == FILTERS[name]
    assert set(table.layout.indicators) == set(header) - STANDARD - set(FILTERS[name])
    assert len(table.rows) == len(rows)  # national, regional and LA rows: every one read
    assert table.problems == []
    by_line = {row.number: row for row in table.rows}
    for line, expected in enumerate(rows, start=2):
        row = by_line[line]
        assert row.period.code == expected["time_period"]
        for position, column in enumerate(table.layout.indicators):
            text, cell = expected[column], row.cells[position]
            if text in {"c", "x", "z", "k", "u", "low"}:
                assert cell == Missing(text), (line, column)
            else:
                assert cell == float(text), (line, column)


def test_suppressed_figures_are_never_numbers() -> None:
    require_dfe()
    table = read_tidy_csv(DFE / "la_care_leavers_activity.csv")
    kinds = {type(cell) for row in table.rows for cell in row.cells}
    assert kinds == {float, Missing}
    symbols = {cell for row in table.rows for cell in row.cells if isinstance(cell, Missing)}
    assert symbols == {Missing.CONFIDENTIAL, Missing.NOT_APPLICABLE, Missing.ROUNDS_TO_ZERO}


def test_areas_carry_the_codes_as_printed() -> None:
    require_dfe()
    table = read_tidy_csv(DFE / "csww_indicators_2017_to_2025.csv")
    shared = [row.area for row in table.rows if "/" in row.area.la_code]
    # Northamptonshire Children's Trust, and Achieving for Children (Kingston and Richmond)
    assert {(a.la_code, a.code) for a in shared} == {
        ("940 / 941", "E06000061 / E06000062"), ("314 / 318", "E09000021 / E09000027")}
    levels = {row.area.level for row in table.rows}
    assert levels == {AreaLevel.NATIONAL, AreaLevel.REGIONAL, AreaLevel.LOCAL_AUTHORITY}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "time_period,time_identifier,geographic_level,country_code,country_name,old_la_code," \
         "new_la_code,la_name,age,children_count,children_percent\n"


def test_a_file_lacking_a_required_column_is_named_with_the_column(tmp_path: Path) -> None:
    path = write(tmp_path / "counts.csv", "year,la,children\n2025,Kent,10\n")
    with pytest.raises(NotTidyStatistics, match="no time_period column") as raised:
        read_tidy_csv(path)
    assert str(path) in str(raised.value)


def test_a_web_page_saved_as_csv_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "data.csv", "<!DOCTYPE html><html>Service unavailable</html>")
    with pytest.raises(NotTidyStatistics, match="web page"):
        read_tidy_csv(path)


def test_unknown_symbols_and_blanks_are_problems_not_numbers(tmp_path: Path) -> None:
    path = write(tmp_path / "small.csv", HEADER +
                 "2025,Reporting year,Local authority,E92000001,England,886,E10000016,Kent,"
                 "Under 1,12,4\n"
                 "2025,Reporting year,Local authority,E92000001,England,887,E06000035,Medway,"
                 "Under 1,?,\n"
                 "2025,Reporting year,Local authority,E92000001,England,888,E10000017,"
                 "Lancashire,Under 1,c,low\n")
    table = read_tidy_csv(path)
    assert table.layout.filters == ("age",)  # text, not figures
    assert table.layout.indicators == ("children_count", "children_percent")
    assert [row.cells for row in table.rows] == [
        (12.0, 4.0), (None, None), (Missing.CONFIDENTIAL, Missing.LOW)]
    described = sorted(problem.describe() for problem in table.problems)
    assert described == [
        f"{path}, row 3, column children_count: '?' is neither a figure nor a known symbol "
        "(c, x, z, k, low, u); nothing is stored for it",
        f"{path}, row 3, column children_percent: blank where a figure or a symbol (c, x, z, "
        "k, low, u) belongs; nothing is stored for it"]


def test_a_metadata_file_decides_what_is_a_filter(tmp_path: Path) -> None:
    path = write(tmp_path / "ages.csv", HEADER.replace("age,", "age_band,") +
                 "2025,Reporting year,National,E92000001,England,,,,16,120,40\n")
    assert read_tidy_csv(path).layout.indicators == (
        "age_band", "children_count", "children_percent")  # digits alone look like figures
    write(tmp_path / "ages.meta.csv", "col_name,col_type,label,indicator_unit\n"
          "age_band,Filter,Age band,\nchildren_count,Indicator,Children,\n"
          "children_percent,Indicator,Percentage of children,%\n")
    table = read_tidy_csv(path)
    assert table.layout.filters == ("age_band",)
    assert table.layout.units == {"children_count": "count", "children_percent": "percent"}
    assert table.layout.labels["children_percent"] == "Percentage of children"
    assert table.rows[0].filters == ("16",)


def test_rows_of_the_wrong_width_or_other_levels_are_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "mixed.csv", HEADER +
                 "2025,Reporting year,National,E92000001,England,,,,All,5,1\n"
                 "2025,Reporting year,National,E92000001,England,,,\n"
                 "2025,Reporting year,School,E92000001,England,,,,All,5,1\n"
                 "2025,Reporting year,School,E92000001,England,,,,All,6,1\n")
    table = read_tidy_csv(path)
    assert len(table.rows) == 1
    messages = [problem.describe() for problem in table.problems]
    assert messages[0] == (f"{path}, row 3: has 8 cells where the header has 11 columns; the "
                           "row is not read")
    assert "2 at 'School'" in messages[1]


@pytest.mark.parametrize(("text", "expected"), [
    ("12", 12.0), ("1,186,820", 1186820.0), ("-3.5", -3.5), ("c", Missing.CONFIDENTIAL),
    ("LOW", Missing.LOW), ("[x]", Missing.NOT_AVAILABLE), ("nan", None), ("inf", None),
    ("", None), ("n/a", None), ("12a", None)])
def test_cells_are_figures_known_symbols_or_nothing(text: str, expected: object) -> None:
    assert parse_cell(text) == expected


def test_periods_are_joined_by_the_year_they_end_in() -> None:
    assert parse_period("2025", "Reporting year").year == 2025
    financial = parse_period("202425", "Financial year")
    assert (financial.year, financial.label) == (2025, "2024-25")
    with pytest.raises(PeriodError, match="consecutive"):
        parse_period("202426", "Financial year")
    with pytest.raises(PeriodError, match="not a year"):
        parse_period("2025Q1", "Quarter")


def test_the_revenue_outturn_workbook_reads_as_long_series() -> None:
    require_dfe()
    table = read_outturn(DFE / "RO3_LA_Data_2024-25_data_by_LA.ods")
    total = "TOTAL CHILDREN SOCIAL CARE - Net Current Expenditure (C7 = C3 - C6)"
    assert total in table.layout.indicators
    assert all("child" in column.casefold() for column in table.layout.indicators)
    assert {row.period.label for row in table.rows} == {"2024-25"}
    codes = {row.area.code for row in table.rows}
    assert "E92000001" in codes and len(codes) == 154  # England and 153 authorities
    at = table.layout.indicators.index(total)
    cumberland = next(row for row in table.rows if row.area.code == "E06000063")
    assert cumberland.cells[at] is Missing.NOT_AVAILABLE  # "[x]": no return received
    # Gateshead's cells that say "[note 4]" instead of a figure are problems, row and column
    assert table.problems and all(p.row == 138 and "[note 4]" in p.message
                                  for p in table.problems)


def test_a_workbook_of_another_kind_is_refused_cheaply() -> None:
    require_dfe()
    with pytest.raises(NotTidyStatistics, match="ONS Code"):
        read_outturn(DFE / "Childrens_social_care_in_England_2023_underlying_data.ods")


PROVIDERS = DFE / "Childrens_social_care_in_England_2023_underlying_data.ods"


def test_ofsteds_provider_workbook_counts_childrens_homes_by_authority() -> None:
    require_dfe()
    table = read_providers(PROVIDERS)
    assert table.problems == []
    assert table.layout.indicators == ("homes", "places", "homes_inspected",
                                       "homes_good_or_better")
    assert {row.period.code for row in table.rows} == {"2023"}
    by_name = {row.area.name: dict(zip(table.layout.indicators, row.cells, strict=True))
               for row in table.rows}
    england = by_name.pop("England")
    # the 152 authorities standing at 31 March 2023 (Cumbria, not its two successors)
    assert len(by_name) == 152 and "Cumbria" in by_name and "Cumberland" not in by_name
    for name, counts in by_name.items():
        assert counts["homes_good_or_better"] <= counts["homes_inspected"] <= counts["homes"]
        assert counts["places"] >= counts["homes"], name  # a home has at least one place
    for indicator, total in england.items():
        assert total == sum(counts[indicator] for counts in by_name.values())
    assert england["homes"] > 1000 and england["homes_good_or_better"] > 0
    # an authority without a home in its area has none, not an unknown number
    assert by_name["Isles of Scilly"]["homes"] == 0.0


def test_an_outturn_workbook_is_not_a_provider_workbook() -> None:
    require_dfe()
    with pytest.raises(NotTidyStatistics, match="Provision type"):
        read_providers(DFE / "RO3_LA_Data_2024-25_data_by_LA.ods")
