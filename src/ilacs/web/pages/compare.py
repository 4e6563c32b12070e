"""Comparing authorities: several side by side, or one with its neighbours, region and England."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ilacs.analysis.benchmark import benchmark
from ilacs.analysis.grades import JUDGEMENT_NAMES
from ilacs.errors import AnalysisError
from ilacs.web.pages.authority import NEIGHBOUR_MODEL
from ilacs.web.pages.common import (
    AuthorityRef,
    BadParameter,
    Distribution,
    GradeCell,
    Option,
    authority_ref,
    authority_refs,
    distribution,
    grade_cells,
    judgement_options,
)
from ilacs.web.snapshot import Snapshot

MAX_AUTHORITIES = 20


@dataclass(frozen=True)
class CompareRow:
    authority: AuthorityRef
    role: str  # "chosen", or "neighbour 3" for the third most similar
    inspected: date | None
    grades: tuple[GradeCell, ...]


@dataclass(frozen=True)
class GroupRow:
    """The grades of a group of authorities (neighbours, a region, England) for each judgement."""

    label: str
    distributions: tuple[Distribution, ...]  # in the order of `ComparePage.judgements`


@dataclass(frozen=True)
class ComparePage:
    judgements: tuple[Option, ...]
    chosen: tuple[int, ...]
    with_neighbours: bool
    rows: tuple[CompareRow, ...]
    groups: tuple[GroupRow, ...]  # each chosen authority's neighbours and region, then England
    choices: tuple[AuthorityRef, ...]  # every active authority, for the form


def parse_urns(snapshot: Snapshot, values: Sequence[str]) -> tuple[int, ...]:
    urns: list[int] = []
    for value in values:
        for part in value.split(","):
            text = part.strip()
            if not text:
                continue
            if not text.isdigit() or snapshot.record.authority(int(text)) is None:
                raise BadParameter(f"la={text!r} is not the URN of a local authority (e.g. "
                                   "la=80419); each LA's URN is in its page address")
            if int(text) not in urns:
                urns.append(int(text))
    if len(urns) > MAX_AUTHORITIES:
        raise BadParameter(f"compare at most {MAX_AUTHORITIES} authorities at once")
    return tuple(urns)


def compare_page(snapshot: Snapshot, urns: tuple[int, ...], with_neighbours: bool) -> ComparePage:
    rows = [_row(snapshot, urn, "chosen") for urn in urns]
    groups: dict[str, GroupRow] = {}  # by label: two chosen authorities may share a region
    for index, urn in enumerate(urns):
        try:
            found = benchmark(snapshot.record, urn, NEIGHBOUR_MODEL)
        except AnalysisError:  # no neighbours: a predecessor authority, say
            continue
        if with_neighbours and index == 0:
            rows += [_row(snapshot, n.current.urn, f"neighbour {n.rank}")
                     for n in found.judgements[0].neighbours if n.current.urn not in urns]
        for position, label in enumerate(_group_labels(found.authority.name,
                                                       found.authority.region_name)):
            groups.setdefault(label, GroupRow(label, tuple(
                distribution(JUDGEMENT_NAMES[result.judgement],
                             result.standings[position].counts)
                for result in found.judgements)))
    england = groups.pop("England", None)
    return ComparePage(
        judgements=judgement_options(), chosen=urns, with_neighbours=with_neighbours,
        rows=tuple(rows), groups=(*groups.values(), *([england] if england else [])),
        choices=authority_refs(snapshot),
    )


def _group_labels(name: str, region: str) -> tuple[str, str, str]:
    # In the order `benchmark` gives standings: neighbours, region, England.
    return (f"{name}'s statistical neighbours ({NEIGHBOUR_MODEL})", region, "England")


def _row(snapshot: Snapshot, urn: int, role: str) -> CompareRow:
    authority = snapshot.record.register.by_urn(urn)
    latest = snapshot.record.latest_inspection(urn)
    return CompareRow(authority_ref(authority), role, latest.date if latest else None,
                      grade_cells(snapshot, latest))
