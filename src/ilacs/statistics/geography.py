"""Where a figure belongs: the places official statistics name, joined to the register.

A row of official statistics names its place by codes: the DfE's three-digit LA number
(`old_la_code`), the ONS code (`new_la_code`) and a name. Boundaries and codes changed, so a
place joins to the register by code through its lineage, never by name:

- the LA number and ONS code of a registered authority: the authority itself (`same`);
- its LA number with an ONS code it had before a change of code alone (Barnsley and
  Sheffield before 2024, North Yorkshire, Somerset and Buckinghamshire as counties):
  the same authority (`former_code`);
- codes joined with " / " ("940 / 941"): the figures of several authorities together, such
  as the social workers of Northamptonshire Children's Trust (`shared`), which belong to no
  single authority;
- a predecessor the register holds no URN for (Bournemouth, Dorset County Council before
  2019): kept as its own place, linked to its successors (`predecessor`), never counted as
  theirs;
- anything else is an unknown code: a problem, and the row is not loaded.

Defunct authorities the register holds (Cumbria, Northamptonshire, Poole) are themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from ilacs.reference.register import Authority, Register, UnknownAuthority

ENGLAND_CODE = "E92000001"


class AreaLevel(StrEnum):
    NATIONAL = "national"
    REGIONAL = "regional"
    LOCAL_AUTHORITY = "local_authority"


# EES's `geographic_level` words for the levels read; other levels are not read.
LEVEL_WORDS: Mapping[str, AreaLevel] = {
    "national": AreaLevel.NATIONAL,
    "regional": AreaLevel.REGIONAL,
    "local authority": AreaLevel.LOCAL_AUTHORITY,
}


class Relation(StrEnum):
    NATION = "nation"
    REGION = "region"
    SAME = "same"
    FORMER_CODE = "former_code"
    SHARED = "shared"
    PREDECESSOR = "predecessor"


@dataclass(frozen=True)
class Area:
    """A place as a statistics file names it."""

    level: AreaLevel
    code: str  # ONS code (country, region or authority); may be empty for an LA
    la_code: str  # DfE LA number; empty where not given
    name: str


@dataclass(frozen=True)
class Place:
    """An area joined to the register."""

    area: Area
    relation: Relation
    urns: tuple[int, ...]  # the authority it is (one), covers (shared) or preceded (predecessor)
    note: str | None = None

    @property
    def subject(self) -> str:
        """The key its figures are kept under: "england", "region:E12000008", "la:80419"
        (an authority, under any of its codes), "shared:940/941", "area:837/E06000028"."""
        if self.relation is Relation.NATION:
            return "england"
        if self.relation is Relation.REGION:
            return f"region:{self.area.code}"
        if self.relation in (Relation.SAME, Relation.FORMER_CODE):
            return f"la:{self.urns[0]}"
        if self.relation is Relation.SHARED:
            return "shared:" + "/".join(_parts(self.area.la_code or self.area.code))
        return f"area:{self.area.la_code}/{self.area.code}"

    @property
    def urn(self) -> int | None:
        """The authority whose own figures these are (None for any other place)."""
        return self.urns[0] if self.relation in (Relation.SAME, Relation.FORMER_CODE) else None


class UnknownArea(ValueError):
    """A place whose codes join to no authority of the register or its lineage."""


class Gazetteer:
    """Joins areas to the register; one per register, answers cached per area."""

    def __init__(self, register: Register) -> None:
        self.register = register
        self._cache: dict[Area, Place] = {}

    @cached_property
    def _unregistered(self) -> Mapping[str, tuple[str, tuple[int, ...]]]:
        """Codes of predecessors without a URN -> (name, the URNs of their successors)."""
        found: dict[str, tuple[str, set[int]]] = {}
        for authority in self.register.all(include_defunct=True):
            for link in authority.predecessors:
                if link.urn is not None:
                    continue
                for code in (link.la_code, link.ons_code):
                    if code:
                        found.setdefault(code, (link.name, set()))[1].add(authority.urn)
        return {code: (name, tuple(sorted(urns))) for code, (name, urns) in found.items()}

    def place(self, area: Area) -> Place:
        """The place `area` is; UnknownArea says which code did not join."""
        found = self._cache.get(area)
        if found is None:
            found = self._cache[area] = self._resolve(area)
        return found

    def _resolve(self, area: Area) -> Place:
        if area.level is AreaLevel.NATIONAL:
            return Place(area, Relation.NATION, ())
        if area.level is AreaLevel.REGIONAL:
            if not area.code:
                raise UnknownArea(f"region {area.name!r} has no region_code")
            return Place(area, Relation.REGION, ())
        numbers, codes = _parts(area.la_code), _parts(area.code)
        if len(numbers) > 1 or len(codes) > 1:
            return self._shared(area, numbers, codes)
        return self._authority(area, area.la_code.strip(), area.code.strip().upper())

    def _authority(self, area: Area, number: str, code: str) -> Place:
        authority = self._by_number(number) if number else None
        if authority is None and code:
            authority = self._by_ons(code)
        if authority is None:
            return self._predecessor(area, number, code)
        if code and code != authority.ons_code:
            former = next((f for f in authority.former_ons_codes if f.ons_code == code), None)
            if former is None:
                raise UnknownArea(
                    f"LA code {number} is {authority.name} ({authority.ons_code}), but its ONS "
                    f"code {code} is not one {authority.name} has had")
            return Place(area, Relation.FORMER_CODE, (authority.urn,),
                         f"{code}: {former.note}")
        return Place(area, Relation.SAME, (authority.urn,))

    def _by_number(self, number: str) -> Authority | None:
        if not number.isdigit():
            return None
        try:
            found = self.register.by_code(number)
        except UnknownAuthority:
            return None
        return found if found.la_code == number else None

    def _by_ons(self, code: str) -> Authority | None:
        try:
            return self.register.by_code(code)
        except UnknownAuthority:
            return None

    def _predecessor(self, area: Area, number: str, code: str) -> Place:
        for key in (number, code):
            if key and key in self._unregistered:
                name, successors = self._unregistered[key]
                names = " and ".join(self.register.by_urn(urn).name for urn in successors)
                return Place(area, Relation.PREDECESSOR, successors,
                             f"{name}, before its area became part of {names}")
        given = " and ".join(f"{label} {value}" for label, value in
                             (("LA code", number), ("ONS code", code)) if value)
        raise UnknownArea(f"{given or 'no code'} ({area.name or 'no name'}) is no local "
                          "authority of the register or its lineage")

    def _shared(self, area: Area, numbers: list[str], codes: list[str]) -> Place:
        if numbers and codes and len(numbers) != len(codes):
            raise UnknownArea(f"{area.name!r} joins {len(numbers)} LA codes but {len(codes)} "
                              "ONS codes")
        urns: list[int] = []
        for position in range(max(len(numbers), len(codes))):
            number = numbers[position] if numbers else ""
            code = codes[position].upper() if codes else ""
            part = self._authority(area, number, code)
            if part.relation not in (Relation.SAME, Relation.FORMER_CODE):
                raise UnknownArea(f"{area.name!r} joins a place that is not a registered "
                                  "authority")
            urns.extend(part.urns)
        names = " and ".join(self.register.by_urn(urn).name for urn in urns)
        return Place(area, Relation.SHARED, tuple(urns),
                     f"the figures of {names} together")


def _parts(codes: str) -> list[str]:
    return [part.strip() for part in codes.split("/") if part.strip()]
