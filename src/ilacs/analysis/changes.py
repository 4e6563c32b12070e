"""The change log told for people: a title and a few lines per change, the same words in
`ilacs changes`, the dashboard's /changes page and its Atom feed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ilacs.analysis.names import (
    framework_name,
    grade_name,
    intervention_type_name,
    judgement_name,
    long_date,
    visit_kind_name,
)
from ilacs.reference import UnknownAuthority, load_register
from ilacs.store.changes import Change, ChangeKind, FieldChange, GradeStep

_TOPIC_NAMES = {"inspection": "inspections", "visit": "visits", "intervention": "interventions"}
_FIELD_NAMES = {"start": "start", "end": "end", "published": "publication date",
                "framework": "framework", "inspection_type": "type of inspection",
                "urn": "local authority (URN)", "kind": "kind of visit", "focus": "focus",
                "status": "status", "partner": "partner", "confirmed": "confirmed",
                "type": "type"}


@dataclass(frozen=True)
class ChangeStory:
    change: Change
    title: str
    lines: tuple[str, ...]


def tell(change: Change) -> ChangeStory:
    """The change as a headline and its detail lines."""
    topic = change.subject.split(":", 1)[0]
    if change.kind is ChangeKind.BASELINE:
        held = ", ".join(f"{change.counts.get(topic, 0)} {name}"
                         for topic, name in _TOPIC_NAMES.items())
        return ChangeStory(change, f"The record began, holding {held}", (
            "Changes after this one are listed one by one.",))
    if topic == "statistics":
        return _statistics(change)
    la = change.la_name or _authority_name(change.urn)
    if topic == "intervention":
        return _intervention(change, la)
    what = _document_name(topic, change.facts)
    if change.kind in (ChangeKind.INSPECTION_ADDED, ChangeKind.VISIT_ADDED):
        headline = _headline_grade(change.grades)
        title = f"{la}: new {what}" + (f", {headline}" if headline else "")
        return ChangeStory(change, title, (*_grade_lines(change.grades),
                                           *_document_lines(topic, change.facts)))
    if change.kind in (ChangeKind.INSPECTION_CHANGED, ChangeKind.VISIT_CHANGED):
        return ChangeStory(change, f"{la}: {what} corrected", (
            *(_field_line(field) for field in change.fields),
            *_document_lines(topic, change.facts)))
    return ChangeStory(change, f"{la}: {what} removed from the record",
                       tuple(_document_lines(topic, change.facts)))


def _authority_name(urn: int | None) -> str:
    """For a record whose authorities table is empty: the register knows every LA."""
    if urn is None:
        return "An unknown local authority"
    try:
        return load_register().by_urn(urn).name
    except UnknownAuthority:
        return f"URN {urn}"


def _document_name(topic: str, facts: Mapping[str, Any]) -> str:
    published = _date(facts.get("published"))
    when = f" published {long_date(published)}" if published else ""
    if topic == "inspection":
        return f"inspection report{when}"
    return f"{visit_kind_name(facts.get('kind') or 'visit').lower()} letter{when}"


def _headline_grade(steps: tuple[GradeStep, ...]) -> str:
    """The overall grade if the framework has one, else the first judgement."""
    if not steps:
        return ""
    step = next((s for s in steps if s.judgement == "overall_effectiveness"), steps[0])
    if not step.previous:
        moved = ""
    elif step.previous == step.grade:
        moved = " (unchanged)"
    else:
        moved = f" (was {grade_name(step.previous)})"
    return f"{judgement_name(step.judgement).lower()} {grade_name(step.grade)}{moved}"


def _grade_lines(steps: tuple[GradeStep, ...]) -> list[str]:
    lines = []
    for step in steps:
        if step.previous:
            before = f"previously {grade_name(step.previous)}"
            if step.previous_published:
                before += f" (report published {long_date(_date(step.previous_published))})"
        else:
            before = "no earlier grade in the record"
        lines.append(f"{judgement_name(step.judgement)}: {grade_name(step.grade)}; {before}")
    return lines


def _document_lines(topic: str, facts: Mapping[str, Any]) -> list[str]:
    lines = []
    if topic == "inspection":
        kind = f", {facts['inspection_type']} inspection" if facts.get("inspection_type") else ""
        lines.append(f"Framework: {framework_name(facts.get('framework'))}{kind}")
    elif facts.get("focus"):
        lines.append(f"Focus: {str(facts['focus']).replace('_', ' ')}")
    start, end = _date(facts.get("start")), _date(facts.get("end"))
    if start:
        lines.append(f"On site {long_date(start)}" + (f" to {long_date(end)}"
                                                      if end and end != start else ""))
    return lines


def _intervention(change: Change, la: str) -> ChangeStory:
    facts = change.facts
    name = intervention_type_name(str(facts.get("type", "intervention")))
    partner = f" with {facts['partner']}" if facts.get("partner") else ""
    lines = [_field_line(field) for field in change.fields]
    start, end = _date(facts.get("start")), _date(facts.get("end"))
    if start or end:
        lines.append(f"From {long_date(start)}" + (f" to {long_date(end)}" if end else ""))
    lines.append(f"Status: {facts.get('status', 'unknown')}")
    if not facts.get("confirmed"):
        lines.append("Suggested by a news article; not yet confirmed in the register")
    verb = {ChangeKind.INTERVENTION_ADDED: "recorded",
            ChangeKind.INTERVENTION_REMOVED: "removed from the register"}.get(change.kind)
    if verb is None:
        confirmed = any(f.field == "confirmed" and f.after for f in change.fields)
        verb = "confirmed" if confirmed else "updated"
    elif change.kind is ChangeKind.INTERVENTION_ADDED and not facts.get("confirmed"):
        verb = "suggested"
    return ChangeStory(change, f"{la}: {name.lower()}{partner} {verb}", tuple(lines))


def _statistics(change: Change) -> ChangeStory:
    facts = change.facts
    title = str(facts.get("title") or facts.get("dataset"))
    periods = [str(p) for p in facts.get("periods", [])]
    span = (f" for {periods[0]}" if len(periods) == 1 else
            f" for {periods[0]} to {periods[-1]}" if periods else "")
    lines = [f"{facts.get('figures', 0):,} figures{span}, from {_source_name(facts)}"]
    if change.kind is ChangeKind.STATISTICS_ADDED:
        return ChangeStory(change, f"Official statistics added: {title}", tuple(lines))
    lines.insert(0, f"{facts.get('changed', 0):,} figures revised, {facts.get('added', 0):,} "
                    f"added, {facts.get('removed', 0):,} withdrawn")
    for move in facts.get("indicator_moves", [])[:5]:
        lines.append(f"{subject_name(str(move['subject']))}, {indicator_label(move)} "
                     f"{move['period']}: {_figure(move['before'])} → {_figure(move['after'])}")
    moved = int(facts.get("indicators_moved", 0))
    if moved > 5:
        lines.append(f"and {moved - 5:,} more headline values")
    return ChangeStory(change, f"Official statistics revised: {title}", tuple(lines))


def _source_name(facts: Mapping[str, Any]) -> str:
    """A web address whole; a file by its name alone (where it sits on the machine that
    loaded it is nobody else's business, and a published feed must not show it)."""
    location = str(facts.get("location") or "an unnamed file")
    return location if location.startswith(("http://", "https://")) else \
        location.replace("\\", "/").rsplit("/", 1)[-1]


def indicator_label(move: Mapping[str, Any]) -> str:
    from ilacs.statistics.catalogue import load_catalogue

    found = load_catalogue().indicators_by_key.get(str(move.get("indicator")))
    return found.short_label.lower() if found else str(move.get("indicator"))


def subject_name(subject: str) -> str:
    """"la:80419" -> "Isle of Wight"; "region:E12000008" -> "South East"; "england"."""
    kind, _, key = subject.partition(":")
    register = load_register()
    if kind == "england":
        return "England"
    if kind == "la":
        return _authority_name(int(key))
    if kind == "region":
        return next((a.region_name for a in register.all(include_defunct=True)
                     if a.region_ons_code == key), key)
    return key


def _figure(value: object) -> str:
    if isinstance(value, float | int):
        return f"{value:,.1f}".removesuffix(".0")
    return f"{value} (not a figure)" if value else "none"


def _field_line(field: FieldChange) -> str:
    path = field.field.split(".")
    if path[0] == "grades":
        name = judgement_name(path[-1])
        return f"{name}: {_grade_or_none(field.before)} → {_grade_or_none(field.after)}"
    name = _FIELD_NAMES.get(path[-1], path[-1].replace("_", " "))
    return f"{name.capitalize()}: {_value(field.before)} → {_value(field.after)}"


def _grade_or_none(value: object) -> str:
    return grade_name(str(value)) if value else "no grade"


def _value(value: object) -> str:
    if value is None or value == "":
        return "not known"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and (day := _date(value)):
        return long_date(day)
    return str(value).replace("_", " ")


def _date(value: object) -> date | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
