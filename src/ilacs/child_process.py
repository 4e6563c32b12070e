"""Running one of ilacs's own modules in a child process of this interpreter: work that
loads large libraries (scikit-learn, pandas, Arrow) is done there, and the memory goes with
the child when it exits. A plain child rather than a multiprocessing pool: a pool that
spawns re-runs the parent's main script, which a program serving the dashboard may not
guard."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence


class ChildFailed(Exception):
    """The child exited with an error or ran past its time; says what it said last."""


def run_module(module: str, arguments: Sequence[str], timeout: float) -> bytes:
    """What `python -m module arguments…` wrote to standard output."""
    try:
        done = subprocess.run([sys.executable, "-m", module, *arguments],
                              capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as error:
        raise ChildFailed(f"it took over {timeout:g} s and was stopped") from error
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChildFailed(said[-1] if said else f"exit status {done.returncode}")
    return done.stdout
