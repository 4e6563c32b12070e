"""The authorities table: a copy of the reference register, so queries can join on URN.

The register itself lives in `ilacs.reference`; the store takes its records as an argument
(anything shaped like `ilacs.reference.Authority`) instead of importing it, so the store
works and is tested without the register, and the register can change without the store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Protocol

from ilacs.errors import StoreError
from ilacs.store.transactions import transaction


class AuthorityLike(Protocol):
    """What the store needs of a register entry (satisfied by `ilacs.reference.Authority`)."""

    @property
    def urn(self) -> int: ...
    @property
    def la_code(self) -> str: ...
    @property
    def ons_code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def slug(self) -> str: ...
    @property
    def region_code(self) -> str | None: ...
    @property
    def region_name(self) -> str | None: ...
    @property
    def la_type(self) -> str | None: ...
    @property
    def population(self) -> int | None: ...
    @property
    def active(self) -> bool: ...


def sync_authorities(conn: sqlite3.Connection, authorities: Iterable[AuthorityLike]) -> int:
    """Make the authorities table equal to `authorities`; return how many it now holds.

    Pass the whole register, defunct authorities included (`register.all(include_defunct=
    True)`), so that inspections of a predecessor such as Northamptonshire still join to a
    name. Inspections are never touched: they refer to authorities by URN only.
    """
    rows = [
        (
            a.urn, a.la_code, a.ons_code, a.name, a.slug, _text(a.region_code),
            _text(a.region_name), _text(a.la_type), a.population, int(bool(a.active)),
        )
        for a in authorities
    ]
    try:
        with transaction(conn):
            conn.execute("DELETE FROM authorities")
            conn.executemany(
                """
                INSERT INTO authorities (urn, la_code, ons_code, name, slug, region_code,
                    region_name, la_type, population, active)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                rows,
            )
    except sqlite3.IntegrityError as error:
        raise StoreError(
            f"could not store the register of authorities ({error}); check the register "
            "for a repeated URN or a missing code"
        ) from error
    return len(rows)


def _text(value: object) -> str | None:
    """Register fields may be str enums; store their value, never their repr."""
    if value is None:
        return None
    return str(getattr(value, "value", value))
