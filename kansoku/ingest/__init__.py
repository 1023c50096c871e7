"""Ingestion: files, folders, URLs, feeds and stdin → `model.Document`.

    read_source("article.html")            one Document
    read_source("news/")                   Documents and IngestFailures, one per file
    read_source("https://…/feed.xml")      one Document per feed entry
    read_bytes(data, name="a.txt")         one Document from memory

Stages, one module each, in data-flow order: transport (fetch) → decode → html / pdf /
feed → language → reprint → published; `sources` dispatches.
"""

from __future__ import annotations

from kansoku.ingest.language import detect_language
from kansoku.ingest.reprint import find_reprint
from kansoku.ingest.sources import IngestFailure, read_bytes, read_source
from kansoku.ingest.transport import HttpxTransport, Response, Transport

__all__ = [
    "HttpxTransport",
    "IngestFailure",
    "Response",
    "Transport",
    "detect_language",
    "find_reprint",
    "read_bytes",
    "read_source",
]
