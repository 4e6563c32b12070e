"""The downloads page gives each export file's size once the file is made for the record's
version: made on first request, or all of them ahead when the server is asked to prepare
them (`ilacs serve` does). A small record on disk, a real server."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from ilacs.record import ensure_authorities
from ilacs.web import WebSettings
from ilacs.web.render import file_size
from test_store_factories import fresh_store, make_report, save_report
from web_server import running_server


def _small_record(tmp_path: Path) -> Path:
    conn = fresh_store(tmp_path)
    ensure_authorities(conn)
    save_report(conn, make_report(grade="good", strengths=("Leaders are ambitious.",)))
    conn.close()
    return tmp_path / "store" / "ilacs.db"


def _sizes(client: httpx.Client) -> dict[str, int | None]:
    return {f["filename"]: f["size"] for f in client.get("/downloads.json").json()["files"]}


def test_a_file_made_on_request_then_shows_its_size(tmp_path: Path) -> None:
    db = _small_record(tmp_path)
    with running_server(WebSettings(db_path=db)) as base, \
            httpx.Client(base_url=base, timeout=60) as client:
        before = _sizes(client)
        assert len(before) == 12 and set(before.values()) == {None}
        assert "made when first asked for" in client.get("/downloads").text
        made = client.get("/downloads/ilacs_latest.csv")
        assert made.status_code == 200
        after = _sizes(client)
        assert after["ilacs_latest.csv"] == len(made.content)
        assert {name for name, size in after.items() if size is not None} == {
            "ilacs_latest.csv"}
        assert file_size(len(made.content)) in client.get("/downloads").text


def test_a_server_that_prepares_downloads_sizes_every_file(tmp_path: Path) -> None:
    db = _small_record(tmp_path)
    with running_server(WebSettings(db_path=db, prepare_downloads=True)) as base, \
            httpx.Client(base_url=base, timeout=60) as client:
        deadline = time.monotonic() + 120
        while not client.get("/status.json").json()["downloads"]:
            assert time.monotonic() < deadline, "the export files were not made in 120 s"
            time.sleep(0.2)
        sizes = _sizes(client)
        for name, size in sizes.items():
            served = client.get(f"/downloads/{name}")
            assert served.status_code == 200 and size == len(served.content), name


def test_sizes_read_as_people_read_them() -> None:
    assert [file_size(n) for n in (512, 14_400, 2_345_678)] == ["512 bytes", "14 KB", "2.3 MB"]
