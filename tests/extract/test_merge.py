"""Headlines, captions and background mentions merge into the body's event."""

from kansoku.extract.merge import display_lines, merge_events
from kansoku.model import Attribution, Event, Participant, Span
from kansoku.nlp.analysis import split_sentences


def _event(text, trigger, etype="weapons_test", source=None, background=False):
    start = text.index(trigger)
    return Event(
        type=etype,
        trigger=Span(start, start + len(trigger), trigger),
        evidence=Span(start, start + len(trigger), trigger),
        participants=[Participant("agent", "北朝鮮", 0, 3, "north-korea")],
        attribution=Attribution(source=source),
        background=background,
    )


def test_headline_event_folds_into_body_event_whatever_its_source():
    text = "北朝鮮がICBM発射\n北朝鮮の朝鮮中央通信は、ICBMを発射したと伝えた。"
    assert display_lines(text) == [(0, 10)]
    head = _event(text, "発射")
    body_start = text.index("発射した")
    body = Event(type="weapons_test", trigger=Span(body_start, body_start + 2, "発射"),
                 evidence=Span(body_start, body_start + 2, "発射"),
                 participants=[Participant("agent", "北朝鮮", 11, 14, "north-korea")],
                 attribution=Attribution(source="kcna"))
    merged = merge_events([head, body], split_sentences(text, "ja"), display_lines(text))
    assert len(merged) == 1
    assert merged[0].attribution.source == "kcna"
    assert merged[0].mentions[0].text == "発射"


def test_background_mention_stands_alone_without_a_body_event():
    text = "今回の発射は成功した。"
    ev = _event(text, "発射", background=True)
    assert merge_events([ev], split_sentences(text, "ja")) == [ev]


def test_different_sources_stay_apart():
    text = "北朝鮮は発射したと伝えた。米国は発射したとみている。"
    a = _event(text, "発射", source="kcna")
    b_start = text.rindex("発射")
    b = Event(type="weapons_test", trigger=Span(b_start, b_start + 2, "発射"),
              evidence=Span(b_start, b_start + 2, "発射"),
              participants=[Participant("agent", "北朝鮮", 0, 3, "north-korea")],
              attribution=Attribution(source="united-states"), certainty="probable")
    assert len(merge_events([a, b], split_sentences(text, "ja"))) == 2
