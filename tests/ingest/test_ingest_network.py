"""URLs and feeds, served by a local http.server on 127.0.0.1 (no internet)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kansoku.errors import FeedError, FetchError, TooLargeError
from kansoku.ingest import IngestFailure, Response, read_source
from kansoku.ingest import published as published_module
from kansoku.model import Document

LONG_JA = (
    "国際原子力機関(IAEA)のグロッシ事務局長は21日、北朝鮮北西部の寧辺にある核施設で建設が"
    "進められてきた軽水炉から温かい排水が出ていることを確認したと明らかにした。原子炉が臨界に"
    "達したことを示すものだとしている。IAEAは10月中旬以降、軽水炉の冷却系統から強い排水が"
    "続いているのを衛星画像などで観測しており、グロッシ氏は11月の理事会で「試運転と一致する」と"
    "指摘していた。ただ、IAEAは2009年に査察官が追放されて以来、現地に立ち入れないとしている。"
)
LONG_EN = (
    "North Korea has given Russia ballistic missile launchers and several ballistic missiles, "
    "and Russian forces have fired some of them into Ukraine, a White House spokesman said on "
    "Thursday. At least one missile landed in an open field in the Zaporizhzhia region, he said, "
    "and the United States would raise the transfers at the United Nations Security Council."
)
PAGE = f"""<html><head><title>Teaser target</title>
<meta property="article:published_time" content="2024-01-04"></head>
<body><article><h1>Full story</h1><p>{LONG_EN}</p></article></body></html>"""


def rss(base: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>安保ニュース</title><link>{base}/</link>
<item><title>軽水炉が臨界か</title><link>{base}/a1</link>
<pubDate>Fri, 22 Dec 2023 08:00:00 +0900</pubDate>
<description><![CDATA[<p>{LONG_JA}</p>]]></description></item>
<item><title>Teaser only</title><link>{base}/page</link>
<pubDate>Thu, 04 Jan 2024 18:00:00 +0000</pubDate><description>Short teaser…</description></item>
<item><title>Broken link</title><link>{base}/missing</link><description>Short.</description></item>
</channel></rss>"""


def atom(base: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title><id>urn:x</id>
<updated>2024-01-05T00:00:00Z</updated>
<entry><title>Missiles fired</title><id>urn:1</id><link href="{base}/e1"/>
<published>2024-01-04T10:00:00Z</published><updated>2024-01-05T00:00:00Z</updated>
<author><name>Desk</name></author>
<content type="html">&lt;p&gt;{LONG_EN}&lt;/p&gt;</content></entry>
</feed>"""


class Server:
    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.requests: list[dict[str, str]] = []
        routes, requests = self.routes, self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                requests.append({"path": self.path, "ua": self.headers.get("User-Agent", "")})
                status, ctype, body = routes.get(self.path, (404, "text/plain", b"not found"))
                if status in (301, 302):
                    self.send_response(status)
                    self.send_header("Location", body.decode())
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.handle_error = lambda *a: None  # type: ignore[method-assign]
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(published_module, "today", lambda: date(2026, 1, 15))


def test_rss_feed(server: Server) -> None:
    server.routes["/rss.xml"] = (200, "application/rss+xml", rss(server.base).encode())
    server.routes["/page"] = (200, "text/html; charset=utf-8", PAGE.encode())
    items = list(read_source(server.base + "/rss.xml"))
    assert len(items) == 3
    first, second, third = items
    assert isinstance(first, Document)
    assert first.title == "軽水炉が臨界か"
    assert first.url == server.base + "/a1"
    assert (first.published, first.published_from) == (date(2023, 12, 22), "metadata")
    assert first.site == "安保ニュース"
    assert first.lang == "ja"
    assert "軽水炉から温かい排水" in first.text
    # a teaser: the linked page is fetched; the entry's title and date win
    assert isinstance(second, Document)
    assert second.title == "Teaser only"
    assert "Zaporizhzhia" in second.text
    assert second.published == date(2024, 1, 4)
    assert second.url == server.base + "/page"
    # a dead link: one failure, the rest still ingested
    assert isinstance(third, IngestFailure)
    assert isinstance(third.error, FetchError) and "404" in str(third.error)
    assert all(r["ua"] == "kansoku/0.1" for r in server.requests)


def test_atom_feed(server: Server) -> None:
    server.routes["/atom"] = (200, "application/atom+xml", atom(server.base).encode())
    (doc,) = list(read_source(server.base + "/atom"))
    assert isinstance(doc, Document)
    assert doc.title == "Missiles fired"
    assert doc.url == server.base + "/e1"
    assert doc.published == date(2024, 1, 4)
    assert doc.author == "Desk"
    assert doc.lang == "en"


def test_feed_sniffed_without_feed_content_type(server: Server) -> None:
    server.routes["/news"] = (200, "text/xml", atom(server.base).encode())
    items = list(read_source(server.base + "/news"))
    assert [type(i) for i in items] == [Document]


def test_feed_url_returning_html(server: Server) -> None:
    server.routes["/feed.xml"] = (200, "text/html; charset=utf-8", PAGE.encode())
    with pytest.raises(FeedError) as info:
        read_source(server.base + "/feed.xml")
    assert str(info.value) == (
        f"feed {server.base}/feed.xml returned HTML, not RSS/Atom: ingest it as a page with --page"
    )
    (doc,) = list(read_source(server.base + "/feed.xml", page=True))
    assert isinstance(doc, Document) and "Zaporizhzhia" in doc.text


def test_page_url_with_redirect(server: Server) -> None:
    server.routes["/old"] = (301, "", b"/story")
    server.routes["/story"] = (200, "text/html", PAGE.encode())
    (doc,) = list(read_source(server.base + "/old"))
    assert isinstance(doc, Document)
    assert doc.url == server.base + "/story"
    assert (doc.published, doc.published_from) == (date(2024, 1, 4), "metadata")


def test_redirect_loop(server: Server) -> None:
    server.routes["/loop"] = (302, "", b"/loop")
    with pytest.raises(FetchError, match="redirects"):
        read_source(server.base + "/loop")


def test_http_error_status(server: Server) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        read_source(server.base + "/nothing")


def test_unaccepted_content_type(server: Server) -> None:
    server.routes["/img"] = (200, "image/png", b"\x89PNG\r\n\x1a\n")
    with pytest.raises(FetchError, match="image/png"):
        read_source(server.base + "/img")


def test_response_over_size_limit(server: Server) -> None:
    server.routes["/big"] = (200, "text/plain", b"x" * 5000)
    with pytest.raises(TooLargeError, match="--max-bytes"):
        read_source(server.base + "/big", max_bytes=1000)


def test_closed_port() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/article"
    with pytest.raises(FetchError) as info:
        read_source(url)
    assert url in str(info.value)
    assert "is the server running? check the URL" in str(info.value)


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/a.txt", "file:///etc/passwd", "javascript:alert(1)", "data:text/plain,hi"],
)
def test_unknown_scheme(url: str) -> None:
    with pytest.raises(FetchError) as info:
        read_source(url)
    message = str(info.value)
    assert url.split(":")[0] in message
    assert "only http(s) URLs or local paths are accepted" in message


def test_custom_transport() -> None:
    class Canned:
        def __init__(self) -> None:
            self.seen: list[str] = []

        def get(self, url: str) -> Response:
            self.seen.append(url)
            return Response(
                200,
                {"Content-Type": "text/plain; charset=euc-jp"},
                ("見出し\n" + LONG_JA).encode("euc_jp"),
                url,
            )

    transport = Canned()
    (doc,) = list(read_source("https://news.example/a", transport=transport))
    assert isinstance(doc, Document)
    assert transport.seen == ["https://news.example/a"]
    assert doc.url == "https://news.example/a" and doc.title == "見出し"
