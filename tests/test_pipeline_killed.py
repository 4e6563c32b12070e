"""An ingest killed with kill -9 takes its worker processes with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPORTS, require_shared


def _children(pid: int) -> list[int]:
    listing = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in listing.read_text().split()] if listing.exists() else []


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for a parent to collect it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def test_workers_end_when_their_ingest_is_killed(tmp_path: Path) -> None:
    require_shared()
    ingest = subprocess.Popen(
        [sys.executable, "-c", "from ilacs.cli import cli; cli()",
         "--db", str(tmp_path / "ilacs.db"), "ingest", str(REPORTS), "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline and ingest.poll() is None:
            time.sleep(0.1)
            workers = _children(ingest.pid)
        assert len(workers) >= 2, "the ingest never started its workers"
        os.kill(ingest.pid, signal.SIGKILL)
        ingest.wait()
        deadline = time.monotonic() + 10
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(map(_alive, workers)), "workers outlived the killed ingest"
    finally:
        for pid in [ingest.pid, *workers]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
