"""The Python API that the CLI (and later the web app) are thin layers over."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kansoku.errors import EmptyInputError, KansokuError
from kansoku.extract.pipeline import extract
from kansoku.ingest import IngestFailure, read_source
from kansoku.model import Document, Extraction
from kansoku.store import Store


@dataclass
class IngestReport:
    """What one `ingest` call did, per input."""

    added: list[tuple[Document, int]] = field(default_factory=list)  # document, event count
    duplicates: list[tuple[Document, str]] = field(default_factory=list)
    near_duplicates: list[tuple[Document, str]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        for doc, n in self.added:
            out.append(f"added {doc.id}  {doc.lang}  {doc.published}  {n} events  {(doc.title or doc.path or doc.url or '')[:60]}")
        for doc, of in self.near_duplicates:
            out.append(f"added {doc.id} as a near-duplicate of {of}: not an independent source")
        for doc, of in self.duplicates:
            out.append(f"skipped {doc.path or doc.url or doc.id}: same text as stored document {of}")
        out.append(
            f"{len(self.added) + len(self.near_duplicates)} added, {len(self.duplicates)} duplicates, "
            f"{len(self.failures)} failed"
        )
        return out


def open_store(db: str | None = None) -> Store:
    """The store at `db` (a path or SQLAlchemy URL), else $KANSOKU_DB, else the default file."""
    return Store(db)


def ingest(
    sources: Iterable[str],
    *,
    db: str | None = None,
    published: date | None = None,
    lang: str | None = None,
    page: bool = False,
    max_bytes: int = 20_000_000,
    extract_events: bool = True,
) -> IngestReport:
    """Read every source, extract its events and store each document in one transaction."""
    report = IngestReport()
    with open_store(db) as store:
        for source in sources:
            try:
                items = list(read_source(source, published=published, lang=lang, page=page, max_bytes=max_bytes))
            except KansokuError as err:  # one bad source must not stop the others
                report.failures.append(str(err))
                continue
            for item in items:
                if isinstance(item, IngestFailure):
                    report.failures.append(str(item.error))
                    continue
                extraction = extract(item) if extract_events else Extraction(document=item)
                result = store.add(extraction)
                if result.status == "duplicate":
                    report.duplicates.append((item, result.duplicate_of or ""))
                elif result.status == "near_duplicate":
                    report.near_duplicates.append((item, result.duplicate_of or ""))
                else:
                    report.added.append((item, len(extraction.events)))
    return report


def extract_source(source: str, *, published: date | None = None, lang: str | None = None) -> Extraction:
    """Read one input and extract it, without touching any database."""
    for item in read_source(source, published=published, lang=lang):
        if isinstance(item, IngestFailure):
            raise item.error
        return extract(item)
    raise EmptyInputError(f"{source}: no document found: pass a text, HTML, PDF or feed file")


def extract_text(text: str, *, lang: str = "ja", published: date | None = None, **meta: Any) -> Extraction:
    """Extract from a string (normalized first)."""
    from kansoku.normalize import normalize_text

    return extract(Document(text=normalize_text(text), lang=lang, published=published, **meta))
