"""What a canonical event says once its reports are put together."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kansoku.ledger.contradictions import Contradiction, find_contradictions
from kansoku.ledger.match import Matcher
from kansoku.ledger.report import Interval, Report, fuse_intervals
from kansoku.ledger.sources import DocInfo, Voice, voices
from kansoku.model import CERTAINTY_ORDER


@dataclass
class Summary:
    time: Interval | None
    label: str
    place: str | None
    certainty: str
    polarity: str  # positive | negative | disputed
    reports: int
    documents: int
    sources: int
    voices: dict[str, Voice] = field(default_factory=dict)
    independent: set[str] = field(default_factory=set)  # ids of the first report of each source
    contradictions: list[Contradiction] = field(default_factory=list)


def label(reports: list[Report], matcher: Matcher, size: int = 3) -> str:
    """The event type and its most telling entities (weight × how many reports name them)."""
    score: Counter[str] = Counter()
    for r in reports:
        for eid in matcher.actors(r):
            score[eid] += matcher.weight(eid)
    names = []
    for eid, _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[:size]:
        ent = matcher.gazetteer.get(eid)
        names.append(ent.name if ent else eid)
    return f"{reports[0].type.replace('_', ' ')}: {', '.join(names)}" if names else reports[0].type.replace("_", " ")


def summarize(reports: list[Report], docs: dict[str, DocInfo], matcher: Matcher) -> Summary:
    live = [r for r in reports if not r.rejected] or reports
    places = Counter(r.location for r in live if r.location)
    polarities = {r.polarity for r in live}
    positive = [r for r in live if r.polarity == "positive"] or live
    certainty = max((r.certainty for r in positive), key=CERTAINTY_ORDER.index)
    who = voices(reports, docs, matcher)
    independent: dict[str, str] = {}
    for r in live:
        independent.setdefault(who[r.id].primary, r.id)
    contradictions = find_contradictions(reports, matcher)
    return Summary(
        time=fuse_intervals([r.time for r in live if r.time]),
        label=label(live, matcher),
        place=min(places, key=lambda p: (-places[p], p)) if places else None,
        certainty=certainty,
        polarity="disputed" if len(polarities) > 1 else polarities.pop(),
        reports=len(live),
        documents=len({r.document_id for r in live}),
        sources=len(independent),
        voices=who,
        independent=set(independent.values()),
        contradictions=contradictions,
    )
