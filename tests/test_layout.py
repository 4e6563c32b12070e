"""The layout shows the architecture: each package imports only the stages below it, and the
README's architecture table gives every module its place."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "ilacs"

_BASE = frozenset({"errors", "caching", "child_process"})
_READ = _BASE | {"documents", "reference"}
_FACTS = _READ | {"extract", "statistics"}
_STORED = _FACTS | {"store"}
# What each part of ilacs may import (besides itself): dependencies point one way, from the
# commands and the web down through analysis and ingest to the store, extraction and reading.
ALLOWED: dict[str, frozenset[str]] = {
    "errors": frozenset(),
    "caching": frozenset(),
    "child_process": frozenset(),
    "documents": _BASE,
    "reference": _BASE,
    "statistics": _READ,
    "extract": _READ,
    "store": _FACTS,
    "ingest": _STORED,
    "record": _STORED | {"ingest"},
    "pipeline": _STORED | {"ingest", "record"},
    "sources": _STORED | {"ingest", "record", "pipeline"},
    "analysis": _STORED,
    "export": _STORED,
    "api": _STORED | {"analysis", "export", "record"},
    "web": _STORED | {"analysis", "export", "ingest", "record"},
    "cli": _STORED | {"analysis", "export", "ingest", "record", "pipeline", "sources", "web"},
    "ilacs": frozenset({"api"}),  # the package itself: `ilacs.open` and the version
}


def _modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if path.name != "__init__.py")


def _part(path: Path) -> str:
    """The part of ilacs a file belongs to: its package, or its own name for a module at the
    top; "ilacs" for the package's own __init__."""
    relative = path.relative_to(PACKAGE).with_suffix("")
    return "ilacs" if relative.parts == ("__init__",) else relative.parts[0]


def _imported_parts(path: Path) -> set[str]:
    parts: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "ilacs":  # `from ilacs import api` imports a part
                names = [f"ilacs.{alias.name}" for alias in node.names if alias.name in ALLOWED]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        parts |= {name.split(".")[1] for name in names if name.startswith("ilacs.")}
    return parts


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_imports_only_the_stages_below_its_own(path: Path) -> None:
    part = _part(path)
    assert part in ALLOWED, f"{part} has no place in the layering of tests/test_layout.py"
    wrong = _imported_parts(path) - ALLOWED[part] - {part}
    assert not wrong, f"ilacs.{part} ({path.name}) imports {sorted(wrong)}, above it"


def _architecture_rows() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        found = re.match(r"\| `ilacs(?:\.(\w+))?` \|(.*)\|\s*$", line)
        if found:
            rows[found.group(1) or ""] = found.group(2)
    return rows


def test_the_readme_gives_every_module_its_place() -> None:
    rows = _architecture_rows()
    missing = []
    for path in _modules():
        relative = path.relative_to(PACKAGE).with_suffix("")
        if len(relative.parts) == 1:  # a module of its own: ilacs.api, ilacs.pipeline ...
            row, name = rows.get(relative.parts[0]), None
        else:
            row, name = rows.get(relative.parts[0]), ".".join(relative.parts[1:])
        if row is None or (name is not None and f"`{name}`" not in row):
            missing.append(".".join(relative.parts))
    assert not missing, f"modules the README's architecture table does not place: {missing}"
    assert set(rows) - {""} <= {_part(path) for path in _modules()}, "a row for no package"
