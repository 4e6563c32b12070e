"""Ofsted's inspection frameworks, described as data (one JSON file per era in frameworks/)
and validated when loaded, so that no extractor branches on the year."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from ilacs.errors import IlacsError
from ilacs.extract.models import Grade

LAYOUTS = {"ilacs_table", "sif_list", "record_of_main_findings"}
IMPROVEMENT_STYLES = {"bullets", "numbered"}
# How the next inspection is scheduled after one under the framework (analysis.schedule):
# from the overall effectiveness grade, or (since April 2026) from the judgement grades.
SCHEDULES = {"overall_grade", "judgement_grades"}
HEADLINE = "overall_effectiveness"  # listed first wherever judgements are listed


class InvalidFramework(IlacsError):
    """A framework definition file is malformed."""


@dataclass(frozen=True)
class JudgementArea:
    key: str
    label: str
    patterns: tuple[re.Pattern[str], ...]
    # today's judgements this one answers (ILACS 2018's combined children in care and care
    # leavers answers both), through which frameworks are compared
    families: tuple[str, ...] = ()
    short_label: str | None = None  # the judgement's name in tables, where it has one

    def matches(self, printed: str) -> bool:
        return any(pattern.search(printed) for pattern in self.patterns)


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    short_name: str
    schedule: str | None  # one of SCHEDULES, or None: no rule ilacs follows
    description: str
    starts: date
    ends: date
    title_patterns: tuple[re.Pattern[str], ...]
    layout: str
    judgement_anchor: str
    judgements: tuple[JudgementArea, ...]
    grades: tuple[Grade, ...]
    required_judgements: frozenset[str]
    improvement_headings: tuple[re.Pattern[str], ...]
    improvement_end_headings: tuple[re.Pattern[str], ...]
    improvement_style: str
    lead_inspector_labels: tuple[str, ...]
    has_short_inspections: bool
    # SIF reports with a review of the safeguarding children board: the board's own list
    board_headings: tuple[re.Pattern[str], ...] = ()
    board_end_headings: tuple[re.Pattern[str], ...] = ()

    @property
    def judgement_keys(self) -> tuple[str, ...]:
        return tuple(area.key for area in self.judgements)

    def judges(self, family: str) -> bool:
        """Whether an inspection under this framework can answer the judgement `family`."""
        return any(family in area.families for area in self.judgements)

    def area_for(self, printed: str) -> JudgementArea | None:
        folded = " ".join(printed.casefold().split())
        return next((area for area in self.judgements if area.matches(folded)), None)


def _compile(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)


def _framework_from_json(data: dict[str, Any], source: str) -> Framework:
    try:
        framework = Framework(
            id=data["id"],
            name=data["name"],
            short_name=data["short_name"],
            schedule=data["schedule"],
            description=data["description"],
            starts=date.fromisoformat(data["era"]["from"]),
            ends=date.fromisoformat(data["era"]["to"]),
            title_patterns=_compile(data["title_patterns"]),
            layout=data["layout"],
            judgement_anchor=data["judgement_anchor"],
            judgements=tuple(
                JudgementArea(j["key"], j["label"], _compile(j["patterns"]),
                              tuple(j["families"]), j.get("short_label"))
                for j in data["judgements"]
            ),
            grades=tuple(Grade(grade) for grade in data["grades"]),
            required_judgements=frozenset(data["required_judgements"]),
            improvement_headings=_compile(data["improvement_headings"]),
            improvement_end_headings=_compile(data["improvement_end_headings"]),
            improvement_style=data["improvement_style"],
            lead_inspector_labels=tuple(data["lead_inspector_labels"]),
            has_short_inspections=bool(data["has_short_inspections"]),
            board_headings=_compile(data.get("board_headings", [])),
            board_end_headings=_compile(data.get("board_end_headings", [])),
        )
    except (KeyError, TypeError, ValueError, re.error) as error:
        raise InvalidFramework(f"invalid framework definition ({error!r})", source) from error
    if framework.layout not in LAYOUTS:
        raise InvalidFramework(f"layout must be one of {sorted(LAYOUTS)}", source)
    if framework.improvement_style not in IMPROVEMENT_STYLES:
        raise InvalidFramework(f"improvement_style must be one of {sorted(IMPROVEMENT_STYLES)}",
                               source)
    if framework.schedule is not None and framework.schedule not in SCHEDULES:
        raise InvalidFramework(f"schedule must be null or one of {sorted(SCHEDULES)}", source)
    unknown = framework.required_judgements - set(framework.judgement_keys)
    if unknown:
        raise InvalidFramework(f"required judgements not defined: {sorted(unknown)}", source)
    return framework


@lru_cache(maxsize=1)
def load_frameworks() -> tuple[Framework, ...]:
    """Every framework, oldest first."""
    folder = resources.files("ilacs.extract") / "frameworks"
    frameworks = []
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            frameworks.append(_framework_from_json(json.loads(entry.read_text("utf-8")),
                                                   entry.name))
    return tuple(sorted(frameworks, key=lambda framework: framework.starts))


def framework_by_id(framework_id: str) -> Framework:
    for framework in load_frameworks():
        if framework.id == framework_id:
            return framework
    raise InvalidFramework(f"no framework called {framework_id!r}")


# -- facts across frameworks, derived from the files -----------------------------------------

def _newest_first() -> tuple[Framework, ...]:
    return tuple(reversed(load_frameworks()))


@lru_cache(maxsize=1)
def judgement_families() -> Mapping[str, tuple[str, ...]]:
    """Today's judgements (the headline first, then as the newest frameworks list them) and,
    for each, the stored keys that answered it, in order of preference: the judgement itself,
    then newer frameworks' keys before older ones'. News claims, the change log and analysis
    compare grades across frameworks through it."""
    families: dict[str, list[str]] = {HEADLINE: []}
    for framework in _newest_first():
        for area in framework.judgements:
            for family in area.families:
                keys = families.setdefault(family, [])
                if area.key not in keys:
                    keys.append(area.key)
    return MappingProxyType({family: tuple(sorted(keys, key=lambda k: k != family))
                             for family, keys in families.items() if keys})


@lru_cache(maxsize=1)
def all_judgement_keys() -> tuple[str, ...]:
    """Every judgement key any framework uses: the headline, then newest frameworks first."""
    keys = [HEADLINE]
    for framework in _newest_first():
        keys.extend(key for key in framework.judgement_keys if key not in keys)
    return tuple(keys)


@lru_cache(maxsize=1)
def scheduled_judgements() -> tuple[str, ...]:
    """The judgements of the frameworks ilacs schedules the next inspection under (ILACS), in
    the order of `judgement_families`: those every comparison and benchmark is made on."""
    scheduled = [f for f in load_frameworks() if f.schedule is not None]
    return tuple(family for family in judgement_families()
                 if any(framework.judges(family) for framework in scheduled))


@lru_cache(maxsize=1)
def judgement_short_labels() -> Mapping[str, str]:
    """Each judgement's name in tables, where a framework gives one (newest wins)."""
    labels: dict[str, str] = {}
    for framework in _newest_first():
        for area in framework.judgements:
            if area.short_label is not None:
                labels.setdefault(area.key, area.short_label)
    return MappingProxyType(labels)


_GRADE_WORDS: tuple[tuple[re.Pattern[str], Grade | None], ...] = (
    (re.compile(r"requires?\s+improvement(?:\s+to\s+be\s+good)?", re.I),
     Grade.REQUIRES_IMPROVEMENT),
    (re.compile(r"outstanding", re.I), Grade.OUTSTANDING),
    (re.compile(r"inadequate", re.I), Grade.INADEQUATE),
    (re.compile(r"adequate", re.I), Grade.ADEQUATE),
    (re.compile(r"good", re.I), Grade.GOOD),
    (re.compile(r"not\s+judged", re.I), None),
)
GRADE_PATTERN = re.compile(
    r"\b(requires?\s+improvement(?:\s+to\s+be\s+good)?|outstanding|inadequate|adequate|good"
    r"|not\s+judged)\b",
    re.IGNORECASE,
)


def grade_from_words(words: str) -> Grade | None:
    """The grade a phrase states; None for 'not judged' or no grade."""
    for pattern, grade in _GRADE_WORDS:
        if pattern.fullmatch(words.strip()):
            return grade
    return None
