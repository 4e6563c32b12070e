"""The catalogue of statistics ilacs knows by name (`catalogue.yaml`), checked when loaded.

Data sets say how a file or an EES data set is recognised and when its figures are counted;
headline indicators say how each is derived from the long series (see the YAML's notes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property, lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ilacs.errors import IlacsError
from ilacs.statistics.model import filters_json
from ilacs.statistics.units import UNIT_NAMES

CATALOGUE_FILE = "catalogue.yaml"
Direction = Literal["higher_is_better", "lower_is_better", "none"]


class InvalidCatalogue(IlacsError):
    """The statistics catalogue is malformed."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dataset(_Strict):
    key: str
    title: str
    publication: str
    publication_slug: str | None = None  # on EES, where the data set can be fetched
    file: str  # regular expression on the file name
    ees_title: str | None = None  # regular expression on an EES data set's title
    reference: str = Field(pattern=r"^\d{2}-\d{2}$")  # month-day the figures refer to

    @field_validator("file", "ees_title")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            re.compile(value)
        return value

    def matches_file(self, name: str) -> bool:
        return re.search(self.file, name, re.IGNORECASE) is not None

    def matches_title(self, title: str) -> bool:
        return self.ees_title is not None and re.search(
            self.ees_title, title, re.IGNORECASE) is not None

    @property
    def reference_month_day(self) -> tuple[int, int]:
        month, day = self.reference.split("-")
        return int(month), int(day)


class Term(_Strict):
    """One series of one data set: its indicator column and filter values."""

    dataset: str
    indicator: str
    filters: dict[str, str] = Field(default_factory=dict)
    factor: float = 1.0

    @cached_property
    def series(self) -> tuple[str, str, str]:
        """The stored series it reads: (data set, indicator column, filters as stored)."""
        return self.dataset, self.indicator, filters_json(self.filters)


class Indicator(_Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    short_label: str
    group: str
    unit: str
    direction: Direction
    direction_basis: str | None = None
    numerator: list[Term | str] = Field(min_length=1)
    denominator: Term | str | None = None
    scale: float = 1.0
    about: str

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, value: str) -> str:
        if value not in UNIT_NAMES:
            raise ValueError(f"unknown unit {value!r}; use one of {', '.join(UNIT_NAMES)}")
        return value


class Catalogue(_Strict):
    version: int
    datasets: list[Dataset]
    terms: dict[str, Term] = Field(default_factory=dict)
    indicators: list[Indicator]

    @cached_property
    def datasets_by_key(self) -> Mapping[str, Dataset]:
        return {dataset.key: dataset for dataset in self.datasets}

    @cached_property
    def indicators_by_key(self) -> Mapping[str, Indicator]:
        return {indicator.key: indicator for indicator in self.indicators}

    def dataset_for_file(self, name: str) -> Dataset | None:
        return next((d for d in self.datasets if d.matches_file(name)), None)

    def dataset_for_title(self, title: str) -> Dataset | None:
        return next((d for d in self.datasets if d.matches_title(title)), None)

    def term(self, term: Term | str) -> Term:
        """A term written out, or one named in `terms`."""
        return self.terms[term] if isinstance(term, str) else term

    def numerator(self, indicator: Indicator) -> tuple[Term, ...]:
        return tuple(self.term(term) for term in indicator.numerator)

    def denominator(self, indicator: Indicator) -> Term | None:
        return None if indicator.denominator is None else self.term(indicator.denominator)

    def check(self) -> None:
        """Cross-references: every term names a known data set and term, keys are unique."""
        for what, keys in (("data set", [d.key for d in self.datasets]),
                           ("indicator", [i.key for i in self.indicators])):
            repeated = sorted({k for k in keys if keys.count(k) > 1})
            if repeated:
                raise InvalidCatalogue(f"the {what} key {repeated[0]!r} is used twice")
        for name, named in self.terms.items():
            self._check_term(f"term {name}", named)
        for indicator in self.indicators:
            for term in [*indicator.numerator, indicator.denominator]:
                if isinstance(term, str) and term not in self.terms:
                    raise InvalidCatalogue(f"indicator {indicator.key} uses the term {term!r}, "
                                           "which `terms` does not define")
                if isinstance(term, Term):
                    self._check_term(f"indicator {indicator.key}", term)

    def _check_term(self, where: str, term: Term) -> None:
        if term.dataset not in self.datasets_by_key:
            raise InvalidCatalogue(f"{where} reads the data set {term.dataset!r}, which the "
                                   "catalogue does not define")


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """The catalogue packaged with ilacs (read once)."""
    text = resources.files("ilacs.statistics").joinpath(CATALOGUE_FILE).read_text("utf-8")
    return parse_catalogue(text, CATALOGUE_FILE)


def parse_catalogue(text: str, source: str = CATALOGUE_FILE) -> Catalogue:
    try:
        catalogue = Catalogue.model_validate(yaml.safe_load(text))
    except yaml.YAMLError as error:
        raise InvalidCatalogue(f"not valid YAML ({error})", path=source) from error
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InvalidCatalogue(f"{where}: {first['msg']}", path=source) from error
    try:
        catalogue.check()
    except InvalidCatalogue as error:
        raise InvalidCatalogue(str(error), path=source) from error
    return catalogue
