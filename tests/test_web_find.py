"""The find box: any name, code or URN to the authority's page, near misses offered, no
script needed; on England's page and on a page that was not found. It looks names up in the
register, so the small record in process is enough."""

from __future__ import annotations

import re

from in_process import InProcessClient


def test_a_name_code_or_urn_goes_to_the_authority(app: InProcessClient) -> None:
    for asked in ("Isle of Wight", "isle of wight", "  Isle   of Wight ", "80419"):
        response = app.get("/find", params={"name": asked}, follow_redirects=False)
        assert response.status_code == 303, asked
        assert response.headers["location"] == "/la/80419", asked


def test_a_near_miss_is_a_404_that_offers_the_closest_names_and_the_box(
        app: InProcessClient) -> None:
    response = app.get("/find", params={"name": "isle of wigt"})
    assert response.status_code == 404
    assert "did you mean Isle of Wight" in response.text
    assert 'action="/find"' in response.text  # try again from there


def test_an_empty_or_overlong_name(app: InProcessClient) -> None:
    empty = app.get("/find", params={"name": " "}, follow_redirects=False)
    assert empty.status_code == 303 and empty.headers["location"] == "/"
    long = app.get("/find", params={"name": "x" * 101})
    assert long.status_code == 400 and "at most 100 characters" in long.text


def test_england_offers_every_authority_as_a_suggestion(app: InProcessClient) -> None:
    page = app.get("/").text
    form = re.search(r'<form method="get" action="/find" role="search".*?</form>', page, re.S)
    assert form is not None
    names = re.findall(r'<option value="([^"]+)"></option>', form.group(0))
    assert len(names) >= 153 and "Isle of Wight" in names
    assert 'list="find-la-names"' in form.group(0) and '<label class="govuk-label' in \
        form.group(0)
