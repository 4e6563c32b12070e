"""Serving source documents: only files whose bytes still match the record's sha256."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from ilacs.export.tables import report_link
from ilacs.store.documents import DocumentRef
from ilacs.store.rows import Origin
from ilacs.web.snapshot import Snapshot

MEDIA_TYPES = {".pdf": "application/pdf", ".html": "text/html", ".htm": "text/html",
               ".txt": "text/plain"}


def locate(snapshot: Snapshot, ref: DocumentRef, roots: Sequence[Path]) -> Path | None:
    """The file holding exactly this document's bytes, if this machine has it. Where it was
    found is kept (hashing a file is the slow part), but checked to be there still: a folder
    moved while the server runs must give a 404 that says so, not an error."""
    found = snapshot.memo(("document-file", ref.sha256), lambda: _find(ref, roots))
    if found is None or found.is_file():
        return found
    return _find(ref, roots)


def _find(ref: DocumentRef, roots: Sequence[Path]) -> Path | None:
    candidates = [Path(ref.location)] if ref.location else []
    candidates += [root / ref.path for root in roots]
    for candidate in candidates:
        if candidate.is_file() and _sha256(candidate) == ref.sha256:
            return candidate
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_type(ref: DocumentRef) -> str:
    return MEDIA_TYPES.get(Path(ref.path).suffix.lower(), "application/octet-stream")


def where_published(snapshot: Snapshot, ref: DocumentRef) -> str | None:
    """Where the public can read the document on Ofsted's website: the address it was
    downloaded from, else the authority's page of reports."""
    if ref.source_url:
        return ref.source_url
    urn = snapshot.memo("document-urns", lambda: _document_urns(snapshot)).get(ref.path)
    return report_link(urn) if urn is not None else None


def _document_urns(snapshot: Snapshot) -> dict[str, int]:
    """Each report's and letter's authority, by the document's path (the lowest URN where a
    document names two)."""
    found: dict[str, int] = {}
    rows = [(row.document_path, row.urn) for row in snapshot.record.inspections]
    rows += [(visit.document_path, visit.urn) for visit in snapshot.record.visits]
    for path, urn in rows:
        if path is not None and urn is not None:
            found[path] = min(urn, found.get(path, urn))
    return found


def how_to_add(ref: DocumentRef) -> str:
    if ref.origin is Origin.BUNDLED:
        return ("This record was built from ilacs's bundled facts, which do not include the "
                "documents themselves. Start the dashboard with `ilacs serve --documents "
                "FOLDER` pointing at your copy of the reports, or `ilacs ingest` them.")
    if ref.location is None:
        return ("The record does not say where this file was read from (it was ingested "
                "before ilacs kept file locations). Ingest its folder again with `ilacs ingest "
                "FOLDER`, which records where each file is, or start the dashboard with "
                "`ilacs serve --documents FOLDER`.")
    return ("The file it was read from has moved or changed since. Ingest its "
            "folder again with `ilacs ingest FOLDER`, which records where each file is now, "
            "or start the dashboard with `ilacs serve --documents FOLDER`.")
