"""Dispatch: a path, folder, URL, stdin or bytes → Documents.

The stages run in data-flow order: read bytes (file, stdin, transport) → decide the kind
(extension, content type, sniffing) → decode → extract (text, HTML, PDF, feed) → normalize
→ language → reprint footer → publication date. Folders and feeds report each bad item as
an `IngestFailure` and go on; a single bad input raises its error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from kansoku.errors import (
    EmptyInputError,
    FeedError,
    IngestError,
    KansokuError,
)
from kansoku.ingest.decode import binary_kind, declared_charset, decode_bytes
from kansoku.ingest.feed import FEED_TYPES, XML_TYPES, Feed, looks_like_feed, parse_feed
from kansoku.ingest.html import extract_html, looks_like_html
from kansoku.ingest.language import check_language, detect_language
from kansoku.ingest.pdf import extract_pdf
from kansoku.ingest.published import resolve_published
from kansoku.ingest.reprint import find_reprint
from kansoku.ingest.transport import (
    HttpxTransport,
    Transport,
    fetch,
    media_type,
    too_large,
)
from kansoku.model import Document
from kansoku.normalize import normalize_text

DEFAULT_MAX_BYTES = 20_000_000
TITLE_MAX_CHARS = 120
KIND_BY_EXTENSION = {
    ".txt": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".pdf": "pdf", ".xml": "feed", ".rss": "feed", ".atom": "feed",
}  # fmt: skip
_FEED_WORDS = ("feed", "feeds", "rss", "atom", "rdf")


@dataclass(frozen=True)
class IngestFailure:
    """An item of a folder or feed that could not be read; the others still are."""

    source: str
    error: KansokuError

    def __str__(self) -> str:
        return str(self.error)


Item = Document | IngestFailure


@dataclass
class _Options:
    published: date | None
    lang: str | None
    max_bytes: int
    page: bool
    transport: Transport | None = None
    owned: HttpxTransport | None = None

    def get_transport(self) -> Transport:
        if self.transport is None:
            self.owned = HttpxTransport(max_bytes=self.max_bytes)
            self.transport = self.owned
        return self.transport

    def close(self) -> None:
        if self.owned is not None:
            self.owned.close()
            self.owned = None
            self.transport = None


@dataclass
class _Hints:
    """What the caller already knows about an input (a feed entry's title, link, date)."""

    title: str | None = None
    author: str | None = None
    site: str | None = None
    url: str | None = None
    path: str | None = None
    dates: list[str] = field(default_factory=list)


# --- public API -----------------------------------------------------------------------


def read_source(
    source: str,
    *,
    published: date | None = None,
    lang: str | None = None,
    transport: Transport | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    page: bool = False,
) -> Iterator[Document | IngestFailure]:
    """Documents from a file, folder (recursive), http(s) URL, feed, or "-" for stdin.

    A single bad file or URL raises its `IngestError` here; folders and feeds yield an
    `IngestFailure` for each bad item and go on.
    """
    opts = _options(published, lang, max_bytes, page, transport)
    try:
        if source == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
            items = _read_data(data, name="<stdin>", hints=_Hints(), opts=opts, origin="stdin")
            return _close_after(items, opts)
        if _is_url(source):
            return _close_after(_read_url(source, opts), opts)
        path = Path(source)
        if path.is_dir():
            return _close_after(_read_folder(path, opts), opts)
        if not path.exists():
            raise IngestError(
                f"{source}: no such file or folder: check the path (URLs must start with http:// or https://)"
            )
        return _close_after(_read_file(path, opts), opts)
    except BaseException:
        opts.close()
        raise


def read_bytes(
    data: bytes,
    *,
    name: str,
    content_type: str | None = None,
    published: date | None = None,
    lang: str | None = None,
    url: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """One Document from in-memory bytes; `name` is used in messages and to pick the kind."""
    opts = _options(published, lang, max_bytes, False, None)
    try:
        kind = KIND_BY_EXTENSION.get(Path(name).suffix.lower())
        items = _read_data(
            data,
            name=name,
            hints=_Hints(url=url),
            opts=opts,
            content_type=content_type,
            origin="bytes",
            kind=kind,
            allow_feed=False,
        )
        document = next(items)
    finally:
        opts.close()
    assert isinstance(document, Document)
    return document


# --- sources --------------------------------------------------------------------------


def _options(
    published: date | None,
    lang: str | None,
    max_bytes: int,
    page: bool,
    transport: Transport | None,
) -> _Options:
    if isinstance(published, datetime):
        published = published.date()
    return _Options(published, check_language(lang) if lang else None, max_bytes, page, transport)


def _close_after(items: Iterator[Item], opts: _Options) -> Iterator[Item]:
    """Run the first stage now (so a single bad input raises at the call), the rest lazily."""
    try:
        first = next(items)
    except StopIteration:
        opts.close()
        return iter(())
    except BaseException:
        opts.close()
        raise

    def rest() -> Iterator[Item]:
        try:
            yield first
            yield from items
        finally:
            opts.close()

    return rest()


def _is_url(source: str) -> bool:
    scheme = urlsplit(source).scheme if ":" in source else ""
    if len(scheme) < 2:  # "C:\\news.txt" is a Windows path, not a URL
        return False
    return "://" in source or not os.path.exists(source)


def _read_url(url: str, opts: _Options) -> Iterator[Item]:
    response = fetch(url, opts.get_transport(), max_bytes=opts.max_bytes)
    yield from _read_data(
        response.content,
        name=url,
        hints=_Hints(url=response.url or url),
        opts=opts,
        content_type=response.content_type,
        origin="url",
        feed_expected=_looks_like_feed_url(url) or media_type(response.content_type) in FEED_TYPES,
    )


def _looks_like_feed_url(url: str) -> bool:
    parts = urlsplit(url)
    path = parts.path.lower().rstrip("/")
    last = path.rsplit("/", 1)[-1]
    stem, _, ext = last.rpartition(".")
    return (
        ext in ("xml", "rss", "atom", "rdf")
        or (stem or last) in _FEED_WORDS
        or any(
            f"{w}=" in parts.query.lower() or f"={w}" in parts.query.lower() for w in _FEED_WORDS
        )
    )


def _read_file(path: Path, opts: _Options) -> Iterator[Item]:
    try:
        size = path.stat().st_size
        if size > opts.max_bytes:
            raise too_large(str(path), size, opts.max_bytes)
        data = path.read_bytes()
    except OSError as err:
        raise IngestError(
            f"{path}: cannot read ({err.strerror}): check the path and its permissions"
        ) from err
    kind = KIND_BY_EXTENSION.get(path.suffix.lower())
    yield from _read_data(
        data,
        name=str(path),
        hints=_Hints(path=str(path)),
        opts=opts,
        kind=kind,
        origin="file",
        feed_expected=kind == "feed",
    )


def _walk(folder: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def _read_folder(folder: Path, opts: _Options) -> Iterator[Item]:
    for path in _walk(folder):
        yield from _guarded(str(path), lambda p=path: _read_file(p, opts))  # type: ignore[misc]


def _guarded(source: str, produce: Callable[[], Iterator[Item]]) -> Iterator[Item]:
    """Items of `produce()`, or one IngestFailure if it raises before finishing."""
    try:
        items = list(produce())
    except KansokuError as err:
        yield IngestFailure(source, err)
        return
    except Exception as err:  # a library bug on one odd file must not stop a folder
        wrapped = IngestError(f"{source}: unexpected {type(err).__name__} while reading: {err}")
        wrapped.__cause__ = err
        yield IngestFailure(source, wrapped)
        return
    yield from items


# --- kinds ----------------------------------------------------------------------------


def _decide_kind(
    data: bytes, text: str | None, *, kind: str | None, content_type: str | None, page: bool
) -> str:
    media = media_type(content_type)
    if data.startswith(b"%PDF-") or media == "application/pdf" or kind == "pdf":
        return "pdf"
    assert text is not None
    html = media in ("text/html", "application/xhtml+xml") or looks_like_html(text)
    if page:
        return "html" if html or kind == "html" else "text"
    if kind in ("text", "markdown"):
        return kind
    if looks_like_feed(text):
        return "feed"
    if kind == "feed" or media in FEED_TYPES or media in XML_TYPES:
        return "html-as-feed" if html else "feed"
    if kind == "html" or html:
        return "html"
    return "markdown" if media == "text/markdown" else "text"


def _read_data(
    data: bytes,
    *,
    name: str,
    hints: _Hints,
    opts: _Options,
    origin: str,
    kind: str | None = None,
    content_type: str | None = None,
    feed_expected: bool = False,
    allow_feed: bool = True,
) -> Iterator[Item]:
    if len(data) > opts.max_bytes:
        raise too_large(
            name, len(data) if origin != "stdin" else f"more than {opts.max_bytes}", opts.max_bytes
        )
    if not data.strip():
        raise EmptyInputError(f"{name}: empty input (no text): pass a file with the article text")
    media = media_type(content_type)
    text: str | None = None
    if not data.startswith(b"%PDF-"):
        if kind != "pdf" and media != "application/pdf":
            text = decode_bytes(data, name, declared_charset(data, content_type))
        elif binary_kind(data):
            decode_bytes(data, name)  # raises a DecodeError that says what the file is
    decided = _decide_kind(data, text, kind=kind, content_type=content_type, page=opts.page)
    if decided == "html-as-feed" or (decided == "html" and feed_expected and not opts.page):
        if origin == "url":
            raise FeedError(
                f"feed {name} returned HTML, not RSS/Atom: ingest it as a page with --page"
            )
        raise FeedError(
            f"{name}: a feed file that holds HTML, not RSS/Atom: ingest it as a page with --page"
        )
    if decided == "feed" and not allow_feed:
        raise FeedError(
            f"{name}: an RSS/Atom feed, not one document: ingest it with read_source() "
            "to get one document per entry"
        )
    if decided == "feed":
        feed = parse_feed(data, name=name)
        yield from _feed_items(feed, name=name, hints=hints, opts=opts)
        return
    if decided == "pdf":
        pdf = extract_pdf(data, name=name)
        yield _document(
            pdf.text,
            raw=data,
            name=name,
            hints=hints,
            opts=opts,
            content_type="application/pdf",
            title=pdf.title or _first_line_title(pdf.text),
            author=pdf.author,
        )
    elif decided == "html":
        assert text is not None
        article = extract_html(text, name=name, url=hints.url)
        # htmldate "repairs" an impossible meta date (2024-02-30 → 2024-02-01): when the page
        # has publication meta tags, read them ourselves and use trafilatura's date only
        # for pages without them (JSON-LD, URL).
        dates = article.meta_dates or ([article.date] if article.date else [])
        yield _document(
            article.text,
            raw=data,
            name=name,
            hints=hints,
            opts=opts,
            content_type="application/xhtml+xml"
            if media == "application/xhtml+xml"
            else "text/html",
            title=article.title,
            author=article.author,
            site=article.site,
            dates=dates,
        )
    else:
        assert text is not None
        markdown = decided == "markdown"
        yield _document(
            text,
            raw=data,
            name=name,
            hints=hints,
            opts=opts,
            content_type="text/markdown" if markdown else "text/plain",
            title=_first_line_title(normalize_text(text), markdown=markdown),
        )


def _feed_items(feed: Feed, *, name: str, hints: _Hints, opts: _Options) -> Iterator[Item]:
    for entry in feed.entries:
        label = f"{name} entry {entry.index + 1}" + (f" ({entry.title})" if entry.title else "")
        entry_hints = _Hints(
            title=entry.title,
            author=entry.author,
            site=feed.title,
            url=entry.link,
            path=hints.path,
            dates=[entry.published] if entry.published else [],
        )

        def produce(entry=entry, label=label, entry_hints=entry_hints) -> Iterator[Item]:  # type: ignore[no-untyped-def]
            if entry.substantial:
                yield _document(
                    entry.text,
                    raw=entry.html.encode("utf-8"),
                    name=label,
                    hints=entry_hints,
                    opts=opts,
                    content_type=entry.content_type,
                )
            elif entry.link:
                response = fetch(entry.link, opts.get_transport(), max_bytes=opts.max_bytes)
                page_opts = _Options(
                    opts.published, opts.lang, opts.max_bytes, True, opts.transport
                )
                yield from _read_data(
                    response.content,
                    name=entry.link,
                    hints=entry_hints,
                    opts=page_opts,
                    content_type=response.content_type,
                    origin="url",
                )
            else:
                raise EmptyInputError(
                    f"{label}: only a short summary and no link to the article: "
                    "ingest the article page itself"
                )

        yield from _guarded(entry.link or label, produce)


# --- the document ---------------------------------------------------------------------


def _first_line_title(text: str, *, markdown: bool = False) -> str | None:
    """The first line when it is short and more text follows (plain-text convention)."""
    stripped = text.strip()
    first, _, rest = stripped.partition("\n")
    if markdown:
        first = first.lstrip("#").strip()
    first = first.strip()
    if first and len(first) <= TITLE_MAX_CHARS and rest.strip():
        return first
    return None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(normalize_text(value).split())
    return value or None


def _document(
    text: str,
    *,
    raw: bytes,
    name: str,
    hints: _Hints,
    opts: _Options,
    content_type: str,
    title: str | None = None,
    author: str | None = None,
    site: str | None = None,
    dates: list[str] | None = None,
) -> Document:
    normalized = normalize_text(text)
    if not normalized.strip():
        raise EmptyInputError(
            f"{name}: no text after extraction: pass a file with the article text"
        )
    lang = opts.lang or detect_language(normalized)
    site = _clean(site or hints.site)
    reprint = find_reprint(normalized, site)
    chosen = resolve_published(
        name=name,
        text=normalized,
        option=opts.published,
        metadata=[*hints.dates, *(dates or [])],
        footer=reprint.published if reprint else None,
    )
    return Document(
        text=normalized,
        lang=lang,
        published=chosen.date,
        published_from=chosen.source,
        title=_clean(hints.title or title),
        author=_clean(hints.author or author),
        site=site,
        url=hints.url,
        path=hints.path,
        raw=raw,
        content_type=content_type,
        republished_from=reprint,
        warnings=chosen.warnings,
    )
