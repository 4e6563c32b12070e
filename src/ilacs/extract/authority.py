"""Resolve the authority a document names to its Ofsted URN through the reference register."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from ilacs.errors import Problem, ProblemKind
from ilacs.reference import UnknownAuthority, load_register

# Ofsted's own layout, kept by the shared corpus and by `ilacs update`: <urn>_<la name>/<file>
_FOLDER_URN = re.compile(r"^(\d{5,8})_")


@dataclass(frozen=True)
class Resolution:
    urn: int | None
    source: str | None  # "name", "name and folder", "folder"
    problem: Problem | None = None


def urn_from_path(path: str) -> int | None:
    for part in reversed(PurePosixPath(path.replace("\\", "/")).parts[:-1]):
        match = _FOLDER_URN.match(part)
        if match:
            return int(match.group(1))
    return None


def resolve_authority(name: str | None, path: str, page: int | None = None) -> Resolution:
    """The URN of the authority named, checked against the provider folder when there is one.
    A name shared by several authorities is settled by the folder; a name that matches none
    falls back to the folder with a problem saying so."""
    register = load_register()
    folder_urn = urn_from_path(path)
    if folder_urn is not None:
        try:
            register.by_urn(folder_urn)
        except UnknownAuthority:
            folder_urn = None
    candidates = register.match_all(name) if name else ()
    urns = [authority.urn for authority in candidates]
    if folder_urn is not None and folder_urn in urns:
        return Resolution(folder_urn, "name and folder")
    if len(urns) == 1:
        problem = None
        if folder_urn is not None:
            problem = Problem(
                ProblemKind.UNKNOWN_AUTHORITY,
                f"the report names {name!r} (URN {urns[0]}) but sits in the folder of URN "
                f"{folder_urn}; the name was used",
                path, page=page, field="urn",
            )
        return Resolution(urns[0], "name", problem)
    if folder_urn is not None:
        return Resolution(folder_urn, "folder")
    described = "no authority name" if not name else f"the name {name!r}"
    return Resolution(None, None, Problem(
        ProblemKind.UNKNOWN_AUTHORITY,
        f"{described} could not be matched to a local authority in the register; add an alias "
        "to the reference register or put the file in a '<urn>_<name>' folder",
        path, page=page, field="la_name",
    ))


def resolve_printed_names(names: Sequence[str], path: str, page: int | None = None
                          ) -> tuple[str | None, Resolution]:
    """The first of the names a document prints (most telling first) that is an authority of
    the register, with its URN. When none is, no name is kept: the URN comes from the folder
    where there is one, and a problem names what was read."""
    tried = [name for name in dict.fromkeys(names) if name]
    resolved = [(name, resolve_authority(name, path, page)) for name in tried]
    for wanted in ("name and folder", "name"):  # a name the folder agrees with comes first
        for name, resolution in resolved:
            if resolution.source == wanted:
                return name, resolution
    read = ", ".join(repr(name) for name in tried) or "no name"
    folder = resolve_authority(None, path, page)
    if folder.urn is not None:
        return None, Resolution(folder.urn, "folder", Problem(
            ProblemKind.UNKNOWN_AUTHORITY,
            f"the document names no authority of the register (read: {read}); the URN of its "
            f"folder ({folder.urn}) was used and no printed name is kept",
            path, page=page, field="la_name"))
    return None, Resolution(None, None, Problem(
        ProblemKind.UNKNOWN_AUTHORITY,
        f"the document names no authority of the register (read: {read}); add an alias to "
        "the reference register or put the file in a '<urn>_<name>' folder",
        path, page=page, field="la_name"))
