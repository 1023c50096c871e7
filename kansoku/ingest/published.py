"""The publication date: metadata, the caller's --published, a dateline, a reprint footer, today.

Order of trust: the user's explicit `--published` wins; then the page's own metadata; then
a dateline at the start of the text (`【ソウル共同】2024年10月25日`, `SEOUL, Oct. 25 (Yonhap) --`);
then the date of the reprint footer; last the ingest date, with a warning saying so.
Relative dates downstream ("23日") count from this date, so a wrong guess must be visible.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime

from kansoku.model import Warning_

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_JA_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_NUM_DATE = r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?!\d)"
_EN_MDY = _MONTH + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})"
_EN_DMY = r"(\d{1,2})\s+" + _MONTH + r"\.?,?\s+(\d{4})"

# Datelines: at the start of one of the first lines.
_LEAD = r"^[ \t]*(?:(?:Published|Posted|Date|公開日|公開|配信日時|配信日|配信|掲載日|掲載|投稿日)\s*[::]?\s*)?"
_BRACKET = r"(?:【[^】\n]{1,30}】|\[[^\]\n]{1,30}\]|\([^)\n]{1,30}\))?\s*"
_DATELINES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(_LEAD + _BRACKET + _JA_DATE, re.M), "ymd"),
    (re.compile(_LEAD + _BRACKET + _NUM_DATE, re.M), "ymd"),
    (re.compile(_LEAD + _EN_MDY, re.M), "mdy"),
    (re.compile(_LEAD + _EN_DMY, re.M), "dmy"),
    # SEOUL, Oct. 25, 2024 (Yonhap) --   /   SEOUL, Oct. 25 (Yonhap) --
    (
        re.compile(
            r"^[ \t]*[A-Z][A-Za-z .'’/-]{1,40},\s+" + _MONTH + r"\.?\s+(\d{1,2})(?:,\s*(\d{4}))?"
            r"\s*(?:\([^)\n]{1,30}\))?\s*(?:--|—|–|-)",
            re.M,
        ),
        "md(y)",
    ),
)
_ANY_DATE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(_JA_DATE), "ymd"),
    (re.compile(_NUM_DATE), "ymd"),
    (re.compile(_EN_MDY, re.I), "mdy"),
    (re.compile(_EN_DMY, re.I), "dmy"),
)
DATELINE_LINES = 5


@dataclass
class Published:
    date: date
    source: str  # metadata | option | text | ingest
    warnings: list[Warning_] = field(default_factory=list)


def today() -> date:
    """The ingest date (a function so tests can pin it)."""
    return date.today()


def _month(name: str) -> int:
    return MONTHS[name[:3].lower()]


def _build(groups: tuple[str | None, ...], order: str) -> tuple[int, int, int | None]:
    if order == "ymd":
        return int(groups[0] or 0), int(groups[1] or 0), int(groups[2] or 0)
    if order == "mdy":
        return int(groups[2] or 0), _month(groups[0] or ""), int(groups[1] or 0)
    if order == "dmy":
        return int(groups[2] or 0), _month(groups[1] or ""), int(groups[0] or 0)
    # md(y): the year may be missing
    year = int(groups[2]) if groups[2] else None
    return year, _month(groups[0] or ""), int(groups[1] or 0)  # type: ignore[return-value]


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    return d if 1900 <= d.year and d <= today() + timedelta(days=2) else None


def find_date(text: str) -> date | None:
    """The first valid full date (year, month, day) anywhere in `text`."""
    found: list[tuple[int, date]] = []
    for pattern, order in _ANY_DATE:
        for m in pattern.finditer(text):
            y, mo, d = _build(m.groups(), order)
            valid = _valid(y, mo, d) if y else None
            if valid:
                found.append((m.start(), valid))
                break
    return min(found)[1] if found else None


def find_dateline(text: str) -> tuple[date, int, int, bool] | None:
    """A dateline among the first lines: (date, start, end, year_guessed), or None."""
    head_end = 0
    for _ in range(DATELINE_LINES):
        nl = text.find("\n", head_end)
        if nl < 0:
            head_end = len(text)
            break
        head_end = nl + 1
    head = text[:head_end]
    best: tuple[date, int, int, bool] | None = None
    for pattern, order in _DATELINES:
        m = pattern.search(head)
        if not m or (best and best[1] <= m.start()):
            continue
        year, month, day = _build(m.groups(), order)
        guessed = year is None
        if year is None:
            # A Yonhap-style dateline has no year: take the latest one not in the future.
            year = today().year
            if _valid(year, month, day) is None:
                year -= 1
        valid = _valid(year, month, day)
        if valid:
            best = (valid, m.start(), m.end(), guessed)
    return best


def parse_metadata_date(value: str | date | datetime) -> date:
    """A metadata date (ISO 8601, RFC 822, YYYY-MM-DD) as a date; ValueError if impossible."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = value.strip()
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            parsed = parsedate_to_datetime(raw).date()
        except (TypeError, ValueError, IndexError):
            parsed = find_date(raw)  # type: ignore[assignment]
            if parsed is None:
                raise ValueError(f"not a date: {raw!r}") from None
    if parsed.year < 1900 or parsed > today() + timedelta(days=2):
        raise ValueError(f"date out of range: {raw!r}")
    return parsed


def resolve_published(
    *,
    name: str,
    text: str,
    option: date | None = None,
    metadata: Sequence[str | date] = (),
    footer: date | None = None,
) -> Published:
    """Pick the publication date and say where it came from (see the module docstring).

    `metadata` lists candidate dates in order of trust; the first valid one counts and
    each impossible one becomes a `metadata_date_invalid` warning.
    """
    warnings: list[Warning_] = []
    meta_date: date | None = None
    seen: set[str] = set()
    for candidate in metadata:
        try:
            parsed = parse_metadata_date(candidate)
        except ValueError:
            if str(candidate) in seen:
                continue
            seen.add(str(candidate))
            warnings.append(
                Warning_(
                    code="metadata_date_invalid",
                    message=f"{name}: the metadata date {str(candidate)!r} is not a valid date "
                    "and was ignored",
                    text=str(candidate),
                )
            )
            continue
        meta_date = meta_date or parsed
    if option is not None:
        return Published(option, "option", warnings)
    if meta_date is not None:
        return Published(meta_date, "metadata", warnings)
    dateline = find_dateline(text)
    if dateline:
        when, start, end, guessed = dateline
        if guessed:
            warnings.append(
                Warning_(
                    code="published_year_guessed",
                    message=f"{name}: the dateline has no year; assumed {when.year} "
                    "(set the date with --published YYYY-MM-DD)",
                    text=text[start:end],
                    start=start,
                    end=end,
                )
            )
        return Published(when, "text", warnings)
    if footer is not None:
        return Published(footer, "text", warnings)
    now = today()
    warnings.append(
        Warning_(
            code="published_guessed",
            message=f"{name}: no publication date found; using the ingest date {now.isoformat()} "
            "(set it with --published YYYY-MM-DD)",
        )
    )
    return Published(now, "ingest", warnings)
