"""Hand-made label files: JSON lines read with their line numbers, and the hashes labels keep
instead of the corpus's sentences (a label names a text, it never copies it)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ilacs.errors import IlacsError


def text_hash(text: str) -> str:
    """What a label keeps of its point's text: enough to see the numbering drift."""
    return hashlib.sha1(re.sub(r"\s+", " ", text).strip().casefold().encode()).hexdigest()[:10]


def loose_hash(text: str) -> str:
    """What a label keeps of a text that may be printed with other spacing, punctuation or
    quotes (a board's points, a letter's headline): its letters and digits, case folded."""
    return hashlib.sha1(re.sub(r"[^0-9a-z]", "", text.casefold()).encode()).hexdigest()[:10]


def label_rows(path: Path, fields: Sequence[str],
               error: type[IlacsError]) -> list[tuple[int, dict[str, Any]]]:
    """Each label of a JSON-lines file with its line number; `error` names the line of one
    that is not a JSON object with every one of `fields`."""
    rows = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            missing = [name for name in fields if name not in row]
        except (json.JSONDecodeError, TypeError) as problem:
            raise error(f"{path}, line {number}: expected a JSON object with "
                        f"{', '.join(fields)} ({problem})") from problem
        if missing:
            raise error(f"{path}, line {number}: expected a JSON object with "
                        f"{', '.join(fields)} (no {', '.join(missing)})")
        rows.append((number, row))
    return rows
