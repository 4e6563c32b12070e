"""Ofsted's inspection frameworks, described as data (one JSON file per era in frameworks/)
and validated when loaded, so that no extractor branches on the year."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from ilacs.errors import IlacsError
from ilacs.extract.models import Grade

LAYOUTS = {"ilacs_table", "sif_list", "record_of_main_findings"}
IMPROVEMENT_STYLES = {"bullets", "numbered"}


class InvalidFramework(IlacsError):
    """A framework definition file is malformed."""


@dataclass(frozen=True)
class JudgementArea:
    key: str
    label: str
    patterns: tuple[re.Pattern[str], ...]

    def matches(self, printed: str) -> bool:
        return any(pattern.search(printed) for pattern in self.patterns)


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
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
            description=data["description"],
            starts=date.fromisoformat(data["era"]["from"]),
            ends=date.fromisoformat(data["era"]["to"]),
            title_patterns=_compile(data["title_patterns"]),
            layout=data["layout"],
            judgement_anchor=data["judgement_anchor"],
            judgements=tuple(
                JudgementArea(j["key"], j["label"], _compile(j["patterns"]))
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
