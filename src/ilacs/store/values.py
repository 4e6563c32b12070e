"""How Python values are written to SQLite: ISO dates and times, enum values."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def date_text(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def text_date(value: str | None) -> date | None:
    """An ISO date as stored, read back (None stays None)."""
    return None if value is None else date.fromisoformat(value)


def enum_text(value: Enum | None) -> str | None:
    return None if value is None else str(value.value)
