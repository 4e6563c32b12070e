"""How the record's codes and dates read to people, wherever they are shown."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from ilacs.analysis.grades import GRADE_NAMES, JUDGEMENT_NAMES
from ilacs.extract.frameworks import load_frameworks
from ilacs.extract.models import Grade

FRAMEWORK_NAMES: Mapping[str, str] = {framework.id: framework.short_name
                                      for framework in load_frameworks()}

VISIT_KIND_NAMES: Mapping[str, str] = {
    "focused_visit": "Focused visit", "monitoring_visit": "Monitoring visit",
    "jtai": "Joint targeted area inspection",
}


def long_date(value: date | None) -> str:
    """GOV.UK style: 5 March 2024."""
    return f"{value.day} {value:%B %Y}" if value else "not known"


def grade_name(value: Grade | str | None) -> str:
    if value is None:
        return "No grade"
    try:
        return GRADE_NAMES[Grade(value)]
    except ValueError:
        return str(value)


def judgement_name(key: str) -> str:
    return JUDGEMENT_NAMES.get(key) or key.replace("_", " ").capitalize()


def framework_name(value: str | None) -> str:
    return FRAMEWORK_NAMES.get(value or "", value or "unknown framework")


def visit_kind_name(value: str) -> str:
    return VISIT_KIND_NAMES.get(value, value.replace("_", " ").capitalize())


def intervention_type_name(value: str) -> str:
    """'statutory_direction' -> 'Statutory direction'; 'childrens_trust' -> "Children's trust"."""
    return INTERVENTION_TYPE_NAMES.get(value) or value.replace("_", " ").capitalize()


INTERVENTION_TYPE_NAMES: Mapping[str, str] = {"childrens_trust": "Children's trust"}


def partial_date(value: str | None) -> str:
    """A full or partial ISO date as people write it: '2013', 'January 2024', '5 March 2024'."""
    if not value:
        return "not known"
    parts = [int(part) for part in value.split("-")[:3]]
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return f"{date(parts[0], parts[1], 1):%B %Y}"
    return long_date(date(*parts))
