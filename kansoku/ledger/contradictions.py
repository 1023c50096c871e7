"""Reports of one canonical event that disagree: on the date, a number, the place or whether
it happened at all. Disagreements are recorded, never resolved by picking a winner."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from kansoku.ledger.config import FusionConfig
from kansoku.ledger.match import Matcher
from kansoku.ledger.report import Interval, Quantity, Report

UPDATE_DAYS = 30  # numbers reported this far apart may be an update rather than a dispute


@dataclass(frozen=True)
class Contradiction:
    kind: str  # date | quantity | place | polarity
    report_a: str
    report_b: str
    value_a: str
    value_b: str
    note: str | None = None


def _span(q: Quantity) -> tuple[float, float]:
    if q.bound == "at_least":
        return q.value, float("inf")
    if q.bound == "at_most":
        return 0.0, q.value
    return q.value, q.value


def quantities_disagree(a: Quantity, b: Quantity, margin: float) -> bool:
    """True when the ranges the two quantities allow are apart by more than `margin` of the
    larger one: 12,000 vs 3,000 (75%) with margin 0.5; 'at least 3,000' vs 10,000 agree."""
    (alo, ahi), (blo, bhi) = _span(a), _span(b)
    if ahi < blo:
        return (blo - ahi) / blo > margin
    if bhi < alo:
        return (alo - bhi) / alo > margin
    return False


def _iv(t: Interval) -> str:
    return t.start.isoformat() if t.start == t.end else f"{t.start.isoformat()}..{t.end.isoformat()}"


def _first(report: Report, unit: str) -> Quantity | None:
    return next((q for q in report.quantities if q.unit == unit), None)


def find_contradictions(reports: list[Report], matcher: Matcher) -> list[Contradiction]:
    cfg: FusionConfig = matcher.config
    live = [r for r in reports if not r.rejected]
    out: list[Contradiction] = []
    for a, b in combinations(live, 2):
        if a.polarity != b.polarity:
            out.append(Contradiction("polarity", a.id, b.id, a.polarity, b.polarity))
        if a.time and b.time and not a.time.overlaps(b.time):
            out.append(Contradiction("date", a.id, b.id, _iv(a.time), _iv(b.time)))
        for unit in sorted(cfg.quantity_units):
            qa, qb = _first(a, unit), _first(b, unit)
            if qa and qb and quantities_disagree(qa, qb, cfg.quantity_margin):
                note = None
                if a.published and b.published and abs((a.published - b.published).days) > UPDATE_DAYS:
                    note = f"reported {abs((a.published - b.published).days)} days apart: may be an update"
                out.append(Contradiction("quantity", a.id, b.id, qa.text or str(qa.value), qb.text or str(qb.value), note))
        if a.location and b.location and a.location != b.location:
            if a.location not in matcher.ancestors(b.location) and b.location not in matcher.ancestors(a.location):
                out.append(Contradiction("place", a.id, b.id, a.location, b.location))
    return out
