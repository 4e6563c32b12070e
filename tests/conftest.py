"""Shared fixtures. The corpus is read from ../shared (beside the repository), never copied;
each corpus PDF is read and extracted once per test session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ilacs.documents import Document, read_document
from ilacs.errors import DocumentError, Problem
from ilacs.extract import Extraction, extract_report

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REPORTS = SHARED / "corpus" / "reports"
LABELS = SHARED / "corpus" / "labels.jsonl"


def require_shared() -> None:
    if not REPORTS.is_dir():
        pytest.skip(f"SKIPPED LOUDLY: the shared corpus is not at {SHARED}; tests that read the "
                    "real reports need ../shared beside the repository")


def load_report_labels() -> list[dict[str, Any]]:
    if not LABELS.is_file():
        return []
    with LABELS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class CorpusRun:
    """Every report file of the shared corpus, read and extracted once."""

    def __init__(self) -> None:
        self.documents: dict[str, Document] = {}
        self.extractions: dict[str, Extraction] = {}
        self.unreadable: dict[str, Problem] = {}
        for path in sorted(REPORTS.rglob("*.pdf")):
            relative = path.relative_to(REPORTS).as_posix()
            try:
                document = read_document(path, display_path=relative)
            except DocumentError as error:
                self.unreadable[relative] = error.problem
                continue
            self.documents[relative] = document
            self.extractions[relative] = extract_report(document)


@pytest.fixture(scope="session")
def corpus() -> CorpusRun:
    require_shared()
    return CorpusRun()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    require_shared()
    return SHARED
