"""English time expressions: Aug. 23, 2024, 23 August, on Thursday, last month, mid-October,
in 2019, the third quarter, for two months.

Patterns are tried from the most to the least specific; a later one never overlaps an earlier
match. The timex text is the shortest span carrying the date (`Thursday`, not `on Thursday`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from kansoku.extract.times import (
    MONTH_NAMES,
    WEEKDAY_NAMES,
    InvalidDate,
    TimeResult,
    check_date,
    make_date,
    month_span,
    overlaps,
    part_of_month_span,
    quarter_span,
    resolve_month_year,
    resolve_quarter_year,
    resolve_weekday,
    shift_month,
)
from kansoku.model import Duration, TimeSpan, Warning_

_ABBR = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_FULL = "|".join(MONTH_NAMES)
# A bare abbreviation needs its dot or a following day: "Jan" alone is a name.
_MON = rf"(?:\b(?:{_FULL})\b|\b(?:{_ABBR})\.|\b(?:{_ABBR})\b(?=\s+\d))"
_DAYNUM = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_DAYEND = r"(?:\s*[-–]\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)?)?"
_YEAR = r"(?:,?\s+(?P<y>(?:1[89]|20)\d{2})(?!\d|,\d))?"
_ISO = re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])")
_MDY = re.compile(rf"(?P<mon>{_MON})\s+{_DAYNUM}{_DAYEND}(?![\d,]\d){_YEAR}")
_DMY = re.compile(rf"(?<![\d.,]){_DAYNUM}{_DAYEND}\s+(?:of\s+)?(?P<mon>{_MON}){_YEAR}")
_PART = re.compile(
    r"(?:(?:the\s+)?(?P<part>early|mid|late|end of|beginning of|start of|middle of|"
    rf"first half of|second half of)[\s-]+)(?P<mon>{_MON}){_YEAR}",
    re.IGNORECASE,
)
_MON_YEAR = re.compile(rf"(?P<mon>{_MON}),?\s+(?P<y>(?:1[89]|20)\d{{2}})(?!\d|,\d)")
_BARE_MON = re.compile(
    rf"(?:\b(?P<mod>in|since|by|until|till|from|through|during|of|last|next|this|before|after)\s+)?"
    rf"(?P<mon>{_MON})"
)
_QUARTER = re.compile(
    r"\b(?:the\s+)?(?P<text>(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter"
    r"(?:\s+of\s+(?P<y>\d{4}))?)\b|\bQ(?P<q2>[1-4])\s+(?P<y2>\d{4})\b",
    re.IGNORECASE,
)
_YEAR_ONLY = re.compile(
    r"\b(?:in|since|by|until|till|from|through|to|during|of|before|after|between|and|early|late|"
    r"mid-|around|throughout)\s*(?<![\w])(?P<y>(?:1[89]|20)\d{2})(?![\d,.]\d|\s*(?:%|percent|[a-z]))"
)
_WEEKDAY = re.compile(
    rf"(?:\b(?P<mod>last|next|this|on|On|Last|Next|This)\s+)?\b(?P<wd>{'|'.join(WEEKDAY_NAMES)})\b"
)
_RELATIVE = re.compile(
    r"\b(?P<w>yesterday|today|tomorrow|(?:last|this|next|past) (?:week|month|year))\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90, "hundred": 100,
}  # fmt: skip
_DURATION = re.compile(
    r"(?:\b(?P<approx>about|around|nearly|almost|roughly|approximately|some)\s+)?"
    rf"(?<![\w.,])(?P<n>\d+(?:\.\d+)?|{'|'.join(_NUMBER_WORDS)})[\s-]+"
    r"(?P<unit>minute|hour|day|week|month|year)s?\b(?!-old|\s+old|\s+ago)",
    re.IGNORECASE,
)
_FUTURE_BEFORE = re.compile(
    r"\b(?:will|would|shall|is to|are to|scheduled|plans? to|planned|due to|expected to|next)\b"
)
_FUTURE_AFTER = re.compile(r"\s*(?:,\s*)?(?:will|is scheduled|are scheduled)\b")
_PARTS = {
    "early": "early", "beginning of": "early", "start of": "early", "mid": "mid",
    "middle of": "mid", "late": "late", "first half of": "first_half",
    "second half of": "second_half",
}  # fmt: skip


def month_number(token: str) -> int:
    key = token.rstrip(".").lower()[:3]
    return [m[:3].lower() for m in MONTH_NAMES].index(key) + 1


def _is_future(text: str, start: int, end: int) -> bool:
    left = max(text.rfind(".\n", 0, start), text.rfind(". ", 0, start), start - 80)
    return bool(_FUTURE_BEFORE.search(text, max(left, 0), start)) or bool(
        _FUTURE_AFTER.match(text, end)
    )


def resolve_month_day(month: int, day: int, anchor: date, future: bool = False) -> date:
    """`Dec. 30` without a year: the latest such date not after the anchor (or the next one)."""
    problem = check_date(None, month, day)
    if problem:
        raise InvalidDate(problem)
    year = anchor.year
    if future:
        if (month, day) < (anchor.month, anchor.day):
            year += 1
    elif (month, day) > (anchor.month, anchor.day):
        year -= 1
    return make_date(year, month, day)


Found = tuple[int, int, "tuple[date, date, str] | None"]


def scan(text: str, anchor: date | None) -> TimeResult:
    """Find the English time expressions of `text` (see `kansoku.extract.times.find_times`)."""
    result = TimeResult()
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, TimeSpan | Warning_]] = []

    def run(pattern: re.Pattern[str], handle: Callable[[re.Match[str]], Found | None]) -> None:
        for m in pattern.finditer(text):
            if overlaps((m.start(), m.end()), taken):
                continue
            try:
                got = handle(m)
            except InvalidDate as err:
                found.append(
                    (m.start(), Warning_("invalid_date", str(err), m.group(), m.start(), m.end()))
                )
                taken.append((m.start(), m.end()))
                continue
            if got is None:
                continue
            start, end, bounds = got
            taken.append((m.start(), m.end()))
            if bounds:
                span = TimeSpan(text[start:end], start, end, *bounds)  # type: ignore[arg-type]
                found.append((start, span))

    def day_date(m: re.Match[str], day: int) -> date | None:
        month = month_number(m.group("mon"))
        if m.group("y"):
            return make_date(int(m.group("y")), month, day)
        if anchor is None:
            problem = check_date(None, month, day)
            if problem:
                raise InvalidDate(problem)
            return None
        return resolve_month_day(month, day, anchor, _is_future(text, m.start(), m.end()))

    def month_day(m: re.Match[str]) -> Found | None:
        first = day_date(m, int(m.group("d")))
        last = first
        if m.group("d2"):
            second = day_date(m, int(m.group("d2")))
            if first and second:
                last = second if second >= first else None
        if first is None or last is None:
            return m.start(), m.end(), None
        precision = "range" if m.group("d2") else "day"
        return m.start(), m.end(), (first, last, precision)

    def iso(m: re.Match[str]) -> Found:
        d = make_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        return m.start(), m.end(), (d, d, "day")

    def month_year_of(m: re.Match[str]) -> tuple[int, int] | None:
        month = month_number(m.group("mon"))
        if m.groupdict().get("y"):
            return int(m.group("y")), month
        if anchor is None:
            return None
        return resolve_month_year(month, anchor, _is_future(text, m.start(), m.end())), month

    def part(m: re.Match[str]) -> Found:
        ym = month_year_of(m)
        start = m.start("part")
        if ym is None:
            return start, m.end(), None
        kind = m.group("part").lower()
        if kind == "end of":
            last = month_span(*ym)[1]
            return start, m.end(), (last, last, "day")
        return start, m.end(), (*part_of_month_span(*ym, _PARTS[kind]), "part_of_month")

    def month_year(m: re.Match[str]) -> Found:
        return (
            m.start(),
            m.end(),
            (*month_span(int(m.group("y")), month_number(m.group("mon"))), "month"),
        )

    def bare_month(m: re.Match[str]) -> Found | None:
        token, mod = m.group("mon"), (m.group("mod") or "")
        if token in ("May", "March") and not mod:
            return None  # the verbs, a name
        if anchor is None:
            return m.start("mon"), m.end(), None
        month = month_number(token)
        if mod == "last":
            year = anchor.year if month < anchor.month else anchor.year - 1
        elif mod == "next":
            year = anchor.year if month > anchor.month else anchor.year + 1
        elif mod == "this":
            year = anchor.year
        else:
            year = resolve_month_year(month, anchor, _is_future(text, m.start(), m.end()))
        start = m.start() if mod in ("last", "next", "this") else m.start("mon")
        return start, m.end(), (*month_span(year, month), "month")

    def quarter(m: re.Match[str]) -> Found | None:
        q_text = (m.group("q") or m.group("q2")).lower()
        q = {"first": 1, "second": 2, "third": 3, "fourth": 4}.get(q_text) or int(q_text[0])
        year_text = m.group("y") or m.group("y2")
        start = m.start("text") if m.group("text") else m.start()
        if year_text:
            return start, m.end(), (*quarter_span(int(year_text), q), "quarter")
        if anchor is None:
            return start, m.end(), None
        return start, m.end(), (*quarter_span(resolve_quarter_year(q, anchor), q), "quarter")

    def year_only(m: re.Match[str]) -> Found:
        y = int(m.group("y"))
        return m.start("y"), m.end("y"), (date(y, 1, 1), date(y, 12, 31), "year")

    def weekday(m: re.Match[str]) -> Found:
        if anchor is None:
            return m.start("wd"), m.end("wd"), None
        mod = (m.group("mod") or "").lower()
        wd = WEEKDAY_NAMES.index(m.group("wd"))
        if mod in ("last", "next"):
            direction, start = mod, m.start()
        else:
            direction = "future" if _is_future(text, m.start(), m.end()) else "past"
            start = m.start("wd")
        d = resolve_weekday(wd, anchor, direction)
        return start, m.end(), (d, d, "day")

    def relative(m: re.Match[str]) -> Found:
        if anchor is None:
            return m.start(), m.end(), None
        return m.start(), m.end(), relative_bounds(m.group("w").lower(), anchor)

    run(_ISO, iso)
    run(_MDY, month_day)
    run(_DMY, month_day)
    run(_PART, part)
    run(_MON_YEAR, month_year)
    run(_QUARTER, quarter)
    for m in _DURATION.finditer(text):
        if overlaps((m.start(), m.end()), taken):
            continue
        n = m.group("n").lower()
        value = float(_NUMBER_WORDS.get(n, 0) or n)
        result.durations.append(
            Duration(
                m.group(),
                m.start(),
                m.end(),
                value,
                m.group("unit").lower(),
                bool(m.group("approx")),
            )
        )
        taken.append((m.start(), m.end()))
    run(_RELATIVE, relative)
    run(_WEEKDAY, weekday)
    run(_BARE_MON, bare_month)
    run(_YEAR_ONLY, year_only)
    for _, item in sorted(found, key=lambda f: f[0]):
        if isinstance(item, TimeSpan):
            result.times.append(item)
        else:
            result.warnings.append(item)
    return result


def relative_bounds(word: str, anchor: date) -> tuple[date, date, str]:
    """yesterday, today, tomorrow, last/this/next week, month, year."""
    if word in ("yesterday", "today", "tomorrow"):
        d = anchor + timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[word])
        return d, d, "day"
    mod, unit = word.split()
    delta = {"last": -1, "past": -1, "this": 0, "next": 1}[mod]
    if unit == "year":
        y = anchor.year + delta
        return date(y, 1, 1), date(y, 12, 31), "year"
    if unit == "month":
        return (*month_span(*shift_month(anchor.year, anchor.month, delta)), "month")
    monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=delta)
    return monday, monday + timedelta(days=6), "range"
