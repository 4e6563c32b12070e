"""The OpenAPI document of the JSON API, built from the pages' own dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ilacs import __version__
from ilacs.web.pages.authority import AuthorityPage
from ilacs.web.pages.changes import ChangesPage
from ilacs.web.pages.compare import ComparePage
from ilacs.web.pages.downloads import ENDPOINTS, DownloadsPage
from ilacs.web.pages.england import EnglandPage
from ilacs.web.pages.indicators import IndicatorPage, IndicatorsPage
from ilacs.web.pages.pack import PackPage
from ilacs.web.pages.search import SearchPage
from ilacs.web.pages.themes import ThemesPage
from ilacs.web.render import schema_of

COMPONENTS = "#/components/schemas/{model}"


@dataclass(frozen=True)
class Parameter:
    name: str
    where: str  # "query" or "path"
    description: str
    repeated: bool = False
    integer: bool = False


@dataclass(frozen=True)
class Operation:
    path: str
    model: type
    parameters: tuple[Parameter, ...] = ()


def _query(name: str, description: str, repeated: bool = False) -> Parameter:
    return Parameter(name, "query", description, repeated)


OPERATIONS: tuple[Operation, ...] = (
    Operation("/index.json", EnglandPage, (
        _query("region", "Only authorities in this region (e.g. London)"),
        _query("la_type", "Only this type of authority (e.g. County)"),
        _query("judgement", "The judgement that `grade` filters on and the map shows"),
        _query("grade", "Only authorities whose current grade for `judgement` is this"),
        _query("sort", "name, region or inspected (latest first)"))),
    Operation("/la/{urn}.json", AuthorityPage, (
        Parameter("urn", "path", "The authority's Ofsted URN (e.g. 80419)", integer=True),)),
    Operation("/la/{urn}/pack.json", PackPage, (
        Parameter("urn", "path", "The authority's Ofsted URN (e.g. 80419)", integer=True),)),
    Operation("/compare.json", ComparePage, (
        _query("la", "An authority's URN; repeat to compare several", repeated=True),
        _query("with", "`neighbours` adds the first authority's statistical neighbours"))),
    Operation("/indicators.json", IndicatorsPage),
    Operation("/indicators/{key}.json", IndicatorPage, (
        Parameter("key", "path", "The indicator's key (e.g. cin_rate); /indicators.json lists "
                  "them"),
        _query("year", "The year the period ends in (default: the latest most authorities "
               "have)"),
        _query("judgement", "The judgement whose grades the figures are set beside"))),
    Operation("/themes.json", ThemesPage, (
        _query("theme", "A theme's key, for its points and trend"),)),
    Operation("/search.json", SearchPage, (
        _query("q", "Words, a \"quoted phrase\", OR, or a prefix*"),
        _query("la", "Only this authority (URN)"),
        _query("region", "Only authorities in this region (e.g. London)"),
        _query("year", "Only documents published this year"),
        _query("kind", "inspection_report, letter or news"),
        _query("grade", "Only reports whose inspection gave this grade for `judgement`"),
        _query("judgement", "The judgement `grade` refers to (default overall effectiveness)"),
        _query("sort", "relevance (best match first, the default) or newest"),
        _query("page", "Page of results, 10 documents to a page"))),
    Operation("/changes.json", ChangesPage, (
        _query("la", "Only this authority (URN)"),
        _query("since", "Only changes recorded on or after this date (YYYY-MM-DD)"))),
    Operation("/downloads.json", DownloadsPage),
)

_ERROR_SCHEMA = {
    "type": "object",
    "required": ["ok", "status", "title", "error"],
    "properties": {"ok": {"const": False}, "status": {"type": "integer"},
                   "title": {"type": "string"}, "error": {"type": "string"}},
}


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    summaries = {endpoint.path: endpoint.summary for endpoint in ENDPOINTS}
    schemas: dict[str, Any] = {"Error": _ERROR_SCHEMA}
    paths: dict[str, Any] = {}
    for operation in OPERATIONS:
        schema = schema_of(operation.model, COMPONENTS)
        schemas.update(schema.pop("$defs", {}))
        name = operation.model.__name__
        schemas[name] = schema
        paths[operation.path] = {"get": {
            "summary": summaries.get(operation.path, name),
            "operationId": name[0].lower() + name[1:],
            "parameters": [_parameter(p) for p in operation.parameters],
            "responses": {
                "200": {"description": name, "content": {"application/json": {
                    "schema": {"$ref": COMPONENTS.format(model=name)}}}},
                "400": _error_response("A parameter that cannot be used"),
                "404": _error_response("Nothing with that address"),
            },
        }}
    paths["/changes.atom"] = {"get": {
        "summary": summaries["/changes.atom"], "operationId": "changesFeed",
        "parameters": [_parameter(_query("la", "Only this authority (URN)"))],
        "responses": {"200": {"description": "An Atom feed (RFC 4287)", "content": {
            "application/atom+xml": {"schema": {"type": "string"}}}},
            "400": _error_response("A parameter that cannot be used")},
    }}
    return {
        "openapi": "3.1.0",
        "info": {"title": "ilacs", "version": __version__, "description": (
            "The record of Ofsted's inspections of English local authority children's "
            "services. Every dashboard page is also JSON at the same address plus .json.")},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _parameter(parameter: Parameter) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "integer" if parameter.integer else "string"}
    schema = {"type": "array", "items": item} if parameter.repeated else item
    return {"name": parameter.name, "in": parameter.where, "description": parameter.description,
            "required": parameter.where == "path", "schema": schema}


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {
        "schema": {"$ref": COMPONENTS.format(model="Error")}}}}
