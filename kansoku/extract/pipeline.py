"""The extraction pipeline: one Document in, one Extraction out.

    normalize (at ingest) → nlp.analyze → entities → times → quantities → events → merge
"""

from __future__ import annotations

from kansoku.domain.gazetteer import load_gazetteer
from kansoku.extract.entities import link_entities
from kansoku.extract.events import detect_events
from kansoku.extract.merge import display_lines, merge_events
from kansoku.extract.quantities import find_quantities
from kansoku.extract.times import find_times
from kansoku.model import Document, Extraction, Mention
from kansoku.nlp import analyze


def unknown_names(linked: list[Mention], names: list[tuple[int, int, str]], text: str) -> list[Mention]:
    """Proper names the pipeline found that no gazetteer entry covers, as typed mentions."""
    out = []
    for start, end, typ in names:
        if end - start < 2 or any(m.start < end and start < m.end for m in linked):
            continue
        out.append(Mention(start, end, text[start:end], typ, None))
    return out


def extract(document: Document) -> Extraction:
    """Run every extraction stage on `document` (whose text is already normalized)."""
    text, lang = document.text, document.lang
    gazetteer = load_gazetteer()
    analysis = analyze(text, lang)
    linked = link_entities(text, lang, gazetteer)
    mentions = sorted(linked + unknown_names(linked, analysis.names, text), key=lambda m: m.start)
    found = find_times(text, document.anchor_date, lang)
    quantities = find_quantities(text, lang)
    events = detect_events(text, lang, analysis.sentences, linked, found.times, quantities, analysis.tokens)
    events = merge_events(events, analysis.sentences, display_lines(text, document.title), text)
    entities = {m.entity: gazetteer.entities[m.entity] for m in linked if m.entity in gazetteer.entities}
    return Extraction(
        document=document,
        entities=entities,
        mentions=mentions,
        times=found.times,
        durations=found.durations,
        quantities=quantities,
        events=events,
        warnings=list(found.warnings),
    )
