"""The bundled record: the facts ilacs ships, so a new install has the record without the PDFs.

It holds facts only: which documents exist (hash, path, size, kind), each inspection's
dates, type, lead inspector, grades with the page they are printed on, and how many points
inspectors asked to improve; each visit letter's kind, dates, inspectors and visit theme;
each improvement point's themes (ilacs's own classification), section and page; and the
confirmed interventions register with its sources. It never holds page text,
improvement-point sentences, a letter's focus or headline as printed, or the judgement
wording: those stay in Ofsted's documents and are read locally by ingest.

`record_to_bundle` is deterministic (sorted, no timestamps or row ids), so the shipped file
only changes when the facts do. `load_bundle` never overwrites a document read here: a
locally ingested document always wins over the bundled facts about the same bytes.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ilacs.errors import ProblemKind, Severity, StoreError
from ilacs.extract.models import DateSource, Grade, InspectionType, TypeBasis
from ilacs.extract.themes import ThemeMatch
from ilacs.store.interventions import upsert_interventions
from ilacs.store.points import stored_themes, themes_json
from ilacs.store.records import clear_facts, stored_version
from ilacs.store.rows import DocumentKind, Origin
from ilacs.store.transactions import transaction
from ilacs.store.values import now_text

BUNDLE_FORMAT = "ilacs-record"
BUNDLE_VERSION = 2
_DOCUMENT_FIELDS = (
    "sha256", "path", "source_url", "media_type", "size", "page_count", "kind", "parser_version",
)
_INSPECTION_FIELDS = (
    "urn", "la_name_printed", "framework", "inspection_type", "inspection_type_basis",
    "inspection_start", "inspection_end", "publication_date", "publication_date_source",
    "lead_inspector", "improvement_item_count",
)
_VISIT_FIELDS = (
    "urn", "kind", "la_name_printed", "letter_date", "publication_date", "visit_start",
    "visit_end", "lead_inspector", "focus_theme", "monitoring_visit_number",
    "improvement_item_count", "priority_action_count",
)
_INTERVENTION_FIELDS = (
    "urn", "type", "partner_urn", "partner_name", "person", "start_date", "end_date", "status",
    "note", "origin",
)
# An event's quote is a source's sentence: the bundle keeps the event and its address only.
_EVENT_FIELDS = ("action", "date", "source", "note")
# Every improvement point to the authority (the board's are not counted anywhere) with the
# themes stored at extraction, whether read here or known from a bundle.
_POINTS_SQL = """
SELECT document_sha256, position, section, page, themes, themes_confident, theme_model
FROM points WHERE section != 'lscb'
"""
_PROBLEM_FIELDS = (
    "path", "kind", "severity", "message", "page", "field", "snippet", "parser_version",
)


@dataclass(frozen=True)
class BundleLoad:
    loaded: int  # documents written from the bundle
    skipped: int  # documents already stored from a local ingest, left as they were


def record_to_bundle(conn: sqlite3.Connection) -> dict[str, Any]:
    """The record's facts as a JSON-ready dict, identical for identical facts."""
    documents = [
        {name: row[name] for name in _DOCUMENT_FIELDS}
        for row in conn.execute("SELECT * FROM documents ORDER BY path, sha256")
    ]
    grades: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in conn.execute("SELECT * FROM judgements ORDER BY inspection_id, key"):
        grades[row["inspection_id"]].append(
            {"key": row["key"], "grade": row["grade"], "page": row["page"]}
        )
    strengths = _strengths(conn)
    inspections = [
        {
            "document_sha256": row["document_sha256"],
            **{name: row[name] for name in _INSPECTION_FIELDS},
            "field_pages": json.loads(row["field_pages"] or "{}"),
            "judgements": grades.get(row["id"], []),
            "strengths": strengths.get(row["id"], []),
        }
        for row in conn.execute(
            "SELECT i.* FROM inspections i JOIN documents d ON d.sha256 = i.document_sha256"
            " ORDER BY d.path, d.sha256"
        )
    ]
    problems = [
        {"document_sha256": row["document_sha256"], **{name: row[name] for name in _PROBLEM_FIELDS}}
        for row in conn.execute(
            "SELECT p.* FROM problems p JOIN documents d ON d.sha256 = p.document_sha256"
            " WHERE d.kind = 'unreadable' ORDER BY p.path, p.document_sha256, p.kind, p.message"
        )
    ]
    visits = [
        {
            "document_sha256": row["document_sha256"],
            **{name: row[name] for name in _VISIT_FIELDS},
            "inspectors": json.loads(row["inspectors"] or "[]"),
            "field_pages": json.loads(row["field_pages"] or "{}"),
        }
        for row in conn.execute(
            "SELECT v.* FROM visits v JOIN documents d ON d.sha256 = v.document_sha256"
            " ORDER BY d.path, d.sha256"
        )
    ]
    interventions = [
        {**{name: row[name] for name in _INTERVENTION_FIELDS},
         "sources": sorted(json.loads(row["sources"])),
         "events": [{name: event[name] for name in _EVENT_FIELDS} for event in conn.execute(
             "SELECT * FROM intervention_events WHERE intervention_id = ? ORDER BY "
             "date IS NULL, date, action, source", (row["id"],))]}
        for row in conn.execute(
            "SELECT i.*, (SELECT json_group_array(source) FROM intervention_sources s WHERE "
            "s.intervention_id = i.id) AS sources FROM interventions i WHERE confirmed = 1 "
            "ORDER BY urn, type, coalesce(start_date, ''), coalesce(partner_name, '')")
    ]
    return {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "documents": documents,
        "inspections": inspections,
        "visits": visits,
        "points": _points(conn),
        "interventions": interventions,
        "problems": problems,
    }


def _points(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Each improvement point's themes, section and page, by document path and position."""
    paths = dict(conn.execute("SELECT sha256, path FROM documents").fetchall())
    points = [
        {"document_sha256": sha256, "position": position, "section": section, "page": page,
         "themes": _theme_keys(paths[sha256], position, themes),
         "confident": None if confident is None else bool(confident), "theme_model": model}
        for sha256, position, section, page, themes, confident, model
        in conn.execute(_POINTS_SQL)
    ]
    return sorted(points, key=lambda p: (paths[p["document_sha256"]], p["document_sha256"],
                                         p["position"]))


def _strengths(conn: sqlite3.Connection) -> dict[int, list[dict[str, Any]]]:
    """Each inspection's strengths: source, page and theme keys, never the sentence."""
    strengths: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in conn.execute(
            "SELECT s.*, d.path FROM strengths s JOIN inspections i ON i.id = s.inspection_id "
            "JOIN documents d ON d.sha256 = i.document_sha256 "
            "ORDER BY s.inspection_id, s.position"):
        strengths[row["inspection_id"]].append({
            "position": row["position"], "source": row["source"], "page": row["page"],
            "themes": _theme_keys(row["path"], row["position"], row["themes"], "strength"),
            "confident": None if row["themes_confident"] is None else
            bool(row["themes_confident"]),
            "theme_model": row["theme_model"]})
    return strengths


def _theme_keys(path: str, position: int, stored: str | None,
                what: str = "improvement point") -> list[str]:
    if stored is None:
        raise StoreError(f"{path}, {what} {position}: stored before themes were; "
                         "ingest the document again before building a bundle")
    return [match.theme for match in stored_themes(stored) or ()]


def load_bundle(conn: sqlite3.Connection, bundle: Mapping[str, Any]) -> BundleLoad:
    """Store the bundle's facts as 'bundled' documents, in one transaction.

    Documents already ingested here are skipped; documents already bundled are replaced by
    this bundle's facts. A malformed bundle raises StoreError and stores nothing.
    """
    if bundle.get("format") != BUNDLE_FORMAT or bundle.get("version") != BUNDLE_VERSION:
        raise StoreError(
            f"this is not an ilacs record of version {BUNDLE_VERSION} (found format "
            f"{bundle.get('format')!r}, version {bundle.get('version')!r}); "
            "use the record shipped with this version of ilacs"
        )
    inspections = {item["document_sha256"]: item for item in bundle.get("inspections", [])}
    visits = {item["document_sha256"]: item for item in bundle.get("visits", [])}
    problems: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for problem in bundle.get("problems", []):
        problems[problem["document_sha256"]].append(problem)
    points: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for point in bundle.get("points", []):
        points[point["document_sha256"]].append(point)
    loaded = skipped = 0
    try:
        with transaction(conn):
            for document in bundle.get("documents", []):
                stored = stored_version(conn, document["sha256"])
                if stored is not None and stored.origin is Origin.INGESTED:
                    skipped += 1
                    continue
                _insert_document(conn, document)
                inspection = inspections.get(document["sha256"])
                if inspection is not None:
                    _insert_inspection(conn, inspection)
                visit = visits.get(document["sha256"])
                if visit is not None:
                    _insert_visit(conn, visit)
                for problem in problems.get(document["sha256"], []):
                    _insert_problem(conn, problem)
                _insert_points(conn, points.get(document["sha256"], []))
                loaded += 1
            _load_interventions(conn, bundle.get("interventions", []))
    except (KeyError, TypeError, ValueError) as error:
        raise StoreError(
            f"the bundled record is malformed ({type(error).__name__}: {error}); "
            "nothing was loaded. Regenerate it with record_to_bundle."
        ) from error
    except sqlite3.Error as error:
        raise StoreError(
            f"could not load the bundled record ({error}); nothing was loaded"
        ) from error
    return BundleLoad(loaded, skipped)


def _insert_document(conn: sqlite3.Connection, document: Mapping[str, Any]) -> None:
    values: dict[str, Any] = {name: document.get(name) for name in _DOCUMENT_FIELDS}
    values["kind"] = DocumentKind(values["kind"]).value
    conn.execute(
        """
        INSERT INTO documents (sha256, path, source_url, media_type, size, page_count, kind,
            origin, parser_version, ingested_at)
        VALUES (:sha256, :path, :source_url, :media_type, :size, :page_count, :kind,
            'bundled', :parser_version, :now)
        ON CONFLICT (sha256) DO UPDATE SET
            path = excluded.path, source_url = excluded.source_url,
            media_type = excluded.media_type, size = excluded.size,
            page_count = excluded.page_count, kind = excluded.kind, origin = 'bundled',
            parser_version = excluded.parser_version, extracted_at = NULL
        """,
        {**values, "now": now_text()},
    )
    clear_facts(conn, document["sha256"])


def _insert_inspection(conn: sqlite3.Connection, inspection: Mapping[str, Any]) -> None:
    values: dict[str, Any] = {name: inspection.get(name) for name in _INSPECTION_FIELDS}
    for name in ("inspection_start", "inspection_end", "publication_date"):
        values[name] = _iso_date(values[name])
    for name, kind in (
        ("inspection_type", InspectionType),
        ("inspection_type_basis", TypeBasis),
        ("publication_date_source", DateSource),
    ):
        values[name] = None if values[name] is None else kind(values[name]).value
    cursor = conn.execute(
        f"""
        INSERT INTO inspections (document_sha256, field_pages, {", ".join(_INSPECTION_FIELDS)})
        VALUES (:document_sha256, :field_pages, {", ".join(":" + n for n in _INSPECTION_FIELDS)})
        """,
        {
            **values,
            "document_sha256": inspection["document_sha256"],
            "field_pages": json.dumps(dict(inspection.get("field_pages") or {}), sort_keys=True),
            "improvement_item_count": int(values["improvement_item_count"] or 0),
        },
    )
    conn.executemany(
        "INSERT INTO judgements (inspection_id, key, grade, page) VALUES (?, ?, ?, ?)",
        [
            (cursor.lastrowid, j["key"], Grade(j["grade"]).value, j.get("page"))
            for j in inspection.get("judgements", [])
        ],
    )
    conn.executemany(
        "INSERT INTO strengths (inspection_id, position, source, page, themes, "
        "themes_confident, theme_model) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (cursor.lastrowid, int(s["position"]), str(s["source"]),
             None if s.get("page") is None else int(s["page"]),
             themes_json(ThemeMatch(str(key), "") for key in s["themes"]),
             None if s.get("confident") is None else int(bool(s["confident"])),
             s.get("theme_model"))
            for s in inspection.get("strengths", [])
        ],
    )


def _insert_visit(conn: sqlite3.Connection, visit: Mapping[str, Any]) -> None:
    values: dict[str, Any] = {name: visit.get(name) for name in _VISIT_FIELDS}
    for name in ("letter_date", "publication_date", "visit_start", "visit_end"):
        values[name] = _iso_date(values[name])
    conn.execute(
        f"""
        INSERT INTO visits (document_sha256, inspectors, field_pages, {", ".join(_VISIT_FIELDS)})
        VALUES (:document_sha256, :inspectors, :field_pages,
            {", ".join(":" + n for n in _VISIT_FIELDS)})
        """,
        {
            **values,
            "document_sha256": visit["document_sha256"],
            "inspectors": json.dumps(list(visit.get("inspectors") or []), ensure_ascii=False),
            "field_pages": json.dumps(dict(visit.get("field_pages") or {}), sort_keys=True),
            "improvement_item_count": int(values["improvement_item_count"] or 0),
            "priority_action_count": int(values["priority_action_count"] or 0),
        },
    )


def _insert_points(conn: sqlite3.Connection, points: list[Mapping[str, Any]]) -> None:
    rows = []
    for point in points:
        themes = point["themes"]
        if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
            raise TypeError(f"a point's themes must be a list of theme keys, found {themes!r}")
        confident = point.get("confident")
        rows.append((point["document_sha256"], int(point["position"]), str(point["section"]),
                     None if point.get("page") is None else int(point["page"]),
                     themes_json(ThemeMatch(str(key), "") for key in themes),
                     None if confident is None else int(bool(confident)),
                     point.get("theme_model")))
    conn.executemany("INSERT INTO points (document_sha256, position, section, page, "
                     "themes, themes_confident, theme_model) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     rows)


def load_bundled_interventions(conn: sqlite3.Connection, bundle: Mapping[str, Any]) -> None:
    """Only the bundle's interventions register, merged into what is here."""
    with transaction(conn):
        _load_interventions(conn, bundle.get("interventions", []))


def _load_interventions(conn: sqlite3.Connection, items: Any) -> None:
    """The register's confirmed entries, merged into what is here."""
    upsert_interventions(conn, [
        {**{name: item.get(name) for name in _INTERVENTION_FIELDS},
         "sources": [str(source) for source in item.get("sources", [])],
         "events": [{name: event.get(name) for name in _EVENT_FIELDS} | {"quote": None}
                    for event in item.get("events", [])]}
        for item in items
    ], origin="bundle")


def _insert_problem(conn: sqlite3.Connection, problem: Mapping[str, Any]) -> None:
    values: dict[str, Any] = {name: problem.get(name) for name in _PROBLEM_FIELDS}
    values["kind"] = ProblemKind(values["kind"]).value
    values["severity"] = Severity(values["severity"]).value
    conn.execute(
        f"""
        INSERT INTO problems (document_sha256, recorded_at, {", ".join(_PROBLEM_FIELDS)})
        VALUES (:document_sha256, :now, {", ".join(":" + n for n in _PROBLEM_FIELDS)})
        """,
        {**values, "document_sha256": problem["document_sha256"], "now": now_text()},
    )


def _iso_date(value: object) -> str | None:
    """Check a bundled date is a real ISO date before storing it as one."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"a date must be ISO text, found {value!r}")
    return date.fromisoformat(value).isoformat()
