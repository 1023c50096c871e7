"""Japanese time expressions: 2024年6月, 21日, 先月下旬, 同日, 8~13日, 約60日間, 令和6年, …

An *atom* is one date expression (year? month? day? part-of-month?) matched by `_ATOM`; two
atoms joined by から/~ make one `range` timex (`22日から12月1日`, `今月上旬から中旬`, `3~5日`).
The timex text is the shortest span carrying the date: `21日`, not `21日午後10時40分`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from kansoku.extract.times import (
    Context,
    InvalidDate,
    TimeResult,
    check_date,
    days_in_month,
    make_date,
    month_span,
    overlaps,
    part_of_month_span,
    quarter_span,
    resolve_day,
    resolve_month_year,
    resolve_quarter_year,
    shift_month,
)
from kansoku.model import Duration, TimeSpan, Warning_

ERA_BASE = {"令和": 2018, "平成": 1988, "昭和": 1925}
ERA_LAST = {"令和": 99, "平成": 31, "昭和": 64}
REL_YEAR = {"一昨年": -2, "昨年": -1, "去年": -1, "今年": 0, "本年": 0, "来年": 1}
REL_MONTH = {"先々月": -2, "先月": -1, "今月": 0, "来月": 1}
REL_DAY = {"同日": 0, "当日": 0, "翌日": 1, "翌々日": 2, "前日": -1, "前々日": -2}
PART_WORDS = {
    "上旬": "early", "初旬": "early", "初め": "early", "はじめ": "early", "初頭": "early",
    "中旬": "mid", "半ば": "mid", "下旬": "late", "前半": "first_half", "後半": "second_half",
}  # fmt: skip
WEEKDAYS_JA = "月火水木金土日"

_YEAR = (
    r"(?:(?P<y4>\d{4})年(?!間|代|度|ぶり|以上|余|前|後|分)"
    r"|(?P<era>令和|平成|昭和)(?P<eray>元|\d{1,2})年(?!間|度)"
    r"|(?P<yrel>一昨年|昨年|去年|今年|本年|来年|前年|翌年|同年)(?!度|比|同期)"
    r"|(?<!\d)(?P<y2>\d{2})年(?=\d{1,2}月))"
)
_MONTH = (
    r"(?:(?<![\d.,/])(?P<m>\d{1,2})月(?!期|間|分)|(?P<mrel>先々月|先月|今月|来月|前月|翌月|同月))"
)
_DAY = (
    r"(?:(?<![\d.,/])(?P<d>\d{1,2})日"
    r"(?!間|目|ぶり|連続|以内|以上|分|当たり|あたり|後(?!半)|前(?!後|半)|程度"
    r"|本(?:人|国|政府|側|海|列島|代表|製|語|経済|企業|大使|時間|全国))"
    r"|同(?P<ds>\d{1,2})日"
    r"|(?P<drel>同日|当日|翌々日|翌日|前々日|前日|本日|昨日)(?!本|銀|程|比|夕刊|朝刊))"
)
_ATOM = re.compile(rf"(?<![\d.,/])(?:{_YEAR})?(?:{_MONTH})?(?:{_DAY})?")
_PART = re.compile(r"上旬|中旬|下旬|初旬|初め|はじめ|初頭|半ば|前半|後半|末")
_WEEKDAY = re.compile(r"\((?P<wd>[月火水木金土日])(?:曜日?)?\)")
_CONNECTOR = re.compile(r"\s*(?:から|~|-|〜|–)\s*")
_BARE_LEFT = re.compile(r"(?<![\d.,/])(?P<n>\d{1,4})\s*(?:から|~|-|〜|–)\s*$")
_SINCE_THIS_YEAR = re.compile(r"(?:今年|本年)に入(?:ってから|って|り)")
_QUARTER = re.compile(
    r"(?:(?P<y>\d{4})年(?:度)?の?)?第(?P<q>[1-4])四半期"
    r"|(?:(?P<y2>\d{4})年)?(?<![\d.,])(?P<a>\d{1,2})\s*~\s*(?P<b>\d{1,2})月期"
)
_SLASHED = re.compile(r"(?<![\d/.])(?P<y>\d{4})[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2})(?![\d/])")
_FISCAL = re.compile(r"(?:(?P<fy>\d{4})|(?P<era>令和|平成)(?P<eray>元|\d{1,2}))年度")
_DURATION = re.compile(
    r"(?P<approx>約|およそ|ほぼ|わずか|計)?(?<![\d.,時])(?P<n>\d+(?:\.\d+)?)"
    r"(?P<unit>年間|[カかヶヵケ]月間?|週間|日間|時間(?:(?P<min>\d+)分間?)?|分間?(?!の))"
)
_DURATION_UNITS = {"年": "year", "週": "week", "日": "day", "時": "hour", "分": "minute"}
# A later day or month than the anchor's is last month's/year's unless the text looks ahead.
_FUTURE_AFTER = re.compile(r"まで")
_FUTURE_IN_SENTENCE = re.compile(
    r"予定|見通し|見込み|する計画|計画だ|する方針|方針だ|目指|予告|する方向"
)
_SENTENCE_END = re.compile(r"[。!?\n]")


@dataclass
class _Atom:
    start: int
    end: int
    comps: dict[str, str]

    @property
    def top(self) -> str:
        for key in ("y4", "m", "d"):
            if self.comps.get(key):
                return key
        return ""


def _comps(m: re.Match[str]) -> dict[str, str]:
    return {k: v for k, v in m.groupdict().items() if v}


def _is_future(text: str, end: int) -> bool:
    if _FUTURE_AFTER.match(text, end):
        return True
    stop = _SENTENCE_END.search(text, end)
    return bool(_FUTURE_IN_SENTENCE.search(text, end, stop.start() if stop else len(text)))


def _era_year(era: str, n: str) -> int:
    value = 1 if n == "元" else int(n)
    if not 1 <= value <= ERA_LAST[era]:
        raise InvalidDate(f"{era} has no year {value}")
    return ERA_BASE[era] + value


def resolve_atom(
    c: dict[str, str], ctx: Context, future: bool = False, inherit: date | None = None
) -> tuple[date, date, str] | None:
    """Resolve one Japanese date expression's parts; None when it needs an absent anchor.

    `inherit` is the start of a range's left side, for the right side (`22日から12月1日`).
    """
    anchor = ctx.anchor
    year: int | None = None
    month: int | None = None
    if c.get("y4"):
        year = int(c["y4"])
    elif c.get("era"):
        year = _era_year(c["era"], c["eray"])
    elif c.get("y2"):
        year = 2000 + int(c["y2"])
    elif c.get("yrel"):
        rel = c["yrel"]
        if rel == "同年":
            year = ctx.last_year
        elif rel in ("前年", "翌年"):
            base = ctx.last_year or (anchor.year if anchor else None)
            year = None if base is None else base + (-1 if rel == "前年" else 1)
        elif anchor:
            year = anchor.year + REL_YEAR[rel]
        if year is None:
            return None
    if c.get("mrel"):
        rel = c["mrel"]
        if rel == "同月":
            if not ctx.last_month:
                return None
            year, month = (year or ctx.last_month[0]), ctx.last_month[1]
        else:
            if rel in ("前月", "翌月"):
                base_ym = ctx.last_month or ((anchor.year, anchor.month) if anchor else None)
                delta = -1 if rel == "前月" else 1
            else:
                base_ym = (anchor.year, anchor.month) if anchor else None
                delta = REL_MONTH[rel]
            if base_ym is None:
                return None
            year, month = shift_month(base_ym[0], base_ym[1], delta)
    elif c.get("m"):
        month = int(c["m"])
        problem = check_date(None, month, int(c["d"]) if c.get("d") else None)
        if problem:
            raise InvalidDate(problem)
        if year is None:
            if inherit:
                year = inherit.year + (1 if month < inherit.month else 0)
            elif anchor:
                year = resolve_month_year(month, anchor, future, ahead=2)
            else:
                return None
    if c.get("drel"):
        return _relative_day(c["drel"], ctx)
    if c.get("ds"):
        ym = (ctx.last_day.year, ctx.last_day.month) if ctx.last_day else ctx.last_month
        if ym is None:
            return None
        d = make_date(ym[0], ym[1], int(c["ds"]))
        return d, d, "day"
    if c.get("d"):
        day = int(c["d"])
        if month is None:
            if year is not None:
                return None
            if day == 0:
                raise InvalidDate("no month has a day 0")
            if day > 31:
                return None  # a count (就任50日), not a date
            if inherit:
                y, mo = inherit.year, inherit.month
                if day < inherit.day:
                    y, mo = shift_month(y, mo, 1)
                d = make_date(y, mo, day)
            elif anchor:
                d = resolve_day(day, anchor, future)
            else:
                return None
        else:
            if year is None:
                return None
            d = make_date(year, month, day)
        return d, d, "day"
    if c.get("part"):
        if month is None and inherit:
            year, month = inherit.year, inherit.month
        if month is None or year is None:
            return None
        if c["part"] == "末":
            d = date(year, month, days_in_month(year, month))
            return d, d, "day"
        return (*part_of_month_span(year, month, PART_WORDS[c["part"]]), "part_of_month")
    if month is not None and year is not None:
        return (*month_span(year, month), "month")
    if year is not None:
        return date(year, 1, 1), date(year, 12, 31), "year"
    return None


def _relative_day(rel: str, ctx: Context) -> tuple[date, date, str] | None:
    if rel == "本日":
        base, delta = ctx.anchor, 0
    elif rel == "昨日":
        base, delta = ctx.anchor, -1
    else:
        base, delta = ctx.last_day, REL_DAY[rel]
    if base is None:
        return None
    d = base + timedelta(days=delta)
    return d, d, "day"


def _atoms(text: str, taken: list[tuple[int, int]]) -> list[_Atom]:
    atoms = []
    for m in _ATOM.finditer(text):
        if m.end() == m.start() or overlaps((m.start(), m.end()), taken):
            continue
        comps = _comps(m)
        end = m.end()
        if (comps.get("m") or comps.get("mrel")) and not (comps.get("d") or comps.get("ds")):
            part = _PART.match(text, end)
            if part:
                comps["part"] = part.group()
                end = part.end()
        atoms.append(_Atom(m.start(), end, comps))
    return atoms


_LEVEL_BELOW = {"y4": "m", "m": "d"}


def _range_partner(text: str, atoms: list[_Atom], i: int) -> tuple[_Atom, _Atom, int] | None:
    """(left, right, start) when atom i begins a range with what follows it."""
    a = atoms[i]
    nxt = atoms[i + 1] if i + 1 < len(atoms) else None
    gap = _CONNECTOR.match(text, a.end)
    if gap:
        if nxt and nxt.start == gap.end() and not nxt.comps.get("drel"):
            return a, nxt, a.start
        part = _PART.match(text, gap.end())
        if part and (a.comps.get("m") or a.comps.get("mrel")) and part.group() != "末":
            return a, _Atom(gap.end(), part.end(), {"part": part.group()}), a.start
    return None


def _bare_left(
    text: str, atom: _Atom, prev_end: int, prev: _Atom | None
) -> tuple[_Atom, int] | None:
    """`3~5日`: the left side written as a bare number; merged with a preceding `2024年10月`."""
    m = _BARE_LEFT.search(text, prev_end, atom.start)
    if not m or not atom.top:
        return None
    kind = atom.top
    comps = {kind: m.group("n")}
    start = m.start()
    if prev and prev.end == m.start():
        lowest = "d" if prev.comps.get("d") else "m" if prev.comps.get("m") else "y4"
        if _LEVEL_BELOW.get(lowest) == kind and not prev.comps.get("part"):
            comps = {**prev.comps, kind: m.group("n")}
            start = prev.start
    return _Atom(start, m.end(), comps), start


def scan(text: str, anchor: date | None) -> TimeResult:
    """Find the Japanese time expressions of `text` (see `kansoku.extract.times.find_times`)."""
    result = TimeResult()
    ctx = Context(anchor)
    taken: list[tuple[int, int]] = []
    spans: list[tuple[int, TimeSpan | Warning_]] = []

    def add_span(start: int, end: int, bounds: tuple[date, date, str]) -> TimeSpan:
        span = TimeSpan(text[start:end], start, end, bounds[0], bounds[1], bounds[2])  # type: ignore[arg-type]
        spans.append((start, span))
        taken.append((start, end))
        return span

    def add_invalid(start: int, end: int, err: InvalidDate) -> None:
        w = Warning_("invalid_date", str(err), text[start:end], start, end)
        spans.append((start, w))
        taken.append((start, end))

    for m in _DURATION.finditer(text):
        unit = _DURATION_UNITS.get(m.group("unit")[0], "month")
        value = float(m.group("n"))
        if m.group("min"):
            value, unit = value * 60 + int(m.group("min")), "minute"
        result.durations.append(
            Duration(m.group(), m.start(), m.end(), value, unit, bool(m.group("approx")))
        )
        taken.append((m.start(), m.end()))
    for m in _SINCE_THIS_YEAR.finditer(text):
        taken.append((m.start(), m.end()))
        if anchor:
            add_span(m.start(), m.end(), (date(anchor.year, 1, 1), anchor, "range"))
    for m in _QUARTER.finditer(text):
        bounds = _quarter(m, anchor)
        if bounds:
            add_span(m.start(), m.end(), bounds)
    for m in _SLASHED.finditer(text):
        try:
            d = make_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except InvalidDate as err:
            add_invalid(m.start(), m.end(), err)
            continue
        add_span(m.start(), m.end(), (d, d, "day"))
    for m in _FISCAL.finditer(text):
        if overlaps((m.start(), m.end()), taken):
            continue
        try:
            y = int(m.group("fy")) if m.group("fy") else _era_year(m.group("era"), m.group("eray"))
        except InvalidDate as err:
            add_invalid(m.start(), m.end(), err)
            continue
        add_span(m.start(), m.end(), (date(y, 4, 1), date(y + 1, 3, 31), "range"))

    atoms = _atoms(text, list(taken))
    _resolve_atoms(text, atoms, ctx, spans, result)
    for _, item in sorted(spans, key=lambda s: s[0]):
        if isinstance(item, TimeSpan):
            result.times.append(item)
        else:
            result.warnings.append(item)
    result.warnings.extend(_weekday_warnings(text, result.times))
    result.warnings.sort(key=lambda w: w.start or 0)
    return result


def _resolve_atoms(
    text: str,
    atoms: list[_Atom],
    ctx: Context,
    spans: list[tuple[int, TimeSpan | Warning_]],
    result: TimeResult,
) -> None:
    i = 0
    prev_end = 0
    prev: _Atom | None = None
    while i < len(atoms):
        a = atoms[i]
        left = right = None
        start = a.start
        pair = _range_partner(text, atoms, i)
        bare = _bare_left(text, a, prev_end, prev)
        if bare:
            left, start = bare
            right = a
            if start == (prev.start if prev else -1):
                _drop_last(spans, prev)
        elif pair:
            left, right, start = pair
        elif a.comps.get("drel") in REL_DAY and _explicit_day_follows(text, a, atoms, i):
            i, prev_end, prev = i + 1, a.end, a
            continue
        end = right.end if right else a.end
        future = _is_future(text, end)
        try:
            if left and right:
                lb = resolve_atom(left.comps, ctx, future)
                rb = resolve_atom(right.comps, ctx, future, inherit=lb[0] if lb else None)
                if lb and rb and rb[1] >= lb[0]:
                    span = TimeSpan(text[start:end], start, end, lb[0], rb[1], "range")
                    _push(spans, ctx, span)
                elif lb:
                    end = left.end
                    _push(spans, ctx, TimeSpan(text[start:end], start, end, *lb))  # type: ignore[arg-type]
            else:
                bounds = resolve_atom(a.comps, ctx, future)
                if bounds:
                    _push(spans, ctx, TimeSpan(text[a.start : a.end], a.start, a.end, *bounds))  # type: ignore[arg-type]
        except InvalidDate as err:
            spans.append((start, Warning_("invalid_date", str(err), text[start:end], start, end)))
        if right is not None and right is not a and right in atoms[i + 1 :]:
            i += 1
        prev_end, prev = end, (right or a)
        i += 1


def _push(spans: list[tuple[int, TimeSpan | Warning_]], ctx: Context, span: TimeSpan) -> None:
    spans.append((span.start_char, span))
    ctx.remember(span)


def _drop_last(spans: list[tuple[int, TimeSpan | Warning_]], atom: _Atom | None) -> None:
    """Forget the span of an atom that turned out to be a range's left side."""
    if atom is None:
        return
    for k in range(len(spans) - 1, -1, -1):
        item = spans[k][1]
        if isinstance(item, TimeSpan) and item.start_char == atom.start:
            del spans[k]
            return


def _explicit_day_follows(text: str, a: _Atom, atoms: list[_Atom], i: int) -> bool:
    """`前日の16日`: the explicit day is the timex, not 前日."""
    nxt = atoms[i + 1] if i + 1 < len(atoms) else None
    return bool(nxt and nxt.comps.get("d") and text[a.end : nxt.start] == "の")


def _quarter(m: re.Match[str], anchor: date | None) -> tuple[date, date, str] | None:
    year_text = m.group("y") or m.group("y2")
    if m.group("q"):
        q = int(m.group("q"))
    else:
        a, b = int(m.group("a")), int(m.group("b"))
        if b != a + 2 or a not in (1, 4, 7, 10):
            return None
        q = (a - 1) // 3 + 1
    if year_text:
        year = int(year_text)
    elif anchor:
        year = resolve_quarter_year(q, anchor)
    else:
        return None
    return (*quarter_span(year, q), "quarter")


def _weekday_warnings(text: str, times: list[TimeSpan]) -> list[Warning_]:
    """`23日(土)`: a weekday in parentheses that contradicts the date is flagged, the date kept."""
    out = []
    for t in times:
        if t.precision != "day":
            continue
        m = _WEEKDAY.match(text, t.end_char)
        if not m:
            continue
        said = WEEKDAYS_JA.index(m.group("wd"))
        if said != t.start.weekday():
            actual = WEEKDAYS_JA[t.start.weekday()]
            out.append(
                Warning_(
                    "weekday_mismatch",
                    f"{t.start.isoformat()} is a {actual}曜日, not a {m.group('wd')}曜日",
                    text[t.start_char : m.end()],
                    t.start_char,
                    m.end(),
                )
            )
    return out
