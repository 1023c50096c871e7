"""RSS 2.0 / Atom feeds → entries, through feedparser.

Each entry becomes a document: its own content when the feed carries the article, else
the linked page (fetched by the caller). Dates are read from the entry's raw string so a
JST timestamp keeps its local day (feedparser's parsed tuples are in UTC).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import feedparser

from kansoku.errors import EmptyInputError, FeedError
from kansoku.ingest.html import html_to_text

_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:RDF)[\s>]", re.I)
_PROLOG = re.compile(
    r"^(?:\s+|<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>|<\?xml-stylesheet[^>]*\?>)*", re.S
)
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+xml",
)
XML_TYPES = ("application/xml", "text/xml")
# A summary shorter than this, or one that ends in an ellipsis, is a teaser: fetch the link.
SUBSTANTIAL_CHARS = 200
_TRUNCATED = ("…", "...", "[…]", "[...]", "続きを読む", "Read more", "Continue reading")


@dataclass
class FeedEntry:
    index: int
    title: str | None
    link: str | None
    author: str | None
    published: str | None  # raw date string from the entry
    text: str  # plain text of the content or summary
    html: str  # the content or summary as given
    content_type: str = "text/html"

    @property
    def substantial(self) -> bool:
        text = self.text.strip()
        return len(text) >= SUBSTANTIAL_CHARS and not text.endswith(_TRUNCATED)


@dataclass
class Feed:
    title: str | None
    link: str | None
    entries: list[FeedEntry] = field(default_factory=list)


def looks_like_feed(text: str) -> bool:
    """True when the document element is <rss>, <feed> or <rdf:RDF>."""
    rest = text[_PROLOG.match(text).end() :] if text else ""  # type: ignore[union-attr]
    return bool(_FEED_ROOT.match(rest))


def _entry_content(entry: feedparser.FeedParserDict) -> tuple[str, str]:
    best_value, best_type = "", "text/html"
    for part in entry.get("content") or []:
        value = part.get("value") or ""
        if len(value) > len(best_value):
            best_value, best_type = value, part.get("type") or "text/html"
    summary = entry.get("summary") or ""
    if len(summary) > len(best_value):
        detail = entry.get("summary_detail") or {}
        best_value, best_type = summary, detail.get("type") or "text/html"
    return best_value, best_type


def parse_feed(data: bytes, *, name: str) -> Feed:
    """Entries of the RSS/Atom feed `data`; FeedError if it is not a feed."""
    parsed = feedparser.parse(data)  # bytes, never a str: feedparser would fetch a URL
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        why = f" ({reason})" if reason else ""
        raise FeedError(
            f"{name}: not an RSS/Atom feed{why}: pass an RSS 2.0 or Atom feed, "
            "or ingest the page with --page"
        )
    meta = parsed.get("feed", {})
    feed = Feed(title=meta.get("title") or None, link=meta.get("link") or None)
    for i, entry in enumerate(parsed.entries):
        html, ctype = _entry_content(entry)
        text = html_to_text(html) if "html" in ctype else html.strip()
        feed.entries.append(
            FeedEntry(
                index=i,
                title=(entry.get("title") or "").strip() or None,
                link=entry.get("link") or None,
                author=entry.get("author") or None,
                published=entry.get("published") or entry.get("updated") or entry.get("created"),
                text=text,
                html=html,
                content_type="text/html" if "html" in ctype else "text/plain",
            )
        )
    if not feed.entries:
        raise EmptyInputError(f"{name}: the feed has no entries: check the feed URL or try later")
    return feed
