"""Tables as CSV: England's filtered table, a comparison, a theme's points, a search's
documents, an indicator's table and an authority's context figures. Each address takes the
parameters of the page it belongs to; a parameter that cannot be used is a 400 in plain
text (a CSV client shows no HTML)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from ilacs.store.search import SearchRejected
from ilacs.web.pages.authority import authority_page
from ilacs.web.pages.common import BadParameter, PageNotFound, parse_judgement
from ilacs.web.pages.compare import compare_csv, parse_urns
from ilacs.web.pages.context import context_csv
from ilacs.web.pages.england import england_csv, grades_by_year_csv, parse_england_filters
from ilacs.web.pages.history import history_csv
from ilacs.web.pages.indicators import indicator_csv, parse_indicator_query
from ilacs.web.pages.search import parse_sort, search_filters
from ilacs.web.pages.search_table import search_csv
from ilacs.web.pages.themes import theme_points_csv, theme_trend_csv
from ilacs.web.responses import public_base
from ilacs.web.snapshot import Snapshot

if TYPE_CHECKING:
    from ilacs.web.app import AppState

CsvBuilder = Callable[[Request, Snapshot, "AppState"], tuple[str, str]]


def csv_routes() -> list[Route]:
    return [_route("/index.csv", _england_csv),
            _route("/la/{key:int}/context.csv", _context_csv),
            _route("/la/{key:int}/history.csv", _history_csv),
            _route("/compare.csv", _compare_csv),
            _route("/indicators/{key}.csv", _indicator_csv),
            _route("/grades-by-year.csv", _grades_by_year_csv),
            _route("/themes.csv", _themes_csv),
            _route("/themes/trend.csv", _theme_trend_csv),
            _route("/search.csv", _search_csv)]


def csv_response(text: str, filename: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


def _base(request: Request, state: AppState) -> str:
    return public_base(request, state.settings.base_url)


def _route(path: str, build: CsvBuilder) -> Route:
    """`build` gives the table's text and file name, or raises what is wrong."""
    async def endpoint(request: Request) -> Response:
        state: AppState = request.app.state.ilacs
        snapshot = state.source.current()
        try:
            text, filename = await run_in_threadpool(build, request, snapshot, state)
        except (BadParameter, SearchRejected) as error:
            return PlainTextResponse(f"400 Bad request: {error}\n", 400)
        except PageNotFound as error:
            return PlainTextResponse(f"404 Not found: {error}\n", 404)
        return csv_response(text, filename)

    return Route(path, endpoint, methods=["GET", "HEAD"])


def _indicator_csv(request: Request, snapshot: Snapshot, state: AppState) -> tuple[str, str]:
    """/indicators/KEY.csv: every authority's figure for the year, as the page's table."""
    q = request.query_params
    key, year, _ = parse_indicator_query(snapshot, request.path_params["key"], q.get("year"),
                                         None)
    return indicator_csv(snapshot, key, year), f"{key}.csv"


def _context_csv(request: Request, snapshot: Snapshot, state: AppState) -> tuple[str, str]:
    """/la/URN/context.csv: the numbers behind an authority's Context charts."""
    urn: int = request.path_params["key"]
    indicator = request.query_params.get("indicator") or None
    if snapshot.record.authority(urn) is None:
        raise PageNotFound(f"no local authority has URN {urn}")
    if indicator is not None and indicator not in \
            snapshot.record.statistics.catalogue.indicators_by_key:
        raise BadParameter(f"indicator={indicator!r} is not an indicator; /indicators lists "
                           "them")
    return context_csv(snapshot, urn, indicator), f"{urn}-{indicator or 'context'}.csv"


def _history_csv(request: Request, snapshot: Snapshot, state: AppState) -> tuple[str, str]:
    """/la/URN/history.csv: the numbers behind an authority's grade-history charts."""
    urn: int = request.path_params["key"]
    if snapshot.record.authority(urn) is None:
        raise PageNotFound(f"no local authority has URN {urn}")
    neighbours = [(row.rank, row.authority.urn) for row in authority_page(snapshot, urn).neighbours
                  if row.rank is not None]
    return history_csv(snapshot, urn, neighbours, _base(request, state)), f"{urn}-history.csv"


def _england_csv(request: Request, snapshot: Snapshot, state: AppState) -> tuple[str, str]:
    """/index.csv: England's table of authorities, filtered and ordered as the page is."""
    q = request.query_params
    filters = parse_england_filters(q.get("region"), q.get("la_type"), q.get("judgement"),
                                    q.get("grade"), q.get("sort"))
    return england_csv(snapshot, filters, _base(request, state)), "ilacs-england.csv"


def _grades_by_year_csv(request: Request, snapshot: Snapshot, state: AppState
                        ) -> tuple[str, str]:
    """/grades-by-year.csv: the numbers of England's grades-by-year chart for a judgement."""
    judgement = parse_judgement(request.query_params.get("judgement"))
    return grades_by_year_csv(snapshot, judgement), f"ilacs-grades-by-year-{judgement}.csv"


def _compare_csv(request: Request, snapshot: Snapshot, state: AppState) -> tuple[str, str]:
    urns = parse_urns(snapshot, request.query_params.getlist("la"))
    with_neighbours = request.query_params.get("with") == "neighbours"
    return (compare_csv(snapshot, urns, with_neighbours, _base(request, state)),
            "ilacs-compare.csv")


def _themes_csv(request: Request, snapshot: Snapshot, state: AppState) -> tuple[str, str]:
    theme = _theme_parameter(request)
    return (theme_points_csv(snapshot, theme, _base(request, state)),
            f"ilacs-theme-{theme}.csv")


def _theme_trend_csv(request: Request, snapshot: Snapshot, state: AppState) -> tuple[str, str]:
    """/themes/trend.csv: the numbers of a theme's chart and table by year."""
    theme = _theme_parameter(request)
    return theme_trend_csv(snapshot, theme), f"ilacs-theme-{theme}-by-year.csv"


def _theme_parameter(request: Request) -> str:
    theme = request.query_params.get("theme") or ""
    if not theme:
        raise BadParameter("theme= is needed: /themes lists the themes")
    return theme


def _search_csv(request: Request, snapshot: Snapshot, state: AppState) -> tuple[str, str]:
    """/search.csv: every document a search matches, in the page's order."""
    q = request.query_params
    text = search_csv(snapshot, state.source.connection(), q.get("q", ""),
                      search_filters(snapshot, q), parse_sort(q.get("sort")),
                      _base(request, state))
    return text, "ilacs-search.csv"
