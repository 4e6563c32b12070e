"""Where a downloaded publication is kept: the shared corpus's layout, which ingest reads.

`<urn>_<la name slug>/<title> - <dd month yyyy>.pdf`, for example
`80419_isle-of-wight/children's services inspection - 15 december 2023.pdf`: ingest takes the
URN from the folder's `<urn>_` prefix (`ilacs.extract.authority.urn_from_path`) and the
publication date from the name's ` - <date>` ending (`ilacs.extract.dates.date_from_file_name`,
which reads '15 december 2023' but not ISO dates). A publication without a date shown keeps
its file id in the name instead, so no date is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Container
from datetime import date
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from ilacs.sources.ofsted_site import Publication

# English month names, not the locale's: these names are read back by ilacs's date parser.
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
MAX_TITLE_CHARS = 120
_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def slug(name: str) -> str:
    """'Bournemouth, Christchurch & Poole' -> 'bournemouth-christchurch-poole'."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "provider"


def file_date(day: date) -> str:
    """The corpus's date style: '07 january 2019'."""
    return f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}"


def file_id(url: str) -> str:
    """The last part of a file URL ('…/v1/file/50212345' -> '50212345')."""
    last = PurePosixPath(urlsplit(url).path).name
    return _NOT_IN_FILE_NAMES.sub("-", last) or "file"


def publication_path(publication: Publication, taken: Container[str] = ()) -> str:
    """The path, relative to the downloads folder, to keep `publication` at. A path in `taken`
    (used by another URL) gets the file id added, so two publications never share a file."""
    folder = f"{publication.provider.urn}_{slug(publication.provider.name)}"
    title = _NOT_IN_FILE_NAMES.sub(" ", publication.title.casefold())
    title = " ".join(title.split())[:MAX_TITLE_CHARS].strip(" .-") or publication.kind.value
    ident = file_id(publication.url)
    if publication.published is None:
        return f"{folder}/{title} ({ident}).pdf"
    when = file_date(publication.published)
    path = f"{folder}/{title} - {when}.pdf"
    if path in taken:
        path = f"{folder}/{title} ({ident}) - {when}.pdf"
    return path
