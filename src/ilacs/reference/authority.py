"""The register's records: an authority, its statistical neighbours, its lineage (the
authorities it came from or became), and the errors of looking one up."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Literal

from ilacs.errors import IlacsError

NeighbourModel = Literal["2021", "2025"]
NEIGHBOUR_MODELS: tuple[NeighbourModel, ...] = ("2021", "2025")


def check_model(model: str) -> None:
    if model not in NEIGHBOUR_MODELS:
        raise ValueError(f"unknown neighbour model {model!r}; use one of {NEIGHBOUR_MODELS}")


class UnknownAuthority(IlacsError):
    """No authority in the register has this URN, code or slug."""


class ReferenceDataError(IlacsError):
    """The packaged reference data is malformed; rebuild it with scripts/build_reference.py."""


class Closeness(StrEnum):
    """The DfE's word for how close a statistical neighbour is."""

    EXTREMELY_CLOSE = "extremely_close"
    VERY_CLOSE = "very_close"
    CLOSE = "close"
    SOMEWHAT_CLOSE = "somewhat_close"
    NOT_CLOSE = "not_close"


@dataclass(frozen=True)
class NeighbourRef:
    """One of an authority's ten statistical neighbours in one DfE model, by LA code."""

    model: NeighbourModel
    rank: int  # 1 = most similar
    la_code: str
    closeness: Closeness


@dataclass(frozen=True)
class LineageLink:
    """A predecessor or successor in a reorganisation.

    `urn` is None for an authority whose Ofsted URN is not known (Bournemouth, the pre-2019
    Dorset County Council); such authorities are not in the register.
    """

    date: date
    name: str
    urn: int | None
    la_code: str | None
    ons_code: str | None
    note: str | None


@dataclass(frozen=True)
class FormerCode:
    """An ONS code the authority had before a change of code alone (same LA number)."""

    ons_code: str
    until: date
    note: str


@dataclass(frozen=True)
class Authority:
    urn: int
    la_code: str  # DfE three-digit LA code, e.g. "921"
    ons_code: str  # ONS GSS code, e.g. "E06000046"
    name: str
    slug: str
    aliases: tuple[str, ...]
    region_code: str
    region_name: str
    region_ons_code: str  # ONS code of the region, e.g. "E12000008"
    la_type: str | None  # "County", "Unitary Authority", "Metropolitan District", "London Borough"
    population_0_25: int | None
    active: bool
    statistical_neighbours: tuple[NeighbourRef, ...] = field(repr=False)
    predecessors: tuple[LineageLink, ...] = field(repr=False)
    successors: tuple[LineageLink, ...] = field(repr=False)
    notes: tuple[str, ...] = field(repr=False)  # corrections made to the source data
    former_ons_codes: tuple[FormerCode, ...] = field(default=(), repr=False)

    @property
    def population(self) -> int | None:
        """The population the store and exports show: people aged 0 to 25 (ONS)."""
        return self.population_0_25

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *self.aliases)

    def neighbour_refs(self, model: NeighbourModel = "2025") -> tuple[NeighbourRef, ...]:
        """This authority's neighbours in `model`, in rank order (empty if not in the model)."""
        check_model(model)
        return tuple(ref for ref in self.statistical_neighbours if ref.model == model)


@dataclass(frozen=True)
class Neighbour:
    """A statistical neighbour resolved to its authority."""

    authority: Authority
    rank: int
    closeness: Closeness
    model: NeighbourModel


@dataclass(frozen=True)
class SharedName:
    """A name used by a body serving several authorities (a children's trust)."""

    name: str
    urns: tuple[int, ...]
