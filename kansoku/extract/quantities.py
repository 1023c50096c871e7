"""Quantities: 約12000人, 1万人規模, 数千人, 少なくとも3000人, 6発, 5MW(e), about 12,000 troops.

`find_quantities(text, lang)` returns `Quantity` records with offsets into `text` (already
normalized: ASCII digits). What a counter counts (人 → person, 発 → missile, troops → person)
is data: `kansoku/domain/units.yaml`. Hedges set `approximate` (約, 規模, about) and bounds set
`bound` (以上, 少なくとも, more than → at_least; 最大, as many as → at_most). `数千` is read as
at least 2000, approximate.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kansoku.errors import GazetteerError
from kansoku.model import Quantity

UNITS_PATH = Path(__file__).resolve().parent.parent / "domain" / "units.yaml"

_JA_PRE = {
    "約": (True, None), "およそ": (True, None), "推定": (True, None), "ほぼ": (True, None),
    "計": (False, None), "合わせて": (False, None), "わずか": (False, None),
    "少なくとも": (False, "at_least"), "最低": (False, "at_least"),
    "最大": (False, "at_most"), "最多": (False, "at_most"),
}  # fmt: skip
_JA_POST = {
    "以上": (False, "at_least"), "超": (False, "at_least"), "を超え": (False, "at_least"),
    "を上回": (False, "at_least"), "余り": (True, "at_least"), "あまり": (True, "at_least"),
    "余": (True, "at_least"), "強": (True, "at_least"), "規模": (True, None),
    "程度": (True, None), "前後": (True, None), "ほど": (True, None), "近く": (True, "at_most"),
    "以下": (False, "at_most"), "未満": (False, "at_most"), "足らず": (True, "at_most"),
    "弱": (True, "at_most"),
}  # fmt: skip
_EN_PRE = {
    "about": (True, None), "around": (True, None), "roughly": (True, None),
    "approximately": (True, None), "nearly": (True, "at_most"), "almost": (True, "at_most"),
    "some": (True, None), "an estimated": (True, None), "estimated": (True, None),
    "more than": (False, "at_least"), "over": (False, "at_least"), "at least": (False, "at_least"),
    "upwards of": (False, "at_least"), "no fewer than": (False, "at_least"),
    "as many as": (False, "at_most"), "up to": (False, "at_most"), "at most": (False, "at_most"),
    "no more than": (False, "at_most"), "fewer than": (False, "at_most"),
    "less than": (False, "at_most"), "under": (False, "at_most"),
}  # fmt: skip
_EN_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "a dozen": 12, "dozens": 24, "hundreds": 200,
    "thousands": 2000,
}  # fmt: skip
_EN_MULT = {
    "dozen": 12,
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
}
_SUU = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "十万": 100_000, "百万": 1_000_000}
_MODIFIER_ED_OK = {
    "armed",
    "trained",
    "advanced",
    "improved",
    "unmanned",
    "guided",
    "skilled",
    "specialized",
}
_STOP = "of|the|and|or|to|in|on|at|for|from|with|by|as|that|which|who|than|a|an|were|was|is|are|had|have|has"


@lru_cache(maxsize=1)
def load_units(path: Path = UNITS_PATH) -> dict[str, Any]:
    """The counter/unit lexicon; `GazetteerError` when the file does not validate."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise GazetteerError(
            f"units file {path} cannot be read: {err}; restore it from git"
        ) from err
    try:
        counters = data["ja"]["counters"]
        nouns = data["en"]["nouns"]
        assert isinstance(counters, dict) and isinstance(nouns, dict)
        assert all(isinstance(v, str) for v in counters.values())
        assert all(isinstance(v, list) for v in nouns.values())
    except (KeyError, TypeError, AssertionError) as err:
        raise GazetteerError(
            f"units file {path} must map ja.counters to units and en.nouns to lists of nouns"
        ) from err
    return data


@lru_cache(maxsize=1)
def _ja_pattern() -> re.Pattern[str]:
    data = load_units()
    blocked = data["ja"].get("not_followed_by") or {}
    alts = []
    for counter in sorted(data["ja"]["counters"], key=len, reverse=True):
        stop = "".join(re.escape(c) for c in blocked.get(counter, []))
        alts.append(re.escape(counter) + (f"(?![{stop}])" if stop else ""))
    pre = "|".join(sorted(map(re.escape, _JA_PRE), key=len, reverse=True))
    post = "|".join(sorted(map(re.escape, _JA_POST), key=len, reverse=True))
    return re.compile(
        rf"(?P<pre>{pre})?(?<![\d.,第時])"
        r"(?P<num>(?:\d+(?:\.\d+)?億)?(?:\d+(?:\.\d+)?万)?(?:\d+(?:,\d{3})*(?:\.\d+)?)?"
        r"|数(?:十万|百万|十|百|千|万)?)"
        rf"(?P<counter>時間(?:\d+分)?|{'|'.join(alts)})(?P<suffix>\(e\))?(?P<post>{post})?"
    )


@lru_cache(maxsize=1)
def _en_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    noun_unit = {}
    for unit, nouns in load_units()["en"]["nouns"].items():
        for noun in nouns:
            noun_unit[noun.lower()] = unit
    nouns = "|".join(sorted(map(re.escape, noun_unit), key=len, reverse=True))
    pre = "|".join(sorted(map(re.escape, _EN_PRE), key=len, reverse=True))
    words = "|".join(sorted(map(re.escape, _EN_WORDS), key=len, reverse=True))
    mod = rf"(?:\s+(?!(?:{_STOP})\b)[A-Za-z][\w'-]*)"
    pattern = re.compile(
        rf"(?:\b(?P<pre>{pre})\s+)?(?<![\w.,])"
        rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|\b(?:{words})\b)"
        rf"(?:\s+(?P<mult>{'|'.join(_EN_MULT)}))?"
        rf"(?:(?P<mods>{mod}{{0,3}}?)\s+|\s*-?\s*)(?P<noun>{nouns})\b",
        re.IGNORECASE,
    )
    return pattern, noun_unit


def ja_number(num: str) -> tuple[float, bool, str | None]:
    """(value, approximate, bound) of a Japanese number: 1万2000 → 12000; 数千 → 2000+."""
    if num.startswith("数"):
        return 2.0 * _SUU.get(num[1:], 1), True, "at_least"
    value = 0.0
    rest = num
    for mark, scale in (("億", 100_000_000), ("万", 10_000)):
        if mark in rest:
            head, rest = rest.split(mark, 1)
            value += float(head) * scale
    if rest:
        value += float(rest.replace(",", ""))
    return value, False, None


def find_quantities(text: str, lang: str) -> list[Quantity]:
    """Counted or measured amounts in `text` (normalized), in text order."""
    if lang.lower().startswith("ja"):
        return _find_ja(text)
    return _find_en(text)


def _find_ja(text: str) -> list[Quantity]:
    counters = load_units()["ja"]["counters"]
    out = []
    for m in _ja_pattern().finditer(text):
        num = m.group("num")
        if not num or num.endswith(("億", "万")) and not num[0].isdigit():
            continue
        value, approx, bound = ja_number(num)
        counter = m.group("counter")
        if counter.startswith("時間"):
            minutes = counter[2:-1]
            unit = "minute" if minutes else "hour"
            value = value * 60 + int(minutes) if minutes else value
        else:
            unit = counters[counter]
        for key, table in (("pre", _JA_PRE), ("post", _JA_POST)):
            if m.group(key):
                a, b = table[m.group(key)]
                approx, bound = approx or a, b or bound
        out.append(Quantity(value, unit, approx, m.group(), m.start(), m.end(), bound))
    return out


def _find_en(text: str) -> list[Quantity]:
    pattern, noun_unit = _en_pattern()
    out = []
    for m in pattern.finditer(text):
        num, mods = m.group("num").lower(), (m.group("mods") or "").split()
        if any(w.lower().endswith("ed") and w.lower() not in _MODIFIER_ED_OK for w in mods):
            continue
        if mods and re.fullmatch(r"(?:1[89]|20)\d\d", num):
            continue  # a year: "in 2019 North Korea fired missiles"
        value = float(_EN_WORDS[num]) if num in _EN_WORDS else float(num.replace(",", ""))
        if m.group("mult"):
            value *= _EN_MULT[m.group("mult").lower()]
        approx, bound = num in ("dozens", "hundreds", "thousands"), None
        if approx:
            bound = "at_least"
        if m.group("pre"):
            a, b = _EN_PRE[m.group("pre").lower()]
            approx, bound = approx or a, b or bound
        unit = noun_unit[m.group("noun").lower()]
        out.append(Quantity(value, unit, approx, m.group(), m.start(), m.end(), bound))
    return out
