"""Every URL the dashboard links to, built in one place (pages and JSON twins alike)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import quote, urlencode, urlsplit


def england(json: bool = False, **query: object) -> str:
    return _with_query("/index.json" if json else "/", query)


def authority(urn: int, json: bool = False) -> str:
    return f"/la/{urn}" + (".json" if json else "")


def pack(urn: int, json: bool = False) -> str:
    """The authority's pre-inspection pack."""
    return f"/la/{urn}/pack" + (".json" if json else "")


def history_csv(urn: int) -> str:
    """An authority's grades over time and its neighbours', as its charts show them."""
    return f"/la/{urn}/history.csv"


def authority_context_csv(urn: int, indicator: str | None = None) -> str:
    """The numbers behind an authority's Context charts (one indicator's, if named)."""
    return _with_query(f"/la/{urn}/context.csv", {"indicator": indicator})


def indicators(json: bool = False) -> str:
    return "/indicators.json" if json else "/indicators"


def indicator(key: str, json: bool = False, **query: object) -> str:
    return _with_query(f"/indicators/{quote(key)}" + (".json" if json else ""), query)


def indicator_csv(key: str, **query: object) -> str:
    return _with_query(f"/indicators/{quote(key)}.csv", query)


def compare(urns: Iterable[int], with_neighbours: bool = False, json: bool = False) -> str:
    pairs: list[tuple[str, object]] = [("la", urn) for urn in urns]
    if with_neighbours:
        pairs.append(("with", "neighbours"))
    return ("/compare.json" if json else "/compare") + ("?" + urlencode(pairs) if pairs else "")


def themes(theme: str | None = None, json: bool = False, csv: bool = False) -> str:
    return _with_query("/themes.json" if json else "/themes.csv" if csv else "/themes",
                       {"theme": theme})


def england_csv(**query: object) -> str:
    return _with_query("/index.csv", query)


def grades_by_year_csv(judgement: str | None = None) -> str:
    return _with_query("/grades-by-year.csv", {"judgement": judgement})


def theme_trend_csv(theme: str) -> str:
    return _with_query("/themes/trend.csv", {"theme": theme})


def compare_csv(urns: Iterable[int], with_neighbours: bool = False) -> str:
    return compare(urns, with_neighbours).replace("/compare", "/compare.csv", 1)


def search(json: bool = False, csv: bool = False, **query: object) -> str:
    return search_address(query, json, csv)


def search_address(query: Mapping[str, object], json: bool = False, csv: bool = False) -> str:
    return _with_query("/search.json" if json else "/search.csv" if csv else "/search", query)


def changes(urn: int | None = None, json: bool = False, feed: bool = False) -> str:
    path = "/changes.atom" if feed else "/changes.json" if json else "/changes"
    return _with_query(path, {"la": urn})


def downloads(json: bool = False) -> str:
    return "/downloads.json" if json else "/downloads"


def download(filename: str) -> str:
    return f"/downloads/{quote(filename)}"


def document(sha256: str, page: int | None = None) -> str:
    """A stored source document, opened at a page (PDF viewers honour #page=N)."""
    return f"/documents/{sha256}" + (f"#page={page}" if page else "")


def json_twin(address: str) -> str:
    """A page's JSON twin: the same address plus .json ('/' has '/index.json')."""
    parts = urlsplit(address)
    path = "/index.json" if parts.path == "/" else parts.path + ".json"
    return path + (f"?{parts.query}" if parts.query else "")


def confirm_intervention(intervention_id: int, api: bool = False) -> str:
    """Where a suggested intervention is confirmed: the API (bearer token) or the LA page's
    form (token typed into it); both need the configured write token."""
    return ("/api" if api else "") + f"/interventions/{intervention_id}/confirm"


def static(path: str) -> str:
    return f"/static/{path}"


def _with_query(path: str, query: Mapping[str, object]) -> str:
    kept = {key: value for key, value in query.items() if value not in (None, "")}
    return path + ("?" + urlencode(kept) if kept else "")
