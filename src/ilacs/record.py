"""Operations on the record that the CLI, the web and ingest share: keeping the authorities
table in step with the register, and loading the bundled record and register."""

from __future__ import annotations

import json
import sqlite3
from functools import lru_cache
from importlib import resources
from typing import Any

from ilacs.ingest.settle import settle
from ilacs.reference import load_register
from ilacs.store import BundleLoad, load_bundle, sync_authorities
from ilacs.store.bundle import load_bundled_interventions

BUNDLE_PACKAGE = "ilacs.store"
BUNDLE_FILE = "data/bundled_record.json"


def ensure_authorities(conn: sqlite3.Connection) -> None:
    """Mirror the reference register into the authorities table (cheap, idempotent)."""
    register = load_register()
    count = conn.execute("SELECT count(*) FROM authorities").fetchone()[0]
    if count != len(register.all(include_defunct=True)):
        sync_authorities(conn, register.all(include_defunct=True))


@lru_cache(maxsize=1)
def bundled_record() -> dict[str, Any]:
    """The facts ilacs extracted from the shared corpus, shipped with the package."""
    text = (resources.files(BUNDLE_PACKAGE) / BUNDLE_FILE).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def load_bundled_record(conn: sqlite3.Connection) -> BundleLoad:
    """The bundled facts and official figures; what was ingested or loaded here is kept."""
    from ilacs.ingest.statistics import load_bundled_statistics

    ensure_authorities(conn)
    loaded = load_bundle(conn, bundled_record())
    load_bundled_statistics(conn)
    settle(conn)
    return loaded


# Origins of the register's curated entries (the shipped seed and the sourced events).
_CURATED_ORIGINS = ("seed", "events")


def ensure_register(conn: sqlite3.Connection) -> None:
    """The bundled interventions register, loaded once into a record that lacks it, so that
    a record built by `ilacs ingest` knows the register `ilacs build` knows."""
    curated = conn.execute(
        f"SELECT 1 FROM interventions WHERE origin IN ({', '.join('?' * len(_CURATED_ORIGINS))})"
        " LIMIT 1", _CURATED_ORIGINS).fetchone()
    if curated is None:
        load_bundled_interventions(conn, bundled_record())
