"""Extraction: from read documents to facts with provenance."""

from ilacs.extract.models import Extraction, InspectionReport
from ilacs.extract.report import extract_report

# Bump when extraction changes what it returns: stored documents of an older version are
# re-extracted on the next ingest.
PARSER_VERSION = "2026.12.12"

__all__ = ["PARSER_VERSION", "Extraction", "InspectionReport", "extract_report"]
