"""The network, behind a small transport interface so tests and callers can swap it.

`Transport.get(url)` returns a `Response`. `HttpxTransport` is the default: timeouts,
at most 5 redirects, a size limit enforced while streaming (a huge body is never held in
memory), content-type checks before the body is read, and the User-Agent `kansoku/0.1`.
`fetch()` applies the same checks to any transport's response.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable
from urllib.parse import urlsplit

import httpx

from kansoku.errors import FetchError, TooLargeError

USER_AGENT = "kansoku/0.1"
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
MAX_REDIRECTS = 5
SCHEMES = ("http", "https")
ACCEPTED_TYPES = (
    "text/html", "application/xhtml+xml", "text/plain", "text/markdown", "application/pdf",
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml",
    "application/xml", "text/xml",
)  # fmt: skip
_CHECK_URL = "is the server running? check the URL"


@dataclass
class Response:
    status: int
    headers: Mapping[str, str]
    content: bytes
    url: str

    @property
    def content_type(self) -> str | None:
        return header(self.headers, "content-type")


@runtime_checkable
class Transport(Protocol):
    def get(self, url: str) -> Response: ...


def header(headers: Mapping[str, str], key: str) -> str | None:
    """Case-insensitive header lookup on any mapping."""
    if key in headers:
        return headers[key]
    lower = key.lower()
    for k, v in headers.items():
        if k.lower() == lower:
            return v
    return None


def media_type(content_type: str | None) -> str | None:
    """Return the bare media type ("text/html" for "text/html; charset=utf-8") or None."""
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower() if ":" in url else ""
    if scheme not in SCHEMES:
        raise FetchError(
            f"{url}: scheme {scheme or '(none)'!r} is not supported: "
            "only http(s) URLs or local paths are accepted"
        )


def check_content_type(url: str, content_type: str | None) -> None:
    kind = media_type(content_type)
    if kind is None or kind in ACCEPTED_TYPES:
        return
    raise FetchError(
        f"{url}: content type {kind} is not HTML, text, PDF or an RSS/Atom feed: "
        "pass the URL of the article page, PDF or feed"
    )


def check_status(url: str, status: int, reason: str = "") -> None:
    if status >= 400:
        text = f"HTTP {status}" + (f" {reason}" if reason else "")
        raise FetchError(f"{url}: {text}: check the URL")


def too_large(url: str, size: int | str, limit: int) -> TooLargeError:
    return TooLargeError(
        f"{url}: {size} bytes is over the limit of {limit} bytes: "
        "raise it with --max-bytes or pass a smaller input"
    )


class HttpxTransport:
    """The default transport: an httpx.Client with Kansoku's limits."""

    def __init__(self, *, max_bytes: int = 20_000_000, client: httpx.Client | None = None) -> None:
        self.max_bytes = max_bytes
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": USER_AGENT},
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> HttpxTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str) -> Response:
        check_scheme(url)
        try:
            with self.client.stream("GET", url) as r:
                final = str(r.url)
                check_status(final, r.status_code, r.reason_phrase)
                check_content_type(final, r.headers.get("content-type"))
                declared = r.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise too_large(final, int(declared), self.max_bytes)
                chunks: list[bytes] = []
                size = 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise too_large(final, f"more than {self.max_bytes}", self.max_bytes)
                    chunks.append(chunk)
                return Response(r.status_code, dict(r.headers), b"".join(chunks), final)
        except httpx.TooManyRedirects as err:
            raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects: check the URL") from err
        except httpx.UnsupportedProtocol as err:
            raise FetchError(
                f"{url}: redirected to an unsupported scheme ({err}): "
                "only http(s) URLs or local paths are accepted"
            ) from err
        except httpx.TimeoutException as err:
            raise FetchError(f"{url}: timed out ({type(err).__name__}): {_CHECK_URL}") from err
        except (httpx.HTTPError, httpx.InvalidURL) as err:
            raise FetchError(f"{url}: {type(err).__name__}: {err}: {_CHECK_URL}") from err


def fetch(url: str, transport: Transport, *, max_bytes: int) -> Response:
    """GET `url` through `transport`, with the status, type and size checks of Kansoku."""
    check_scheme(url)
    response = transport.get(url)
    final = response.url or url
    check_status(final, response.status)
    check_content_type(final, response.content_type)
    if len(response.content) > max_bytes:
        raise too_large(final, len(response.content), max_bytes)
    return response
