"""Documents: read files (PDF, HTML, plain text) into pages of text, identified by content hash."""

from ilacs.documents.model import Document, MediaType, Page
from ilacs.documents.reader import read_document, sha256_of_file

__all__ = ["Document", "MediaType", "Page", "read_document", "sha256_of_file"]
