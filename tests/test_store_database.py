"""ilacs.store.database: finding, opening and refusing database files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ilacs.errors import StoreError
from ilacs.store import open_store, resolve_db_path
from ilacs.store.migrations import MIGRATIONS
from ilacs.store.transactions import transaction


def test_resolve_db_path_prefers_the_option_then_the_environment_then_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ILACS_DB", raising=False)
    assert resolve_db_path(None) == tmp_path / "ilacs.db"
    monkeypatch.setenv("ILACS_DB", "/data/from-env.db")
    assert resolve_db_path(None) == Path("/data/from-env.db")
    assert resolve_db_path("explicit.db") == Path("explicit.db")


def test_open_store_creates_the_folder_and_sets_up_the_connection(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "ilacs.db"
    conn = open_store(path)
    assert path.exists()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    row = conn.execute("SELECT count(*) AS n FROM documents").fetchone()
    assert isinstance(row, sqlite3.Row) and row["n"] == 0


def test_open_store_reopens_an_existing_database(tmp_path: Path) -> None:
    path = tmp_path / "ilacs.db"
    open_store(path).close()
    conn = open_store(path)
    assert conn.execute("SELECT count(*) FROM _migrations").fetchone()[0] == len(MIGRATIONS)


def test_open_store_refuses_a_folder_naming_it(tmp_path: Path) -> None:
    folder = tmp_path / "a_folder"
    folder.mkdir()
    with pytest.raises(StoreError, match="a_folder") as raised:
        open_store(folder)
    assert raised.value.path == str(folder)


def test_open_store_refuses_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("these are notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="notes.db.*SQLite file"):
        open_store(not_a_db)
    assert not_a_db.read_text().startswith("these are notes")


def test_nested_transaction_rolls_back_alone(tmp_path: Path) -> None:
    conn = open_store(tmp_path / "ilacs.db")
    with transaction(conn):
        conn.execute("INSERT INTO authorities VALUES (1, '1', 'E1', 'One', 'one', NULL, NULL,"
                     " NULL, NULL, 1)")
        with pytest.raises(ZeroDivisionError), transaction(conn):
            conn.execute("INSERT INTO authorities VALUES (2, '2', 'E2', 'Two', 'two', NULL,"
                         " NULL, NULL, NULL, 1)")
            raise ZeroDivisionError
    assert [row[0] for row in conn.execute("SELECT urn FROM authorities")] == [1]
