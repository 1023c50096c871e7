"""Ingestion of local inputs: files, folders, stdin, bytes."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import pytest

from kansoku.errors import DecodeError, EmptyInputError, FeedError, IngestError, TooLargeError
from kansoku.ingest import IngestFailure, read_bytes, read_source
from kansoku.ingest import published as published_module
from kansoku.model import Document

DEVSET = Path(__file__).resolve().parents[3] / "shared" / "devset" / "texts"
if not DEVSET.is_dir():  # the checkout may sit elsewhere than /work/main
    DEVSET = Path("/work/shared/devset/texts")

JA_BODY = (
    "北朝鮮は25日午前、日本海に向けて弾道ミサイル1発を発射した。防衛省によると、ミサイルは"
    "約800キロ飛行し、日本の排他的経済水域の外に落下したとみられる。政府は警戒監視を続けている。"
)
EN_BODY = (
    "North Korea fired a ballistic missile toward the sea off its east coast on Friday, "
    "South Korea's military said. The missile flew about 800 km before landing outside "
    "Japan's exclusive economic zone, according to Japan's defense ministry."
)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> date:
    day = date(2026, 1, 15)
    monkeypatch.setattr(published_module, "today", lambda: day)
    return day


def one(source: str | Path, **kwargs: object) -> Document:
    items = list(read_source(str(source), **kwargs))  # type: ignore[arg-type]
    assert len(items) == 1
    assert isinstance(items[0], Document)
    return items[0]


def article_html(meta: str = "", body: str = JA_BODY, charset: str = "utf-8") -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="{charset}">
<title>ミサイル発射 | 例ニュース</title>{meta}
<meta property="og:site_name" content="例ニュース"><meta name="author" content="山田太郎">
</head><body><nav><a href="/">ホーム</a> <a href="/world">国際</a></nav>
<article><h1>北朝鮮が弾道ミサイル発射</h1><p>{body}</p><p>{body}</p></article>
<footer><a href="/about">会社概要</a></footer></body></html>"""


# --- HTML ------------------------------------------------------------------------------


def test_html_meta_published_time(tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    meta = '<meta property="article:published_time" content="2024-10-25T09:00:00+09:00">'
    page.write_text(article_html(meta), encoding="utf-8")
    doc = one(page)
    assert doc.published == date(2024, 10, 25)
    assert doc.published_from == "metadata"
    assert doc.title == "北朝鮮が弾道ミサイル発射"
    assert doc.site == "例ニュース"
    assert doc.author == "山田太郎"
    assert doc.lang == "ja"
    assert doc.content_type == "text/html"
    assert "弾道ミサイル1発を発射した" in doc.text
    assert doc.raw == page.read_bytes()
    assert doc.path == str(page)
    assert doc.warnings == []


def test_option_wins_over_metadata(tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    meta = '<meta property="article:published_time" content="2024-10-25">'
    page.write_text(article_html(meta), encoding="utf-8")
    doc = one(page, published=date(2024, 10, 26))
    assert (doc.published, doc.published_from) == (date(2024, 10, 26), "option")


def test_impossible_metadata_date_is_warned_and_ignored(tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    meta = '<meta property="article:published_time" content="2024-02-30T09:00:00">'
    page.write_text(article_html(meta), encoding="utf-8")
    doc = one(page)
    codes = [w.code for w in doc.warnings]
    assert "metadata_date_invalid" in codes
    assert doc.published != date(2024, 2, 29)
    assert doc.published_from in ("text", "ingest")


def test_html_meta_charset_shift_jis(tmp_path: Path) -> None:
    page = tmp_path / "sjis.htm"
    page.write_bytes(article_html(charset="Shift_JIS").encode("cp932"))
    doc = one(page)
    assert "弾道ミサイル" in doc.text


def test_html_without_article_text(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    links = "".join(f'<li><a href="/a{i}">Headline number {i}</a></li>' for i in range(5))
    page.write_text(f"<html><head><title>Index</title></head><body><ul>{links}</ul></body></html>")
    with pytest.raises(EmptyInputError, match="no article text found"):
        list(read_source(str(page)))


def test_html_with_empty_body(tmp_path: Path) -> None:
    page = tmp_path / "blank.html"
    page.write_text("<html><head><title>x</title></head><body></body></html>")
    with pytest.raises(EmptyInputError):
        read_source(str(page))


# --- plain text and encodings -----------------------------------------------------------


def test_shift_jis_text(tmp_path: Path) -> None:
    f = tmp_path / "sjis.txt"
    f.write_bytes(("北朝鮮がミサイル発射\n" + JA_BODY + "～ウィ―ン\n").encode("cp932"))
    doc = one(f)
    assert doc.text.startswith("北朝鮮がミサイル発射\n")
    assert "ウィーン" in doc.text and "\u2015" not in doc.text
    assert doc.title == "北朝鮮がミサイル発射"
    assert doc.lang == "ja"


def test_euc_jp_text(tmp_path: Path) -> None:
    f = tmp_path / "euc.txt"
    f.write_bytes(("防衛省の発表\n" + JA_BODY).encode("euc_jp"))
    doc = one(f)
    assert doc.text.startswith("防衛省の発表\n北朝鮮は25日午前")
    assert doc.lang == "ja"


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    f = tmp_path / "bom.txt"
    f.write_bytes(b"\xef\xbb\xbf" + ("見出し\r\n" + JA_BODY).encode("utf-8"))
    doc = one(f)
    assert doc.text.startswith("見出し\n北朝鮮")


def test_title_only_when_short_and_followed(tmp_path: Path) -> None:
    f = tmp_path / "single.txt"
    f.write_text(EN_BODY)
    assert one(f).title is None
    f.write_text("A headline\n" + EN_BODY)
    doc = one(f)
    assert doc.title == "A headline"
    assert doc.text.startswith("A headline\n")
    assert doc.lang == "en"


def test_markdown_title(tmp_path: Path) -> None:
    f = tmp_path / "note.md"
    f.write_text("# Missile launch\n\n" + EN_BODY)
    doc = one(f)
    assert doc.title == "Missile launch"
    assert doc.content_type == "text/markdown"


def test_korean_and_lang_override(tmp_path: Path) -> None:
    f = tmp_path / "ko.txt"
    f.write_text("북한이 25일 동해상으로 탄도미사일 1발을 발사했다고 합동참모본부가 밝혔다.")
    assert one(f).lang == "ko"
    assert one(f, lang="ja").lang == "ja"
    with pytest.raises(IngestError, match="not supported"):
        read_source(str(f), lang="fr")


def test_dateline_ja_and_guessed_date(tmp_path: Path, fixed_today: date) -> None:
    f = tmp_path / "dateline.txt"
    f.write_text("【ソウル共同】2024年10月25日 " + JA_BODY)
    doc = one(f)
    assert (doc.published, doc.published_from) == (date(2024, 10, 25), "text")
    f.write_text(JA_BODY)
    doc = one(f)
    assert (doc.published, doc.published_from) == (fixed_today, "ingest")
    (warning,) = doc.warnings
    assert warning.code == "published_guessed"
    assert "--published YYYY-MM-DD" in warning.message


def test_dateline_yonhap_without_year(tmp_path: Path) -> None:
    f = tmp_path / "yonhap.txt"
    f.write_text("SEOUL, Oct. 25 (Yonhap) -- " + EN_BODY)
    doc = one(f)
    assert doc.published == date(2025, 10, 25)  # the latest Oct. 25 not after 2026-01-15
    assert [w.code for w in doc.warnings] == ["published_year_guessed"]


def test_empty_and_whitespace_files(tmp_path: Path) -> None:
    for content in (b"", b"  \n\t\n"):
        f = tmp_path / "empty.txt"
        f.write_bytes(content)
        with pytest.raises(EmptyInputError, match="empty.txt"):
            read_source(str(f))


def test_binary_file(tmp_path: Path) -> None:
    f = tmp_path / "photo.png"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(DecodeError) as info:
        read_source(str(f))
    message = str(info.value)
    assert "photo.png" in message and "PNG image" in message and "pass a text" in message
    g = tmp_path / "data.bin"
    g.write_bytes(b"abc\x00\x01\x02def" * 50)
    with pytest.raises(DecodeError, match="NUL"):
        read_source(str(g))


def test_undecodable_text(tmp_path: Path) -> None:
    f = tmp_path / "mixed.txt"
    f.write_bytes("日本語".encode() + b"\x81\xff\xfe\x80" * 20)
    with pytest.raises(DecodeError, match="mixed.txt"):
        read_source(str(f))


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_text("x" * 2000)
    with pytest.raises(TooLargeError) as info:
        read_source(str(f), max_bytes=1000)
    assert (
        "2000" in str(info.value) and "1000" in str(info.value) and "--max-bytes" in str(info.value)
    )


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such file"):
        read_source(str(tmp_path / "nope.txt"))


# --- PDF -------------------------------------------------------------------------------


def make_pdf(path: Path, text: str | None, password: str | None = None) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title("IAEA board report")
    pdf.add_page()
    if text:
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 10, text)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    path.write_bytes(bytes(pdf.output()))


def test_pdf(tmp_path: Path) -> None:
    f = tmp_path / "report.pdf"
    make_pdf(f, "Report by the Director General\n" + EN_BODY)
    doc = one(f, published=date(2025, 3, 3))
    assert "ballistic missile" in doc.text
    assert doc.title == "IAEA board report"
    assert doc.content_type == "application/pdf"
    assert doc.lang == "en"


def test_pdf_without_text(tmp_path: Path) -> None:
    f = tmp_path / "scan.pdf"
    make_pdf(f, None)
    with pytest.raises(EmptyInputError, match="no text layer"):
        read_source(str(f))


def test_encrypted_pdf(tmp_path: Path) -> None:
    f = tmp_path / "locked.pdf"
    make_pdf(f, EN_BODY, password="secret")
    with pytest.raises(DecodeError, match="encrypted"):
        read_source(str(f))


def test_broken_pdf(tmp_path: Path) -> None:
    f = tmp_path / "broken.pdf"
    f.write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    with pytest.raises(DecodeError, match="broken.pdf"):
        read_source(str(f))


# --- stdin, bytes, folders --------------------------------------------------------------


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(("見出し\n" + JA_BODY).encode("cp932"))

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    doc = one("-", published=date(2024, 10, 25))
    assert doc.title == "見出し"
    assert doc.path is None
    assert doc.published_from == "option"


def test_read_bytes() -> None:
    doc = read_bytes(
        ("見出し\n" + JA_BODY).encode("euc_jp"), name="memo.txt", url="https://example.org/a"
    )
    assert doc.url == "https://example.org/a"
    assert doc.lang == "ja"
    html = article_html('<meta property="article:published_time" content="2023-12-22">').encode()
    doc = read_bytes(html, name="page", content_type="text/html; charset=utf-8")
    assert doc.published == date(2023, 12, 22)
    rss = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a</title><link>http://127.0.0.1:1/a</link></item></channel></rss>'
    with pytest.raises(FeedError, match="read_source"):
        read_bytes(rss, name="feed.xml")


def test_folder_with_good_and_bad_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text("A headline\n" + EN_BODY)
    (tmp_path / "sub" / "b.html").write_text(article_html())
    (tmp_path / "sub" / "notes").write_text(JA_BODY)  # no extension: sniffed as text
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / ".hidden.txt").write_text(EN_BODY)
    (tmp_path / ".git" / "config.txt").write_text(EN_BODY)
    items = list(read_source(str(tmp_path)))
    docs = [i for i in items if isinstance(i, Document)]
    failures = [i for i in items if isinstance(i, IngestFailure)]
    assert sorted(Path(d.path or "").name for d in docs) == ["a.txt", "b.html", "notes"]
    assert {Path(f.source).name: type(f.error) for f in failures} == {
        "empty.txt": EmptyInputError,
        "photo.png": DecodeError,
    }


def test_local_feed_file_with_html(tmp_path: Path) -> None:
    f = tmp_path / "feed.xml"
    f.write_text(article_html())
    with pytest.raises(FeedError, match="--page"):
        read_source(str(f))


# --- the dev set --------------------------------------------------------------------------


def test_seed_article() -> None:
    doc = one(DEVSET / "seed-hasegawa-2025-08-24.txt")
    assert doc.lang == "ja"
    assert (doc.published, doc.published_from) == (date(2025, 8, 24), "text")
    assert doc.republished_from is not None
    assert "ウィーン発『コンフィデンシャル』" in doc.republished_from.name
    assert doc.republished_from.published == date(2025, 8, 24)
    assert "ウィーン" in doc.text and "\u2015" not in doc.text
    assert doc.warnings == []


def test_yongbyon_reprint() -> None:
    doc = one(DEVSET / "ja-20240105-yongbyon-lwr-reprint.txt", published=date(2024, 1, 5))
    assert doc.republished_from is not None
    assert doc.republished_from.name == "アジア安保通信"
    assert doc.republished_from.published == date(2023, 12, 22)
    assert (doc.published, doc.published_from) == (date(2024, 1, 5), "option")
    assert doc.anchor_date == date(2023, 12, 22)
    assert doc.title == "ヨンビョンの軽水炉が臨界か IAEA「温排水を確認」"


def test_devset_texts_ingest_cleanly() -> None:
    for path in sorted(DEVSET.glob("*.txt")):
        doc = one(path)
        assert doc.lang == path.name.split("-")[0].replace("seed", "ja"), path.name
