"""The store: one SQLite database holding documents, page text, facts and problems.

Plain sqlite3 and SQL, all of it in this package: `database` opens and migrates,
`records` writes what ingest found, `queries` reads typed rows, `bundle` imports and exports
the shipped facts-only record, `authorities` mirrors the reference register.
"""

from ilacs.store.authorities import AuthorityLike, sync_authorities
from ilacs.store.bundle import BundleLoad, load_bundle, record_to_bundle
from ilacs.store.database import open_read_only, open_store, resolve_db_path
from ilacs.store.deferred_search import (
    defer_search_indexing,
    resume_search_indexing,
)
from ilacs.store.downloads import (
    DownloadedFact,
    DownloadRecord,
    all_downloads,
    downloaded_paths,
    facts_from_downloads,
    find_download,
    link_download_sources,
    record_download,
)
from ilacs.store.migrations import MIGRATIONS, Migration, applied_migrations, apply_migrations
from ilacs.store.points import PointRow, all_points
from ilacs.store.problems import (
    forget_problems,
    forget_unread_file,
    place_problems,
    problems_of,
    record_problem,
    unread_file_locations,
)
from ilacs.store.queries import (
    all_inspections,
    authorities,
    inspections_for,
    latest_per_la,
    problems,
    summary,
)
from ilacs.store.records import (
    note_location,
    save_document,
    save_unreadable,
    stored_kind,
    stored_version,
)
from ilacs.store.rows import (
    AuthorityRow,
    DocumentKind,
    InspectionRow,
    JudgementRow,
    LatestRow,
    Origin,
    ProblemRow,
    SearchHit,
    StoredVersion,
    StoreSummary,
)
from ilacs.store.search import SearchFilters, SearchResults, search, search_pages
from ilacs.store.transactions import transaction

__all__ = [
    "MIGRATIONS",
    "AuthorityLike",
    "AuthorityRow",
    "BundleLoad",
    "DocumentKind",
    "PointRow",
    "InspectionRow",
    "JudgementRow",
    "LatestRow",
    "Migration",
    "Origin",
    "ProblemRow",
    "SearchHit",
    "StoreSummary",
    "StoredVersion",
    "all_inspections",
    "applied_migrations",
    "apply_migrations",
    "authorities",
    "all_points",
    "inspections_for",
    "latest_per_la",
    "load_bundle",
    "open_read_only",
    "open_store",
    "problems",
    "record_problem",
    "forget_problems",
    "forget_unread_file",
    "unread_file_locations",
    "place_problems",
    "problems_of",
    "record_to_bundle",
    "resolve_db_path",
    "save_document",
    "save_unreadable",
    "search_pages",
    "defer_search_indexing",
    "resume_search_indexing",
    "search",
    "SearchFilters",
    "SearchResults",
    "note_location",
    "stored_kind",
    "stored_version",
    "summary",
    "sync_authorities",
    "transaction",
    "DownloadRecord",
    "DownloadedFact",
    "all_downloads",
    "downloaded_paths",
    "facts_from_downloads",
    "find_download",
    "link_download_sources",
    "record_download",
]
