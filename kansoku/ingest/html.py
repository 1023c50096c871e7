"""HTML → main text and metadata, through trafilatura.

trafilatura finds the article body and the title, date, author and site name. A small
stdlib parser adds what it does not expose: the raw publication-date meta tags (so an
impossible date can be reported rather than silently replaced) and the link texts (so an
index page, whose "main text" is only headlines, is refused instead of ingested).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import trafilatura

from kansoku.errors import EmptyInputError

PUBLISHED_META = frozenset(
    {
        "article:published_time", "og:published_time", "og:article:published_time",
        "datepublished", "pubdate", "publishdate", "publish-date", "publication_date",
        "date", "dc.date", "dc.date.issued", "dcterms.created", "dcterms.issued",
        "sailthru.date", "parsely-pub-date", "cxenseparse:recs:publishtime",
    }
)  # fmt: skip
_BLOCK = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table section article blockquote pre header footer "
    "dd dt dl figure figcaption hr".split()
)
_SKIP = frozenset({"script", "style", "noscript", "template", "svg"})
MIN_ARTICLE_CHARS = 20


class _Collector(HTMLParser):
    """Plain text with block breaks, link texts and publication-date meta tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.meta_dates: list[str] = []
        self.meta_author: str | None = None
        self._skip = 0
        self._link: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")
        elif tag == "a":
            self._link = []
        if tag == "meta":
            a = {k.lower(): (v or "") for k, v in attrs}
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            content = a.get("content", "").strip()
            if key in PUBLISHED_META and content:
                self.meta_dates.append(content)
            elif (
                key in ("author", "article:author", "dc.creator")
                and content
                and not self.meta_author
            ):
                if not content.startswith(("http://", "https://")):
                    self.meta_author = content
        elif tag == "time" and any(k == "pubdate" for k, _ in attrs):
            stamp = dict(attrs).get("datetime")
            if stamp:
                self.meta_dates.append(stamp.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")
        elif tag == "a" and self._link is not None:
            text = " ".join("".join(self._link).split())
            if text:
                self.links.append(text)
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.parts.append(data)
        if self._link is not None:
            self._link.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def _collect(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def html_to_text(html: str) -> str:
    """Text of an HTML fragment (a feed entry's content), one line per block."""
    return _collect(html).text()


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or bool(
        re.search(r"<(?:html|head|body)[\s>]", head)
    )


@dataclass
class HtmlArticle:
    text: str
    title: str | None = None
    author: str | None = None
    site: str | None = None
    date: str | None = None
    meta_dates: list[str] = field(default_factory=list)


def _article_chars(text: str, links: list[str]) -> int:
    """Characters of `text` outside lines that are just a link (headline lists, menus)."""
    link_set = set(links)
    return sum(len(line.strip()) for line in text.split("\n") if line.strip() not in link_set)


def extract_html(html: str, *, name: str, url: str | None = None) -> HtmlArticle:
    """Main text and metadata of an article page; EmptyInputError if it has no article."""
    collector = _collect(html)
    result = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if _article_chars(text, collector.links) < MIN_ARTICLE_CHARS:
        raise EmptyInputError(
            f"{name}: no article text found in the HTML: pass the article page, not an "
            "index page, or save the text as .txt"
        )
    return HtmlArticle(
        text=text,
        title=getattr(result, "title", None) or None,
        # trafilatura drops names it cannot parse as Western names (山田太郎): keep the meta tag.
        author=getattr(result, "author", None) or collector.meta_author,
        site=getattr(result, "sitename", None) or None,
        date=getattr(result, "date", None) or None,
        meta_dates=collector.meta_dates,
    )
