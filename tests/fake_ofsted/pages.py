"""The fake website's pages, written for these tests in the shape ilacs reads: search results
linking to /provider/44/<urn>, and provider pages whose `a.publication-link` names its kind in
a `span.nonvisual`, dated in the ways seen on the web. Not copies of Ofsted's pages."""

from __future__ import annotations

import html
from urllib.parse import urlencode

from fake_ofsted.site import FakeOfsted, FakeProvider, FakePublication, file_path, provider_path

LISTING_FILTER = {"level_1_types": ["3"], "level_2_types[]": ["12"]}

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>{title} (test double of Ofsted reports)</title></head>
<body>
<header class="site-header"><a href="/">Find an inspection report</a></header>
<main id="main-content">
{content}
</main>
<footer><p>Page generated 1 January 2026</p></footer>
</body>
</html>
"""


def listing_page(site: FakeOfsted, query: dict[str, list[str]]) -> str:
    start = 0 if site.ignore_start else int(query.get("start", ["0"])[0])
    rows = min(int(query.get("rows", ["10"])[0]), site.max_rows or 1000)
    matching = site.providers if all(query.get(k) == v for k, v in LISTING_FILTER.items()) else []
    shown = matching[start:start + rows]
    items = "\n".join(_listing_item(provider, site.listing_changed) for provider in shown)
    following = urlencode({**{k: v[0] for k, v in LISTING_FILTER.items()},
                           "start": start + rows, "rows": rows})
    content = f"""<h1>Search results</h1>
<p class="search-count">{len(matching)} results</p>
<ul class="results-list">
{items}
</ul>
<nav class="pagination"><a href="/search?{following}">Next page</a></nav>"""
    return PAGE.format(title="Search results", content=content)


def _listing_item(provider: FakeProvider, changed: bool) -> str:
    href = f"/providers/{provider.urn}" if changed else provider_path(provider)
    return f"""  <li class="search-result">
    <h3 class="search-result__title"><a href="{href}">{html.escape(provider.name)}</a></h3>
    <p>Local authority children's services &middot; URN: {provider.urn}</p>
  </li>"""


def provider_page(provider: FakeProvider, base_url: str) -> str:
    items = "\n".join(_publication_item(p, base_url, provider.markup_changed)
                      for p in provider.publications)
    content = f"""<h1 class="heading--title">{html.escape(provider.name)}</h1>
<ul class="info-list"><li>URN: {provider.urn}</li>
<li>Provider type: Local authority children&#8217;s services</li></ul>
<h2>Reports</h2>
<ul class="event-list">
{items}
</ul>"""
    return PAGE.format(title=html.escape(provider.name), content=content)


def _publication_item(publication: FakePublication, base_url: str, changed: bool) -> str:
    href = f"{base_url}{file_path(publication)}"
    if changed:  # a redesign: new class names, the kind no longer in a hidden span
        link = (f'<a class="report-download" href="{href}">{html.escape(publication.title)} '
                f"(PDF)</a>")
    else:
        link = (f'<a class="publication-link" href="{href}">{html.escape(publication.title)}'
                f'<span class="nonvisual"> - {html.escape(publication.kind_words)}, PDF</span></a>')
    day = publication.published
    shown = f"{day.day} {day:%B %Y}" if day else ""
    dated = {
        "published": f'<p class="event-list__date">Published: {shown}</p>',
        "time": f'<p>Published <time datetime="{day}">{shown}</time></p>',
        "before": f'<span class="event-list__date">{day:%d/%m/%Y}</span>' if day else "",
        "none": "",
    }[publication.date_style if day else "none"]
    if publication.date_style == "before":
        return f'  <li class="event-list__item">\n    {dated}\n    {link}\n  </li>'
    return f'  <li class="event-list__item">\n    {link}\n    {dated}\n  </li>'
