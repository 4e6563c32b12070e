"""The change log as stored: what the record learned, and when.

Rows of `changes` are written by the ingest stage (`ilacs.ingest.changes` decides what
differs since `change_state` was last saved); this module reads and writes them and reads
the facts the log follows.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

Facts = dict[str, Any]


class ChangeKind(StrEnum):
    BASELINE = "baseline"
    INSPECTION_ADDED = "inspection_added"
    INSPECTION_CHANGED = "inspection_changed"
    INSPECTION_REMOVED = "inspection_removed"
    VISIT_ADDED = "visit_added"
    VISIT_CHANGED = "visit_changed"
    VISIT_REMOVED = "visit_removed"
    INTERVENTION_ADDED = "intervention_added"
    INTERVENTION_CHANGED = "intervention_changed"
    INTERVENTION_REMOVED = "intervention_removed"
    STATISTICS_ADDED = "statistics_added"
    STATISTICS_CHANGED = "statistics_changed"


@dataclass(frozen=True)
class FieldChange:
    field: str  # e.g. "published", or "grades.overall_effectiveness"
    before: Any
    after: Any


@dataclass(frozen=True)
class GradeStep:
    """A judgement in a newly recorded inspection, beside the LA's previous grade for it."""

    judgement: str  # a judgement family (see ilacs.extract.judgements)
    grade: str
    previous: str | None
    previous_published: str | None


@dataclass(frozen=True)
class Change:
    id: int
    recorded_at: datetime
    kind: ChangeKind
    subject: str  # "inspection:<sha256>", "visit:<sha256>", "intervention:<urn>:<type>:..."
    urn: int | None
    la_name: str | None
    document_sha256: str | None
    published: date | None  # Ofsted's publication date (an intervention's start)
    facts: Facts  # the facts as they now stand (as they were, for a removal)
    fields: tuple[FieldChange, ...]  # for a change: what differs
    grades: tuple[GradeStep, ...]  # for a new inspection: each judgement against the last
    counts: Mapping[str, int]  # for the baseline: what the record held


def append_change(conn: sqlite3.Connection, kind: ChangeKind, subject: str,
                  facts: Facts) -> None:
    """Log one change that is not a difference of the facts `record_changes` follows (a
    statistics data set loaded or replaced), in the caller's transaction."""
    when = datetime.now(UTC).isoformat(timespec="milliseconds")
    conn.execute(
        "INSERT INTO changes (recorded_at, kind, subject, urn, document_sha256, published, "
        "details) VALUES (?, ?, ?, NULL, NULL, NULL, ?)",
        (when, kind.value, subject, dump({"facts": facts})))


def list_changes(conn: sqlite3.Connection, since: date | datetime | None = None,
                 urn: int | None = None, kinds: Iterable[ChangeKind] = (),
                 limit: int | None = None) -> list[Change]:
    """Changes recorded at or after `since`, newest first (then by publication, newest
    first); `kinds` empty means every kind."""
    clauses: list[str] = ["1"]
    params: list[object] = []
    if since is not None:
        clauses.append("c.recorded_at >= ?")
        # Stored times are UTC, so a time is compared in UTC (a date is a UTC day).
        params.append(since.astimezone(UTC).isoformat(timespec="milliseconds")
                      if isinstance(since, datetime) else since.isoformat())
    if urn is not None:
        clauses.append("c.urn = ?")
        params.append(urn)
    wanted = [kind.value for kind in kinds]
    if wanted:
        clauses.append(f"c.kind IN ({', '.join('?' * len(wanted))})")
        params.extend(wanted)
    sql = f"""
        SELECT c.id, c.recorded_at, c.kind, c.subject, c.urn, a.name, c.document_sha256,
            c.published, c.details
        FROM changes c LEFT JOIN authorities a ON a.urn = c.urn
        WHERE {' AND '.join(clauses)}
        ORDER BY c.recorded_at DESC, c.published DESC, c.id DESC"""
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_to_change(row) for row in conn.execute(sql, params)]


def latest_change_time(conn: sqlite3.Connection) -> datetime | None:
    row = conn.execute("SELECT max(recorded_at) FROM changes").fetchone()
    return datetime.fromisoformat(row[0]) if row and row[0] else None


def change_state(conn: sqlite3.Connection) -> dict[str, Facts]:
    """The followed facts as they were saved last time, by subject."""
    return {row[0]: json.loads(row[1]) for row in
            conn.execute("SELECT subject, facts FROM change_state")}


def has_baseline(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM changes WHERE kind = ? LIMIT 1",
                        (ChangeKind.BASELINE.value,)).fetchone() is not None


def save_changes(conn: sqlite3.Connection, rows: Sequence[tuple[object, ...]],
                 current: Mapping[str, Facts], known: Mapping[str, Facts]) -> None:
    """Append `rows` (kind, subject, urn, document, published, details) to the log, stamped
    now, and save `current` as the state the next comparison starts from; in the caller's
    transaction."""
    # Milliseconds, so that `since` tells apart two runs in the same second.
    when = datetime.now(UTC).isoformat(timespec="milliseconds")
    conn.executemany(
        "INSERT INTO changes (recorded_at, kind, subject, urn, document_sha256, published, "
        "details) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(when, *row) for row in rows])
    conn.executemany("DELETE FROM change_state WHERE subject = ?",
                     [(subject,) for subject in known if subject not in current])
    conn.executemany(
        "INSERT INTO change_state (subject, facts) VALUES (?, ?) "
        "ON CONFLICT (subject) DO UPDATE SET facts = excluded.facts",
        [(subject, dump(facts)) for subject, facts in current.items()
         if known.get(subject) != facts])


def followed_facts(conn: sqlite3.Connection) -> dict[str, Facts]:
    """The facts the change log follows, by subject: each inspection's dates and grades,
    each visit, each intervention."""
    facts: dict[str, Facts] = {}
    grades: dict[int, dict[str, str]] = defaultdict(dict)
    for inspection_id, key, grade in conn.execute(
            "SELECT inspection_id, key, grade FROM judgements"):
        grades[inspection_id][key] = grade
    for row in conn.execute(
            "SELECT id, document_sha256, urn, framework, inspection_type, inspection_start, "
            "inspection_end, publication_date FROM inspections"):
        facts[f"inspection:{row[1]}"] = {
            "urn": row[2], "framework": row[3], "inspection_type": row[4], "start": row[5],
            "end": row[6], "published": row[7], "grades": dict(sorted(grades[row[0]].items()))}
    for row in conn.execute(
            "SELECT document_sha256, urn, kind, visit_start, visit_end, publication_date, "
            "focus_theme FROM visits"):
        facts[f"visit:{row[0]}"] = {"urn": row[1], "kind": row[2], "start": row[3],
                                    "end": row[4], "published": row[5], "focus": row[6]}
    for row in conn.execute(
            "SELECT urn, type, partner_name, start_date, end_date, status, confirmed, person "
            "FROM interventions"):
        # the person (a commissioner's name) only where there is one, so that the subjects
        # of interventions logged before people were recorded stay the same
        subject = (f"intervention:{row[0]}:{row[1]}:{row[2] or ''}:{row[3] or ''}"
                   + (f":{row[7]}" if row[7] else ""))
        facts[subject] = {"urn": row[0], "type": row[1], "partner": row[2], "start": row[3],
                          "end": row[4], "status": row[5], "confirmed": bool(row[6]),
                          **({"person": row[7]} if row[7] else {})}
    return facts


def dump(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _to_change(row: sqlite3.Row | tuple[Any, ...]) -> Change:
    details = json.loads(row[8])
    return Change(
        id=row[0], recorded_at=datetime.fromisoformat(row[1]), kind=ChangeKind(row[2]),
        subject=row[3], urn=row[4], la_name=row[5], document_sha256=row[6],
        published=date.fromisoformat(row[7]) if row[7] else None,
        facts=details.get("facts", {}),
        fields=tuple(FieldChange(**item) for item in details.get("fields", ())),
        grades=tuple(GradeStep(**item) for item in details.get("grades", ())),
        counts=details.get("counts", {}))
