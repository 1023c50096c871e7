"""Time expressions: resolution functions, Japanese and English forms, the dev set."""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from kansoku.extract.times import (
    InvalidDate,
    check_date,
    find_times,
    resolve_day,
    resolve_month_year,
    resolve_weekday,
)
from kansoku.normalize import normalize_text

D = date.fromisoformat


def ja(text: str, anchor: str | None = "2025-08-24"):
    return find_times(normalize_text(text), D(anchor) if anchor else None, "ja")


def en(text: str, anchor: str | None = "2023-03-31"):
    return find_times(text, D(anchor) if anchor else None, "en")


def one(result):
    assert len(result.times) == 1, result.times
    t = result.times[0]
    return t.text, t.start.isoformat(), t.end.isoformat(), t.precision


# ---------------------------------------------------------------- pure functions


@pytest.mark.parametrize(
    "day, anchor, want",
    [
        (24, "2025-08-24", "2025-08-24"),
        (30, "2025-08-24", "2025-07-30"),
        (10, "2025-01-05", "2024-12-10"),
        (31, "2025-03-05", "2025-01-31"),
        (29, "2024-03-01", "2024-02-29"),
    ],
)
def test_resolve_day(day, anchor, want):
    assert resolve_day(day, D(anchor)) == D(want)


def test_resolve_day_future_keeps_month():
    assert resolve_day(23, D("2023-03-17"), future=True) == D("2023-03-23")


def test_resolve_day_zero_is_invalid():
    with pytest.raises(InvalidDate):
        resolve_day(0, D("2025-08-24"))


def test_resolve_month_year():
    assert resolve_month_year(6, D("2025-08-24")) == 2025
    assert resolve_month_year(12, D("2023-03-31")) == 2022
    assert resolve_month_year(12, D("2024-10-25"), future=True) == 2024
    assert resolve_month_year(4, D("2024-03-29"), ahead=2) == 2024


def test_resolve_weekday():
    assert resolve_weekday(3, D("2023-03-31")) == D("2023-03-30")  # Thursday before a Friday
    assert resolve_weekday(4, D("2023-03-31")) == D("2023-03-31")
    assert resolve_weekday(4, D("2023-03-31"), "last") == D("2023-03-24")
    assert resolve_weekday(0, D("2023-03-31"), "next") == D("2023-04-03")


def test_check_date_leap_years():
    assert check_date(2024, 2, 29) is None
    assert "2023" in check_date(2023, 2, 29)
    assert check_date(None, 2, 29) is None
    assert check_date(None, 2, 30) == "February has no day 30"
    assert check_date(None, 13) == "there is no month 13"
    assert check_date(None, 3, 33) == "March has no day 33"


# ---------------------------------------------------------------- Japanese absolute


@pytest.mark.parametrize(
    "text, want",
    [
        ("2024年6月に会談", ("2024年6月", "2024-06-01", "2024-06-30", "month")),
        ("2025年8月23日に", ("2025年8月23日", "2025-08-23", "2025-08-23", "day")),
        ("2024年10月中旬に", ("2024年10月中旬", "2024-10-11", "2024-10-20", "part_of_month")),
        ("2025年1月下旬、", ("2025年1月下旬", "2025-01-21", "2025-01-31", "part_of_month")),
        ("2024年2月上旬", ("2024年2月上旬", "2024-02-01", "2024-02-10", "part_of_month")),
        ("令和6年に", ("令和6年", "2024-01-01", "2024-12-31", "year")),
        ("平成元年", ("平成元年", "1989-01-01", "1989-12-31", "year")),
        ("2009年に設置", ("2009年", "2009-01-01", "2009-12-31", "year")),
        ("2024年第3四半期", ("2024年第3四半期", "2024-07-01", "2024-09-30", "quarter")),
        ("2024年1~3月期の", ("2024年1~3月期", "2024-01-01", "2024-03-31", "quarter")),
        ("4月末で終える", ("4月末", "2025-04-30", "2025-04-30", "day")),
        ("2024年2月29日", ("2024年2月29日", "2024-02-29", "2024-02-29", "day")),
        ("2025/8/23", ("2025/8/23", "2025-08-23", "2025-08-23", "day")),
        ("2024年度", ("2024年度", "2024-04-01", "2025-03-31", "range")),
    ],
)
def test_ja_absolute(text, want):
    assert one(ja(text)) == want


# ---------------------------------------------------------------- Japanese relative


@pytest.mark.parametrize(
    "text, anchor, want",
    [
        ("24日に発表", "2025-08-24", ("24日", "2025-08-24", "2025-08-24", "day")),
        ("30日に発表", "2025-08-24", ("30日", "2025-07-30", "2025-07-30", "day")),
        ("10日に発表", "2025-01-05", ("10日", "2024-12-10", "2024-12-10", "day")),
        ("6月に署名", "2024-12-05", ("6月", "2024-06-01", "2024-06-30", "month")),
        ("11月に報告", "2025-02-01", ("11月", "2024-11-01", "2024-11-30", "month")),
        ("12月までに派遣", "2024-10-25", ("12月", "2024-12-01", "2024-12-31", "month")),
        ("昨年", "2025-08-24", ("昨年", "2024-01-01", "2024-12-31", "year")),
        ("一昨年", "2025-08-24", ("一昨年", "2023-01-01", "2023-12-31", "year")),
        ("来年", "2025-08-24", ("来年", "2026-01-01", "2026-12-31", "year")),
        ("昨年3月", "2024-03-29", ("昨年3月", "2023-03-01", "2023-03-31", "month")),
        ("昨年12月以来", "2024-10-31", ("昨年12月", "2023-12-01", "2023-12-31", "month")),
        ("今年1月", "2025-08-24", ("今年1月", "2025-01-01", "2025-01-31", "month")),
        ("来年6月", "2025-08-24", ("来年6月", "2026-06-01", "2026-06-30", "month")),
        ("先月", "2025-01-10", ("先月", "2024-12-01", "2024-12-31", "month")),
        ("来月", "2025-12-10", ("来月", "2026-01-01", "2026-01-31", "month")),
        ("先月下旬", "2023-08-06", ("先月下旬", "2023-07-21", "2023-07-31", "part_of_month")),
        ("今月上旬", "2023-08-06", ("今月上旬", "2023-08-01", "2023-08-10", "part_of_month")),
        ("今月末", "2024-02-06", ("今月末", "2024-02-29", "2024-02-29", "day")),
        ("今年に入って", "2025-08-24", ("今年に入って", "2025-01-01", "2025-08-24", "range")),
        ("今年に入り", "2025-08-24", ("今年に入り", "2025-01-01", "2025-08-24", "range")),
    ],
)
def test_ja_relative(text, anchor, want):
    assert one(ja(text, anchor)) == want


def test_ja_relative_needs_anchor():
    res = ja("24日、昨年、先月、2024年6月", None)
    assert [t.text for t in res.times] == ["2024年6月"]


def test_ja_same_day_and_next_day():
    res = ja("21日午後10時40分すぎに発射。翌日報じた。同日夜、同11日", "2023-11-23")
    got = [(t.text, t.start.isoformat()) for t in res.times]
    assert got == [
        ("21日", "2023-11-21"),
        ("翌日", "2023-11-22"),
        ("同日", "2023-11-22"),
        ("同11日", "2023-11-11"),
    ]


def test_ja_same_numbered_day_uses_last_month():
    res = ja("11月9日に署名し、同11日に批准", "2024-12-05")
    assert [t.start.isoformat() for t in res.times] == ["2024-11-09", "2024-11-11"]


def test_ja_previous_day_with_explicit_day_is_one_timex():
    res = ja("米財務省は前日の16日、制裁", "2024-05-17")
    assert [(t.text, t.start.isoformat()) for t in res.times] == [("16日", "2024-05-16")]


def test_ja_previous_day_alone():
    res = ja("17日に発表した。前日に", "2024-05-17")
    assert res.times[1].text == "前日" and res.times[1].start == D("2024-05-16")


def test_ja_clock_time_is_not_a_timex():
    res = ja("31日午前7時11分ごろ発射し、午前8時37分ごろ落下", "2024-10-31")
    assert [t.text for t in res.times] == ["31日"]
    assert res.durations == []


# ---------------------------------------------------------------- ranges


@pytest.mark.parametrize(
    "text, anchor, want",
    [
        ("8~13日に移送", "2024-10-25", ("8~13日", "2024-10-08", "2024-10-13", "range")),
        ("3~5日に視察", "2023-08-06", ("3~5日", "2023-08-03", "2023-08-05", "range")),
        ("3〜5日に視察", "2023-08-06", ("3~5日", "2023-08-03", "2023-08-05", "range")),
        (
            "22日から12月1日まで",
            "2023-11-23",
            ("22日から12月1日", "2023-11-22", "2023-12-01", "range"),
        ),
        (
            "今月上旬から中旬にかけて",
            "2024-10-25",
            ("今月上旬から中旬", "2024-10-01", "2024-10-20", "range"),
        ),
        (
            "9月から10月上旬にかけて",
            "2023-12-22",
            ("9月から10月上旬", "2023-09-01", "2023-10-10", "range"),
        ),
        (
            "2024年10月8~13日",
            "2025-01-01",
            ("2024年10月8~13日", "2024-10-08", "2024-10-13", "range"),
        ),
        (
            "12月28日から1月3日",
            "2025-01-10",
            ("12月28日から1月3日", "2024-12-28", "2025-01-03", "range"),
        ),
    ],
)
def test_ja_ranges(text, anchor, want):
    assert one(ja(text, anchor)) == want


def test_ja_from_date_without_second_date_is_not_a_range():
    assert one(ja("13日から実施している", "2023-03-17")) == (
        "13日",
        "2023-03-13",
        "2023-03-13",
        "day",
    )


# ---------------------------------------------------------------- durations and non-dates


@pytest.mark.parametrize(
    "text, value, unit, approximate",
    [
        ("約60日間の停止", 60, "day", True),
        ("2時間50分飛行", 170, "minute", False),
        ("86分間", 86, "minute", False),
        ("1年間", 1, "year", False),
        ("24時間態勢", 24, "hour", False),
        ("3カ月間", 3, "month", False),
        ("2週間", 2, "week", False),
    ],
)
def test_ja_durations(text, value, unit, approximate):
    res = ja(text)
    assert res.times == []
    assert [(d.value, d.unit, d.approximate) for d in res.durations] == [(value, unit, approximate)]


@pytest.mark.parametrize(
    "text",
    [
        "第7次運転サイクル",
        "5MW(e)原子炉",
        "1日あたり100発",
        "日本の安全",
        "数日後",
        "前日本代表",
        "3日目",
        "24年ぶり",
        "同日程",
        "3分の1",
        "4日連続",
    ],
)
def test_ja_not_dates(text):
    assert ja(text).times == []


# ---------------------------------------------------------------- invalid dates


@pytest.mark.parametrize(
    "text, anchor, message",
    [
        ("3月33日の理事会", "2025-08-24", "March has no day 33"),
        ("2月30日に発射", "2023-03-17", "February has no day 30"),
        ("13月に", "2025-08-24", "there is no month 13"),
        ("2023年2月29日", "2025-08-24", "February 2023 has no day 29 (2023 is not a leap year)"),
        ("2月29日に", "2023-03-17", "February 2023 has no day 29 (2023 is not a leap year)"),
        ("0日に", "2025-08-24", "no month has a day 0"),
        ("3月33日の理事会", None, "March has no day 33"),
        ("2024年4月31日から5月2日", "2025-08-24", "April has no day 31"),
        ("令和0年", "2025-08-24", "令和 has no year 0"),
    ],
)
def test_ja_invalid_dates_warn_and_never_resolve(text, anchor, message):
    res = ja(text, anchor)
    assert res.times == []
    [w] = res.warnings
    assert w.code == "invalid_date" and w.message == message
    assert normalize_text(text)[w.start : w.end] == w.text


def test_ja_weekday_checked():
    ok = ja("23日(土)に試射", "2025-08-24")
    assert one(ok)[0] == "23日" and ok.warnings == []
    bad = ja("23日(金)に試射", "2025-08-24")
    assert one(bad)[1] == "2025-08-23"
    assert [w.code for w in bad.warnings] == ["weekday_mismatch"]
    assert bad.warnings[0].text == "23日(金)"


def test_ja_offsets_point_into_text():
    text = normalize_text("北朝鮮は２５日、8～13日に移送したと発表")
    for t in find_times(text, D("2024-10-25"), "ja").times:
        assert text[t.start_char : t.end_char] == t.text


# ---------------------------------------------------------------- English


@pytest.mark.parametrize(
    "text, anchor, want",
    [
        (
            "on Aug. 23, 2024, it",
            "2025-01-01",
            ("Aug. 23, 2024", "2024-08-23", "2024-08-23", "day"),
        ),
        ("on August 23 the", "2024-09-01", ("August 23", "2024-08-23", "2024-08-23", "day")),
        ("on 23 August 2024", "2025-01-01", ("23 August 2024", "2024-08-23", "2024-08-23", "day")),
        ("on Dec. 30 and", "2024-01-05", ("Dec. 30", "2023-12-30", "2023-12-30", "day")),
        ("on Jan. 2.", "2024-01-05", ("Jan. 2", "2024-01-02", "2024-01-02", "day")),
        ("on Thursday imposed", "2023-03-31", ("Thursday", "2023-03-30", "2023-03-30", "day")),
        ("on Tuesday", "2023-03-31", ("Tuesday", "2023-03-28", "2023-03-28", "day")),
        ("last month", "2023-03-31", ("last month", "2023-02-01", "2023-02-28", "month")),
        ("this month", "2023-03-31", ("this month", "2023-03-01", "2023-03-31", "month")),
        ("last year", "2023-03-31", ("last year", "2022-01-01", "2022-12-31", "year")),
        ("launches this year", "2023-09-14", ("this year", "2023-01-01", "2023-12-31", "year")),
        ("In December, the", "2023-03-31", ("December", "2022-12-01", "2022-12-31", "month")),
        (
            "in mid-October",
            "2024-11-01",
            ("mid-October", "2024-10-11", "2024-10-20", "part_of_month"),
        ),
        (
            "in early October",
            "2024-11-01",
            ("early October", "2024-10-01", "2024-10-10", "part_of_month"),
        ),
        (
            "in late October",
            "2024-11-01",
            ("late October", "2024-10-21", "2024-10-31", "part_of_month"),
        ),
        ("summit since 2019.", "2023-09-14", ("2019", "2019-01-01", "2019-12-31", "year")),
        ("in April 2019", "2023-09-14", ("April 2019", "2019-04-01", "2019-04-30", "month")),
        ("said yesterday", "2023-09-14", ("yesterday", "2023-09-13", "2023-09-13", "day")),
        ("said today", "2023-09-14", ("today", "2023-09-14", "2023-09-14", "day")),
        (
            "in the third quarter",
            "2024-11-01",
            ("third quarter", "2024-07-01", "2024-09-30", "quarter"),
        ),
        ("on Aug. 8-13", "2024-09-01", ("Aug. 8-13", "2024-08-08", "2024-08-13", "range")),
    ],
)
def test_en_forms(text, anchor, want):
    assert one(en(text, anchor)) == want


@pytest.mark.parametrize(
    "text",
    [
        "a day after the two leaders met",
        "in the coming days",
        "Hwasong-19",
        "8,000 soldiers",
        "Jan Smith said",
        "may be",
        "in May",
    ],
)
def test_en_not_dates(text):
    res = en(text)
    assert all(t.text != "May" or "in May" in text for t in res.times)
    if text != "in May":
        assert res.times == []


def test_en_durations():
    res = en("the reactor stopped for two months; the flight, about 86 minutes, and a 5-year-old")
    assert [(d.text, d.value, d.unit, d.approximate) for d in res.durations] == [
        ("two months", 2, "month", False),
        ("about 86 minutes", 86, "minute", True),
    ]
    assert res.times == []


def test_en_invalid_date():
    res = en("on Feb. 30 the", "2023-03-31")
    assert res.times == []
    assert [(w.code, w.text) for w in res.warnings] == [("invalid_date", "Feb. 30")]


def test_en_relative_needs_anchor():
    res = en("on Thursday, last month, in April 2019", None)
    assert [t.text for t in res.times] == ["April 2019"]


def test_times_in_clause():
    res = ja("17日に発表した。2024年6月に会談した", "2024-07-01")
    assert [t.text for t in res.times_in(9, 30)] == ["2024年6月"]


# ---------------------------------------------------------------- the dev set

DEVSET = Path("/work/shared/devset")


def _find_time(times, want, used):
    for exact in (True, False):
        for i, t in enumerate(times):
            surface = unicodedata.normalize("NFKC", t.text)
            if i not in used and (surface == want if exact else bool(want) and want in surface):
                used.add(i)
                return t
    return None


def _score(gold):
    text = normalize_text((DEVSET / gold["text_file"]).read_text(encoding="utf-8"))
    meta = (gold.get("meta") or {}).get("republished_from") or {}
    anchor = D(meta.get("published") or gold["published"])
    res = find_times(text, anchor, gold["lang"])
    ok = total = 0
    invalid_missed = []
    used: set[int] = set()
    for tx in gold.get("timexes", []):
        want = unicodedata.normalize("NFKC", tx["text"])
        if tx.get("invalid"):
            if not any(want in unicodedata.normalize("NFKC", w.text) for w in res.warnings):
                invalid_missed.append(want)
            continue
        total += 1
        t = _find_time(res.times, want, used)
        ok += bool(t) and t.start == D(tx["start"]) and t.end == D(tx.get("end") or tx["start"])
    return ok, total, invalid_missed


@pytest.mark.slow
@pytest.mark.skipif(not (DEVSET / "gold").is_dir(), reason="no dev set")
def test_devset_timex_accuracy():
    ok = total = 0
    for path in sorted((DEVSET / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        doc_ok, doc_total, invalid_missed = _score(gold)
        assert invalid_missed == [], f"{path.stem}: invalid dates not flagged"
        if path.stem == "seed-hasegawa-2025-08-24":
            assert doc_ok == doc_total, "the seed must resolve every timex"
        ok, total = ok + doc_ok, total + doc_total
    assert total and ok / total >= 0.97, f"timex accuracy {ok}/{total}"
