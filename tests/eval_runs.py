"""Running an `ilacs eval` command that reads labelled documents afresh, on a few labels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from ilacs.cli import cli


def eval_first_labels(command: str, labels: Path, count: int, corpus: Path,
                      folder: Path) -> dict[str, Any]:
    """`ilacs eval COMMAND` with --json on the first `count` lines of `labels`: its summary."""
    some = folder / "labels.jsonl"
    some.write_text("".join(labels.read_text("utf-8").splitlines(keepends=True)[:count]),
                    "utf-8")
    result = CliRunner().invoke(cli, ["eval", command, str(some), "--corpus", str(corpus),
                                      "--json"], obj={}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    found: dict[str, Any] = json.loads(result.output)
    return found
