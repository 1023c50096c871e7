"""One event per real event per document: repeated mentions merge into one event.

A photo caption and the body, or a headline and the lead, report the same event. Two
events merge when they have the same type, polarity, source and certainty, compatible
times, and share a key participant entity — and they come from different sentences (two
triggers of one type in one sentence are usually two events, e.g. 江先 and 寧辺). The
merged event keeps the first as evidence and lists the others as `mentions`.

Headlines and photo captions (short lines with no sentence-final punctuation) only repeat
what the body reports, with no attribution of their own: an event found there joins the
body's event of the same type, whatever its source; it stands alone only when the body has
no event of that type.
"""

from __future__ import annotations

from datetime import date

from kansoku.model import Event, Span, TimeSpan
from kansoku.nlp.analysis import Sentence

FACILITY_TYPES = ("facility_activity", "facility_disclosure")


def _entities(ev: Event) -> set[str]:
    ids = {p.entity for p in ev.participants if p.entity}
    if ev.location and ev.location.entity:
        ids.add(ev.location.entity)
    return ids


_FROM_AFTER, _FROM_BEFORE = ("から", "以降", "より"), (" from", "since")
_UNTIL_AFTER, _UNTIL_BEFORE = ("まで",), ("until", "through")


def _open_bound(t: TimeSpan, text: str) -> str:
    """'from' for 13日から / 10月中旬以降, 'until' for 23日まで, '' otherwise."""
    after = text[t.end_char:t.end_char + 3]
    before = text[max(0, t.start_char - 8):t.start_char]
    if after.startswith(_FROM_AFTER) or before.endswith(_FROM_BEFORE):
        return "from"
    if after.startswith(_UNTIL_AFTER) or before.rstrip().endswith(_UNTIL_BEFORE):
        return "until"
    return ""


def _bounds(t: TimeSpan, text: str) -> tuple[date, date]:
    kind = _open_bound(t, text)
    if kind == "from":
        return t.start, date.max
    if kind == "until":
        return date.min, t.end
    return t.start, t.end


def _times_compatible(a: Event, b: Event, text: str = "") -> bool:
    if a.time is None or b.time is None:
        return True
    (s1, e1), (s2, e2) = _bounds(a.time, text), _bounds(b.time, text)
    return s1 <= e2 and s2 <= e1


def _combined_time(a: TimeSpan, b: TimeSpan, text: str) -> TimeSpan | None:
    """13日から実施 + 23日までの日程 → the range 13–23, the narrowest consistent interval."""
    kinds = {_open_bound(a, text): a, _open_bound(b, text): b}
    if "from" in kinds and "until" in kinds:
        start, end = kinds["from"], kinds["until"]
        if start.start <= end.end:
            return TimeSpan(f"{start.text}~{end.text}", start.start_char, end.end_char,
                            start.start, end.end, "range")
    return None


def _sentence_index(sentences: list[Sentence], offset: int) -> int:
    for k, s in enumerate(sentences):
        if s.start <= offset <= s.end:
            return k
    return -1


def mergeable(a: Event, b: Event, same_sentence: bool, text: str = "") -> bool:
    if a.type != b.type or a.polarity != b.polarity:
        return False
    if a.attribution.source != b.attribution.source or a.certainty != b.certainty:
        return False
    if not _times_compatible(a, b, text):
        return False
    ea, eb = _entities(a), _entities(b)
    if same_sentence:
        # One sentence naming one event twice (会談し…会見した) has one set of actors;
        # facilities are told apart by their object, so they never merge here.
        return a.type not in FACILITY_TYPES and bool(ea) and (ea <= eb or eb <= ea)
    # Across sentences, a dated and an undated report are too often two events (an early
    # disclosure and the first public one): they merge only when dated alike.
    if (a.time is None) != (b.time is None) and "\n" in text[a.trigger.end:b.trigger.start]:
        return False
    if a.time is not None and b.time is not None and a.time.start != b.time.start \
            and _combined_time(a.time, b.time, text) is None:
        return False
    return bool(ea & eb)


def display_lines(text: str, title: str | None = None) -> list[tuple[int, int]]:
    """Spans of the headline and of caption-like lines (short, no 。 or final period)."""
    spans = []
    offset = 0
    for n, line in enumerate(text.split("\n")):
        stripped = line.strip()
        headline = n == 0 and len(stripped) <= 140 and "。" not in stripped
        caption = not stripped.endswith(("。", ".", "」", "!", "?", "”", '"')) and (
            len(stripped) <= 80 or stripped == (title or "")
        ) and "。" not in stripped[:-1]
        if stripped and (headline or caption):
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def _fold(target: Event, ev: Event, text: str = "") -> None:
    target.mentions.append(Span(ev.evidence.start, ev.evidence.end, ev.evidence.text))
    combined = _combined_time(target.time, ev.time, text) if target.time and ev.time else None
    if combined is not None:
        target.time = combined
    elif target.time is None or (ev.time is not None and _narrower(ev, target)):
        target.time = ev.time
    known = {(p.entity, p.role) for p in target.participants}
    target.participants.extend(p for p in ev.participants if (p.entity, p.role) not in known)
    target.quantities.extend(q for q in ev.quantities if q not in target.quantities)
    target.confidence = min(0.99, max(target.confidence, ev.confidence) + 0.05)


def merge_events(events: list[Event], sentences: list[Sentence],
                 display: list[tuple[int, int]] | None = None, text: str = "") -> list[Event]:
    display = display or []

    def on_display(ev: Event) -> bool:
        return any(s <= ev.trigger.start < e for s, e in display)

    passing = [ev for ev in events if on_display(ev) or ev.background]
    body = [ev for ev in events if not (on_display(ev) or ev.background)]
    for ev in passing:
        same = [b for b in body if b.type == ev.type and b.polarity == ev.polarity
                and _times_compatible(b, ev, text)]
        shared = [b for b in same if _entities(b) & _entities(ev)]
        target = (shared or same or [None])[0]
        if target is None:
            body.append(ev)
        else:
            _fold(target, ev, text)
    body.sort(key=lambda e: e.trigger.start)
    kept: list[tuple[Event, int]] = []  # each kept event with its sentence index
    for ev in body:
        k = _sentence_index(sentences, ev.trigger.start)
        target = next(
            (prev for prev, pk in kept
             if mergeable(prev, ev, pk == k, text) or _same_predicate(prev, ev, pk == k)),
            None,
        )
        if target is None:
            kept.append((ev, k))
        else:
            _fold(target, ev, text)
    merged = [ev for ev, _ in kept]
    for n, ev in enumerate(merged):
        ev.id = f"e{n + 1}"
    return merged


def _same_predicate(a: Event, b: Event, same_sentence: bool) -> bool:
    """Two triggers of one type a few characters apart in one sentence name one event
    (戦闘で使われている: 戦闘 and 使われ)."""
    return (same_sentence and a.type == b.type and a.polarity == b.polarity
            and 0 <= b.trigger.start - a.trigger.end <= 3)


def _narrower(a: Event, b: Event) -> bool:
    assert a.time is not None and b.time is not None
    return (a.time.end - a.time.start) < (b.time.end - b.time.start)
