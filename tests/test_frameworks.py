"""Framework facts come from the framework files alone (extract/frameworks/*.json): families
of judgements, names, which frameworks schedule the next inspection and how. The next
framework is one new file."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

import pytest

from ilacs.analysis.grades import BENCHMARK_JUDGEMENTS, ILACS_FRAMEWORKS, JUDGEMENT_NAMES
from ilacs.analysis.names import FRAMEWORK_NAMES
from ilacs.analysis.schedule import RULES, rule_for
from ilacs.export import JUDGEMENT_KEYS
from ilacs.extract.frameworks import (
    InvalidFramework,
    _framework_from_json,
    load_frameworks,
)
from ilacs.extract.judgements import JUDGEMENT_FAMILIES
from ilacs.extract.models import Grade
from ilacs.store.rows import InspectionRow, JudgementRow


def _file(framework_id: str) -> dict[str, object]:
    folder = resources.files("ilacs.extract") / "frameworks"
    data: dict[str, object] = json.loads((folder / f"{framework_id}.json").read_text("utf-8"))
    return data


def test_families_prefer_the_judgement_itself_then_newer_frameworks() -> None:
    assert list(JUDGEMENT_FAMILIES) == ["overall_effectiveness", "impact_of_leaders",
                                        "help_and_protection", "children_in_care",
                                        "care_leavers", "adoption_performance"]
    # ILACS 2018's combined judgement answers both of today's, after each one's own key
    assert JUDGEMENT_FAMILIES["children_in_care"] == (
        "children_in_care", "children_in_care_and_care_leavers",
        "children_looked_after_and_permanence", "outcomes_for_looked_after_children")
    assert JUDGEMENT_FAMILIES["care_leavers"] == ("care_leavers",
                                                  "children_in_care_and_care_leavers")
    assert JUDGEMENT_FAMILIES["impact_of_leaders"] == (
        "impact_of_leaders", "leadership_management_governance", "leadership_and_management")
    every_key = {key for framework in load_frameworks() for key in framework.judgement_keys}
    assert set(JUDGEMENT_KEYS) == every_key and JUDGEMENT_KEYS[0] == "overall_effectiveness"
    assert len(JUDGEMENT_KEYS) == len(every_key)


def test_names_and_schedules_are_the_files() -> None:
    frameworks = load_frameworks()
    assert [f.starts for f in frameworks] == sorted(f.starts for f in frameworks)
    assert FRAMEWORK_NAMES == {f.id: str(_file(f.id)["short_name"]) for f in frameworks}
    assert ILACS_FRAMEWORKS == {f.id for f in frameworks if _file(f.id)["schedule"]}
    # the judgements compared everywhere are those the scheduled (ILACS) frameworks give
    assert BENCHMARK_JUDGEMENTS == ("overall_effectiveness", "impact_of_leaders",
                                    "help_and_protection", "children_in_care", "care_leavers")
    assert set(JUDGEMENT_NAMES) >= set(BENCHMARK_JUDGEMENTS)
    reformed = next(f for f in frameworks if f.id == "ilacs_2026")
    assert not reformed.judges("overall_effectiveness") and reformed.judges("care_leavers")


def _inspection(framework: str, grade: Grade, keys: tuple[str, ...]) -> InspectionRow:
    return InspectionRow(
        id=1, document_sha256="0" * 64, document_path="x.pdf", urn=80419,
        la_name_printed="Isle of Wight", framework=framework, inspection_type=None,
        inspection_type_basis=None, inspection_start=date(2023, 3, 6),
        inspection_end=date(2023, 3, 17), publication_date=date(2023, 4, 20),
        publication_date_source=None, lead_inspector=None, improvement_item_count=0,
        judgements=tuple(JudgementRow(key, grade, 1, None) for key in keys))


def test_the_rule_is_the_one_the_framework_file_names() -> None:
    ilacs_2023 = ("impact_of_leaders", "help_and_protection", "children_in_care",
                  "care_leavers", "overall_effectiveness")
    assert rule_for(_inspection("ilacs_2023", Grade.GOOD, ilacs_2023)) is RULES["good_or_better"]
    assert rule_for(_inspection("ilacs_2026", Grade.GOOD, ilacs_2023[:4])) is \
        RULES["2026_focused"]
    # SIF's file names no schedule; an ILACS 2023 report without its overall grade has no rule
    assert rule_for(_inspection("sif", Grade.GOOD, ("overall_effectiveness",))) is None
    assert rule_for(_inspection("ilacs_2023", Grade.GOOD, ilacs_2023[:4])) is None


def test_a_framework_file_with_an_unknown_schedule_is_refused() -> None:
    data = _file("ilacs_2023")
    with pytest.raises(InvalidFramework, match="schedule must be null or one of"):
        _framework_from_json({**data, "schedule": "every_year"}, "ilacs_2023.json")
    without = {key: value for key, value in data.items() if key != "short_name"}
    with pytest.raises(InvalidFramework, match="short_name"):
        _framework_from_json(without, "ilacs_2023.json")
