"""The ingestion stages as plain functions: decode, language, dates, reprint footers."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from kansoku.errors import DecodeError, EmptyInputError
from kansoku.ingest import published as published_module
from kansoku.ingest.decode import binary_kind, declared_charset, decode_bytes
from kansoku.ingest.feed import looks_like_feed
from kansoku.ingest.language import detect_language
from kansoku.ingest.published import find_dateline, parse_metadata_date, resolve_published
from kansoku.ingest.reprint import find_reprint, load_cues
from kansoku.model import RepublishedFrom
from kansoku.normalize import normalize_text

JA = "北朝鮮は弾道ミサイルを発射したと防衛省が発表した。ひらがなとカタカナを含む日本語の文章です。"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(published_module, "today", lambda: date(2026, 1, 15))


@pytest.mark.parametrize("encoding", ["utf-8", "cp932", "euc_jp", "utf-16", "iso2022_jp"])
def test_decode_japanese_encodings(encoding: str) -> None:
    assert decode_bytes(JA.encode(encoding), "x.txt") == JA


def test_declared_charset_is_honoured() -> None:
    data = "<meta charset='euc-jp'>café".encode("euc_jp")
    assert declared_charset(data) == "euc-jp"
    assert declared_charset(b"x", "text/html; charset=Shift_JIS") == "Shift_JIS"
    assert decode_bytes("<p>é</p>".encode("latin-1"), "p.html", "iso-8859-1") == "<p>é</p>"
    # a page mislabelled latin-1 that is valid UTF-8 is read as UTF-8
    assert decode_bytes(JA.encode(), "p.html", "iso-8859-1") == JA


def test_binary_kinds() -> None:
    assert binary_kind(b"PK\x03\x04rest") == "ZIP archive (or DOCX/XLSX/EPUB)"
    assert binary_kind(b"\x7fELF\x02\x01") == "ELF executable"
    assert binary_kind(b"MZ is how this text starts, and it goes on for a while" * 3) is None
    assert binary_kind(JA.encode()) is None
    with pytest.raises(DecodeError, match="ELF"):
        decode_bytes(b"\x7fELF\x02\x01\x01", "a.out")
    with pytest.raises(EmptyInputError):
        decode_bytes(b" \n", "blank.txt")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (JA, "ja"),
        ("北朝鮮弾道飛翔体発射", "ja"),
        ("북한이 탄도미사일을 발사했다.", "ko"),
        ("North Korea fired a missile (火星19).", "en"),
        ("IAEAのグロッシ事務局長はNorth Koreaについて語った", "ja"),
        ("12345", "en"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_looks_like_feed() -> None:
    assert looks_like_feed('<?xml version="1.0"?>\n<!-- c --><rss version="2.0">')
    assert looks_like_feed('<feed xmlns="http://www.w3.org/2005/Atom">')
    assert not looks_like_feed("<html><body><rss>")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("【ソウル共同】2024年10月25日 北朝鮮は", date(2024, 10, 25)),
        ("見出し\n2024年10月25日 12:00\n本文", date(2024, 10, 25)),
        ("公開日:2024/10/25\n本文", date(2024, 10, 25)),
        ("WASHINGTON, Jan. 4, 2024 (Reuters) - The", date(2024, 1, 4)),
        ("October 25, 2024\nSEOUL", date(2024, 10, 25)),
        ("北朝鮮は2024年6月、ロシアと", None),
        ("本文\n本文\n本文\n本文\n本文\n2024年10月25日", None),
        ("2024年2月30日 本文", None),
    ],
)
def test_find_dateline(text: str, expected: date | None) -> None:
    found = find_dateline(text)
    assert (found[0] if found else None) == expected


def test_parse_metadata_date() -> None:
    assert parse_metadata_date("2024-10-25T09:00:00+09:00") == date(2024, 10, 25)
    assert parse_metadata_date("Fri, 25 Oct 2024 08:00:00 +0900") == date(2024, 10, 25)
    assert parse_metadata_date("2024年10月25日") == date(2024, 10, 25)
    for bad in ("2024-02-30", "not a date", "2099-01-01", "Mon, 31 Feb 2024 00:00:00 GMT"):
        with pytest.raises(ValueError):
            parse_metadata_date(bad)


def test_resolve_published_order() -> None:
    text = "【ソウル共同】2024年10月25日 本文"
    footer = date(2023, 1, 1)
    opt = resolve_published(name="n", text=text, option=date(2024, 1, 1), metadata=["2024-05-05"])
    assert (opt.date, opt.source) == (date(2024, 1, 1), "option")
    meta = resolve_published(name="n", text=text, metadata=["bogus", "2024-05-05"], footer=footer)
    assert (meta.date, meta.source) == (date(2024, 5, 5), "metadata")
    assert [w.code for w in meta.warnings] == ["metadata_date_invalid"]
    line = resolve_published(name="n", text=text, footer=footer)
    assert (line.date, line.source) == (date(2024, 10, 25), "text")
    foot = resolve_published(name="n", text="本文", footer=footer)
    assert (foot.date, foot.source) == (footer, "text")
    guess = resolve_published(name="n", text="本文")
    assert (guess.date, guess.source) == (date(2026, 1, 15), "ingest")


@pytest.mark.parametrize(
    ("footer", "expected"),
    [
        (
            "編集部より:この記事は長谷川良氏のブログ「ウィ―ン発『コンフィデンシャル』」2025年8月24日の記事を転載させていただきました。",
            RepublishedFrom("ウィーン発『コンフィデンシャル』(長谷川良)", date(2025, 8, 24)),
        ),
        (
            "(この記事はアジア安保通信が2023年12月22日に配信した記事を転載したものです)",
            RepublishedFrom("アジア安保通信", date(2023, 12, 22)),
        ),
        ("本記事は日経ビジネス電子版からの転載です。", RepublishedFrom("日経ビジネス電子版")),
        (
            "初出:東洋経済オンライン 2023年12月1日",
            RepublishedFrom("東洋経済オンライン", date(2023, 12, 1)),
        ),
        (
            "※この記事は「文春オンライン」2024年1月3日の記事を転載したものです。",
            RepublishedFrom("文春オンライン", date(2024, 1, 3)),
        ),
        ("(2023年5月1日の記事を再掲)", RepublishedFrom("例ニュース", date(2023, 5, 1))),
        (
            "This article was originally published by 38 North on March 3, 2024.",
            RepublishedFrom("38 North", date(2024, 3, 3)),
        ),
        ("This piece first appeared in Foreign Policy.", RepublishedFrom("Foreign Policy")),
        (
            "Republished from The Diplomat (https://thediplomat.com/2024/01/x) with permission.",
            RepublishedFrom("The Diplomat", None, "https://thediplomat.com/2024/01/x"),
        ),
    ],
)
def test_find_reprint(footer: str, expected: RepublishedFrom) -> None:
    text = normalize_text("本文です。\nBody text.\n" + footer + "\n\n")
    assert find_reprint(text, site="例ニュース") == expected


@pytest.mark.parametrize(
    "text",
    [
        "本文です。動画はSNSに転載された。\nおわり",
        "The post was republished widely on social media, officials said.\nEnd.",
        "北朝鮮は2024年6月、ロシアと条約を結んだ。",
    ],
)
def test_no_reprint(text: str) -> None:
    assert find_reprint(text) is None


def test_reprint_cue_file_validates() -> None:
    from importlib import resources

    raw = yaml.safe_load(
        resources.files("kansoku.domain").joinpath("reprint.yaml").read_text("utf-8")
    )
    assert raw["version"] == 1
    assert set(raw["patterns"]) <= {"ja", "en"}
    cues = load_cues()
    assert cues.tail_lines > 0 and len(cues.patterns) >= 5
    for pattern in cues.patterns:
        assert "name" in pattern.groupindex or "bare" in pattern.groupindex
