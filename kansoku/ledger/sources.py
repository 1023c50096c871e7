"""Who is an independent source for a canonical event.

A report's *primary source* is whoever first said it: the attributed source (KCNA, the
IAEA — a person counts for the body they speak for), or, in the document's own voice, the
outlet that wrote it. A reprint or near-duplicate speaks with its original's voice: the
seed article reprinted from a blog is that blog. Outlets passing on someone else's claim
(KCNA via Kyodo and via Yonhap) are *relays*: the claim counts once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from kansoku.domain.gazetteer import Gazetteer, name_key
from kansoku.ledger.match import Matcher
from kansoku.ledger.report import Report


@dataclass(frozen=True)
class DocInfo:
    id: str
    site: str | None = None
    url: str | None = None
    author: str | None = None
    republished_from: str | None = None
    republished_url: str | None = None
    near_duplicate_of: str | None = None


_PAREN = re.compile(r"[(（]([^)）]*)[)）]")


def _name_keys(prefix: str, name: str | None) -> set[str]:
    """`ウィーン発『コンフィデンシャル』(長谷川良)` → the blog's name and its author's name."""
    if not name:
        return set()
    keys = {prefix + name_key(name)}
    inner = _PAREN.findall(name)
    if inner:
        keys.add("n:" + name_key(_PAREN.sub("", name)))
        keys |= {"a:" + name_key(part) for part in inner}
    return {k for k in keys if len(k) > 2}


def _host(url: str | None) -> set[str]:
    if not url:
        return set()
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return {"h:" + host} if host else set()


def outlet_keys(doc: DocInfo) -> set[str]:
    """Names under which this document's own voice is known. A reprint has its original's."""
    if doc.republished_from or doc.republished_url:
        return _name_keys("n:", doc.republished_from) | _host(doc.republished_url)
    keys = _name_keys("n:", doc.site) | _host(doc.url) | _name_keys("a:", doc.author)
    return keys or {"d:" + doc.id}


def outlet_name(doc: DocInfo) -> str:
    return doc.site or (urlsplit(doc.url).hostname if doc.url else None) or doc.id


class _Groups:
    """Union-find over outlet keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, keys: set[str]) -> None:
        items = sorted(keys)
        for other in items[1:]:
            a, b = self.find(items[0]), self.find(other)
            if a != b:
                self.parent[max(a, b)] = min(a, b)


@dataclass(frozen=True)
class Voice:
    primary: str  # "entity:<id>" or "outlet:<group>"
    relay: str | None  # outlet that passed it on


def voices(reports: list[Report], docs: dict[str, DocInfo], matcher: Matcher) -> dict[str, Voice]:
    """Primary source and relay of every report, keyed by report id."""
    gaz: Gazetteer = matcher.gazetteer
    groups = _Groups()
    keys_of: dict[str, set[str]] = {}
    for doc in docs.values():
        keys = outlet_keys(doc)
        # An outlet that is itself a known source (KCNA's own site) is that entity.
        for name in (doc.republished_from, doc.site) if doc.republished_from else (doc.site,):
            media = [e for e in gaz.resolve(_PAREN.sub("", name)) if e.type in ("MEDIA", "ORG")] if name else []
            if len(media) == 1:
                keys.add("entity:" + media[0].id)
        keys_of[doc.id] = keys
        groups.union(keys)
    for doc in docs.values():  # a near-duplicate speaks with its original's voice
        if doc.near_duplicate_of in keys_of:
            groups.union(keys_of[doc.id] | keys_of[doc.near_duplicate_of])
    out = {}
    for r in reports:
        doc = docs[r.document_id]
        own = groups.find(min(keys_of[doc.id]))
        entity = next((k for k in sorted(keys_of[doc.id]) if k.startswith("entity:")), None)
        if r.source is not None:
            primary = "entity:" + (matcher.voice(r.source) or r.source)
            relay = None if primary == entity else outlet_name(doc)
        else:
            primary = entity or "outlet:" + own
            relay = outlet_name(doc) if doc.republished_from else None
        out[r.id] = Voice(primary, relay)
    return out
