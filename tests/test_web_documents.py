"""Source documents the dashboard cannot serve: the page says why and what to do, in words a
person can act on (commands as code, Ofsted's address as a link)."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx

from conftest import REPORTS
from ilacs.pipeline import find_files, ingest
from ilacs.record import ensure_authorities
from ilacs.store import open_store
from ilacs.web import WebSettings
from ilacs.web.render import message_html
from web_server import running_server

ISLE_OF_WIGHT = "80419_isle of wight"


def test_messages_show_commands_as_code_and_addresses_as_links() -> None:
    html = message_html("Run `ilacs ingest <FOLDER>`. Ofsted publishes it at "
                        "https://reports.ofsted.gov.uk/provider/44/80419. Or <b>not</b>.")
    assert html == ('Run <code>ilacs ingest &lt;FOLDER&gt;</code>. Ofsted publishes it at '
                    '<a class="govuk-link" href="https://reports.ofsted.gov.uk/provider/44/'
                    '80419">https://reports.ofsted.gov.uk/provider/44/80419</a>. Or '
                    '&lt;b&gt;not&lt;/b&gt;.')


def test_a_moved_file_is_a_404_that_says_how_to_serve_it_again(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    shutil.copytree(REPORTS / ISLE_OF_WIGHT, folder / ISLE_OF_WIGHT)
    db = tmp_path / "ilacs.db"
    conn = open_store(db)
    ensure_authorities(conn)
    ingest(conn, find_files([folder]), workers=1)
    [sha256] = conn.execute("SELECT sha256 FROM documents ORDER BY path LIMIT 1").fetchone()
    conn.close()
    with running_server(WebSettings(db, warm=False)) as url:
        assert httpx.get(f"{url}/documents/{sha256}").status_code == 200
        folder.rename(tmp_path / "moved")
        response = httpx.get(f"{url}/documents/{sha256}")
    assert response.status_code == 404
    assert "has moved or changed since" in response.text
    assert "<code>ilacs ingest FOLDER</code>" in response.text and "`" not in response.text
    assert '<a class="govuk-link" href="https://reports.ofsted.gov.uk/' in response.text


def test_every_timeline_document_also_links_to_ofsteds_own_page(client: httpx.Client) -> None:
    timeline = client.get("/la/80419.json").json()["timeline"]
    documents = [event["source"] for event in timeline if event["source"]]
    assert documents and all(
        source["on_ofsted"] == "https://reports.ofsted.gov.uk/provider/44/80419"
        for source in documents)
    page = client.get("/la/80419").text
    assert page.count('href="https://reports.ofsted.gov.uk/provider/44/80419" rel="external"'
                      ) == len(documents)
