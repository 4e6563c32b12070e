"""Sources: keeping the record current from Ofsted's reports website.

`ofsted_site` knows the website's markup (and nothing else), `http` is a polite, retrying,
resuming client, `layout` says where a downloaded file is kept, and `update` is the recipe:
discover -> download -> ingest (through `ilacs.pipeline`), recorded in the download ledger.
"""

from ilacs.sources.http import FetchError, HttpSettings, PoliteClient, TruncatedDownload
from ilacs.sources.ofsted_site import (
    DEFAULT_BASE_URL,
    Provider,
    Publication,
    PublicationKind,
    SiteChanged,
)
from ilacs.sources.update import (
    PlannedDownload,
    SourceProblem,
    SourceProblemKind,
    Stage,
    UpdateOptions,
    UpdateProgress,
    UpdateSummary,
    downloads_folder_for,
    update,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "FetchError",
    "HttpSettings",
    "PlannedDownload",
    "PoliteClient",
    "Provider",
    "Publication",
    "PublicationKind",
    "SiteChanged",
    "SourceProblem",
    "SourceProblemKind",
    "Stage",
    "TruncatedDownload",
    "UpdateOptions",
    "UpdateProgress",
    "UpdateSummary",
    "downloads_folder_for",
    "update",
]
