"""Time expressions: find dates, ranges and durations in normalized text and resolve them.

`find_times(text, anchor, lang)` returns a `TimeResult` (times, durations, warnings), all with
offsets into `text`. The language scanners live in `times_ja.py` and `times_en.py`; this module
holds the shared pure resolution functions, which take plain values and are tested alone:

- `resolve_day(day, anchor)`: a bare day number (`24日`) counted from the publication date;
- `resolve_month_year(month, anchor)`: the year of a bare month (`6月`, `in December`);
- `resolve_weekday(weekday, anchor)`: `on Thursday`;
- `month_span`, `part_of_month_span`, `quarter_span`: intervals of a month, 上旬/中旬/下旬, a quarter;
- `check_date(year, month, day)`: why a date is impossible, or None.

Impossible dates (`3月33日`, `2月30日`, `13月`) are never corrected: they become an
`invalid_date` warning and no `TimeSpan`.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from kansoku.model import Duration, TimeSpan, Warning_

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# part of a month → (first day, last day or None for the month's end)
PARTS: dict[str, tuple[int, int | None]] = {
    "early": (1, 10),
    "mid": (11, 20),
    "late": (21, None),
    "first_half": (1, 15),
    "second_half": (16, None),
}


class InvalidDate(ValueError):
    """An impossible date: the message says why (`March has no day 33`)."""


@dataclass
class TimeResult:
    """What `find_times` found: dates, lengths of time and warnings, in text order."""

    times: list[TimeSpan] = field(default_factory=list)
    durations: list[Duration] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)

    def times_in(self, start: int, end: int) -> list[TimeSpan]:
        """The time spans that lie inside [start, end), e.g. an event's clause."""
        return times_in(self.times, start, end)


def times_in(times: list[TimeSpan], start: int, end: int) -> list[TimeSpan]:
    """The spans of `times` whose offsets fall inside [start, end)."""
    return [t for t in times if start <= t.start_char and t.end_char <= end]


# --------------------------------------------------------------------------- pure resolution


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def check_date(year: int | None, month: int, day: int | None = None) -> str | None:
    """Why (year, month, day) is impossible, or None when it exists.

    With `year` None only what no year allows is rejected (2月30日, not 2月29日).
    """
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if day is None:
        return None
    name = MONTH_NAMES[month - 1]
    if day < 1:
        return f"{name} has no day {day}"
    longest = days_in_month(2024 if year is None else year, month)
    if day > longest:
        if year is not None and month == 2 and day == 29:
            return f"February {year} has no day 29 ({year} is not a leap year)"
        return f"{name} has no day {day}"
    return None


def make_date(year: int, month: int, day: int) -> date:
    """The date, or `InvalidDate` saying why it does not exist."""
    problem = check_date(year, month, day)
    if problem:
        raise InvalidDate(problem)
    return date(year, month, day)


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def resolve_month_year(month: int, anchor: date, future: bool = False, ahead: int = 0) -> int:
    """The year of a bare month: the latest such month not after the anchor's month.

    `future` (a deadline or a plan: `12月までに`) keeps a later month in the anchor's year,
    and so does a month at most `ahead` months after the anchor's: Japanese news writes
    `昨年N月` for last year's months, so a bare `4月` in March is this April.
    """
    if month <= anchor.month + ahead or future:
        return anchor.year
    return anchor.year - 1


def resolve_day(day: int, anchor: date, future: bool = False) -> date:
    """A bare day number counted from the publication date.

    `24日` in an article of 2025-08-24 is that day; a day after the anchor's day is in the
    previous month (`30日` on 2025-08-24 → 2025-07-30; `10日` on 2025-01-05 → 2024-12-10),
    unless `future` (`23日までの日程`). A month that lacks the day is skipped backwards.
    """
    if not 1 <= day <= 31:
        raise InvalidDate(f"no month has a day {day}")
    year, month = anchor.year, anchor.month
    if day > anchor.day and not future:
        year, month = shift_month(year, month, -1)
    for _ in range(3):
        if day <= days_in_month(year, month):
            return date(year, month, day)
        year, month = shift_month(year, month, 1 if future else -1)
    raise InvalidDate(f"no nearby month has a day {day}")  # pragma: no cover


def resolve_weekday(weekday: int, anchor: date, direction: str = "past") -> date:
    """The weekday (0 = Monday) nearest the anchor: on or before it (`past`), on or after
    it (`future`), strictly before (`last`) or strictly after (`next`)."""
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if direction == "past":
        return anchor - timedelta(days=back)
    if direction == "last":
        return anchor - timedelta(days=back or 7)
    if direction == "next":
        return anchor + timedelta(days=ahead or 7)
    return anchor + timedelta(days=ahead)


def month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, days_in_month(year, month))


def part_of_month_span(year: int, month: int, part: str) -> tuple[date, date]:
    """上旬/early = 1–10, 中旬/mid = 11–20, 下旬/late = 21–end; first/second half."""
    first, last = PARTS[part]
    return date(year, month, first), date(year, month, last or days_in_month(year, month))


def quarter_span(year: int, quarter: int) -> tuple[date, date]:
    first = 3 * (quarter - 1) + 1
    return date(year, first, 1), month_span(year, first + 2)[1]


def resolve_quarter_year(quarter: int, anchor: date) -> int:
    """A quarter without a year: the latest one that has begun by the anchor."""
    return anchor.year if quarter_span(anchor.year, quarter)[0] <= anchor else anchor.year - 1


# --------------------------------------------------------------------------- shared state


@dataclass
class Context:
    """What relative expressions count from: the anchor and the latest dates mentioned."""

    anchor: date | None
    last_day: date | None = None
    last_month: tuple[int, int] | None = None
    last_year: int | None = None

    def remember(self, span: TimeSpan) -> None:
        if span.precision == "day" or (span.precision == "range" and span.start == span.end):
            self.last_day = span.start
        if span.precision in ("day", "part_of_month", "month", "range"):
            self.last_month = (span.start.year, span.start.month)
        self.last_year = span.start.year


def overlaps(a: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in taken)


# --------------------------------------------------------------------------- entry point


def find_times(text: str, anchor: date | None, lang: str) -> TimeResult:
    """Dates, ranges, durations and invalid-date warnings in `text` (already normalized).

    `anchor` is the date relative expressions count from; with None they are skipped.
    `lang` is "ja" or "en" (anything starting with "ja" scans Japanese).
    """
    if lang.lower().startswith("ja"):
        from kansoku.extract import times_ja

        return times_ja.scan(text, anchor)
    from kansoku.extract import times_en

    return times_en.scan(text, anchor)


__all__ = [
    "Context",
    "InvalidDate",
    "TimeResult",
    "check_date",
    "find_times",
    "make_date",
    "month_span",
    "part_of_month_span",
    "quarter_span",
    "resolve_day",
    "resolve_month_year",
    "resolve_quarter_year",
    "resolve_weekday",
    "shift_month",
    "times_in",
]
