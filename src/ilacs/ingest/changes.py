"""The change log: deciding what the record learned, and when.

After every write (ingest, the bundled record, the interventions register) `record_changes`
compares the facts people follow (each inspection's dates and grades, each visit, each
intervention) with the state it saw last time (table `change_state`), and appends one row to
`changes` for each difference. Diffing facts, rather than hooking each writer, means a parser
upgrade that corrects a grade, a report read again, or an intervention edited by hand all
show up, while reading a file whose facts did not change adds nothing.

The first run on a database records a single 'baseline' row saying what the record held: the
log tells what changed since the record began, not that 800 documents "appeared" on the day
it was built.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping

from ilacs.extract.judgements import JUDGEMENT_FAMILIES
from ilacs.store.changes import (
    ChangeKind,
    Facts,
    FieldChange,
    GradeStep,
    change_state,
    dump,
    followed_facts,
    has_baseline,
    save_changes,
)
from ilacs.store.transactions import transaction

_KINDS_BY_TOPIC = {
    topic: (ChangeKind(f"{topic}_added"), ChangeKind(f"{topic}_changed"),
            ChangeKind(f"{topic}_removed"))
    for topic in ("inspection", "visit", "intervention")
}



def record_changes(conn: sqlite3.Connection) -> int:
    """Log how the record's facts differ from the last time this ran; return the rows added."""
    current = followed_facts(conn)
    with transaction(conn):
        known = change_state(conn)
        if not has_baseline(conn):
            rows = [_baseline_row(current)]
        else:
            rows = [*_differences(known, current)]
        save_changes(conn, rows, current, known)
    return len(rows)


def _baseline_row(current: Mapping[str, Facts]) -> tuple[object, ...]:
    counts = {topic: sum(1 for subject in current if subject.startswith(topic + ":"))
              for topic in _KINDS_BY_TOPIC}
    return (ChangeKind.BASELINE.value, "record", None, None, None,
            dump({"counts": counts}))


def _differences(known: Mapping[str, Facts],
                 current: Mapping[str, Facts]) -> Iterable[tuple[object, ...]]:
    history = _grade_history(current)
    for subject, facts in sorted(current.items()):
        before = known.get(subject)
        topic = subject.split(":", 1)[0]
        added, changed, _ = _KINDS_BY_TOPIC[topic]
        if before is None:
            details: Facts = {"facts": facts}
            if topic == "inspection":
                details["grades"] = [step.__dict__ for step in
                                     _grade_steps(subject, facts, history)]
            yield _row(added, subject, facts, details)
        elif before != facts:
            fields = [change.__dict__ for change in _field_changes(before, facts)]
            yield _row(changed, subject, facts, {"facts": facts, "fields": fields})
    for subject, facts in sorted(known.items()):
        if subject not in current:
            removed = _KINDS_BY_TOPIC[subject.split(":", 1)[0]][2]
            yield _row(removed, subject, facts, {"facts": facts})


def _row(kind: ChangeKind, subject: str, facts: Facts, details: Facts) -> tuple[object, ...]:
    topic, _, rest = subject.partition(":")
    document = rest if topic in ("inspection", "visit") else None
    published = facts.get("published") if topic != "intervention" else facts.get("start")
    return (kind.value, subject, facts.get("urn"), document, published, dump(details))


def _field_changes(before: Facts, after: Facts, prefix: str = "") -> list[FieldChange]:
    changes: list[FieldChange] = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if isinstance(old, dict) and isinstance(new, dict):
            changes.extend(_field_changes(old, new, f"{prefix}{key}."))
        elif old != new:
            changes.append(FieldChange(prefix + key, old, new))
    return changes


# Each LA's inspections as (start, published, subject, grades), to find the previous grade.
_History = dict[int, list[tuple[str, str, str, Mapping[str, str]]]]


def _grade_history(current: Mapping[str, Facts]) -> _History:
    history: _History = defaultdict(list)
    for subject, facts in current.items():
        if subject.startswith("inspection:") and facts["urn"] is not None:
            history[facts["urn"]].append((facts["start"] or facts["published"] or "",
                                          facts["published"] or "", subject, facts["grades"]))
    for rows in history.values():
        rows.sort()
    return history


def _grade_steps(subject: str, facts: Facts, history: _History) -> list[GradeStep]:
    earlier = []
    if facts["urn"] is not None:
        for row in history[facts["urn"]]:
            if row[2] == subject:
                break
            earlier.append(row)
    steps: list[GradeStep] = []
    for judgement, keys in JUDGEMENT_FAMILIES.items():
        grade = _family_grade(facts["grades"], keys)
        if grade is None:
            continue
        previous = next(((found, published) for _, published, _, grades in reversed(earlier)
                         if (found := _family_grade(grades, keys)) is not None), (None, None))
        steps.append(GradeStep(judgement, grade, *previous))
    return steps


def _family_grade(grades: Mapping[str, str], keys: tuple[str, ...]) -> str | None:
    return next((grades[key] for key in keys if key in grades), None)
