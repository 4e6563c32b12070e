"""How Python values are written to SQLite: ISO dates and times, enum values."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def date_text(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def enum_text(value: Enum | None) -> str | None:
    return None if value is None else str(value.value)
