"""The downloads page gives each export file's size once the file is made for the record's
version: made on first request, or all of them ahead when the server is asked to prepare
them (`ilacs serve` does). A small record on disk, a real server."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from ilacs.export.own_process import export_in_own_process
from ilacs.export.registry import ExportError, export_record
from ilacs.export.tables import Selection
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


def test_a_child_process_writes_what_the_cli_writes(tmp_path: Path) -> None:
    db = _small_record(tmp_path)
    wanted = [("csv", Selection.LATEST, tmp_path / "child" / "latest.csv"),
              ("json", Selection.RECORD, tmp_path / "child" / "record.json"),
              ("csv", Selection.STATISTICS, tmp_path / "child" / "statistics.csv")]
    export_in_own_process(db, wanted)
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    for format, selection, made in wanted:
        here = export_record(conn, format, tmp_path / "here" / made.name,
                             latest=selection is Selection.LATEST,
                             statistics=selection is Selection.STATISTICS)
        assert made.read_bytes() == here.read_bytes(), made.name


def test_a_child_that_cannot_read_the_record_names_it_and_the_files(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-record.db"
    with pytest.raises(ExportError) as raised:
        export_in_own_process(missing, [("csv", Selection.LATEST, tmp_path / "latest.csv")])
    said = str(raised.value)
    assert "latest.csv" in said and str(missing) in said and "unable to open" in said
    assert not (tmp_path / "latest.csv").exists()


def test_the_server_makes_a_download_without_loading_pandas_or_arrow(tmp_path: Path) -> None:
    """The app's own process asks for a Parquet file and a workbook; the libraries that write
    them stay out of it (they load in the child, which exits)."""
    db = _small_record(tmp_path)
    script = (
        "import sys, httpx, asyncio\n"
        "from pathlib import Path\n"
        "from ilacs.web import WebSettings\n"
        "from ilacs.web.app import create_app\n"
        "async def main():\n"
        "    app = create_app(WebSettings(db_path=Path(sys.argv[1]), warm=False))\n"
        "    transport = httpx.ASGITransport(app=app)\n"
        "    async with httpx.AsyncClient(transport=transport, base_url='http://x') as c:\n"
        "        for name in ('ilacs_record.parquet', 'ilacs_latest.xlsx'):\n"
        "            response = await c.get('/downloads/' + name)\n"
        "            print(name, response.status_code, len(response.content))\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in ('pandas', 'pyarrow', 'openpyxl') if m in sys.modules))\n")
    ran = subprocess.run([sys.executable, "-c", script, str(db)], capture_output=True,
                         text=True, check=True)
    lines = ran.stdout.splitlines()
    for line in lines[:2]:
        name, status, size = line.split()
        assert status == "200" and int(size) > 1000, line
    assert lines[2] == "[]", ran.stdout
