"""Event detection: triggers from the lexicon, arguments from the clause, claims from frames.

`detect_events` is a function of plain records (text, sentences, mentions, times,
quantities); the lexicons live in `kansoku/domain/events.yaml` and `cues.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kansoku.domain.lexicon import Lexicon, find_all, load_lexicon
from kansoku.extract import claims
from kansoku.extract.clauses import clause_window
from kansoku.model import Event, Mention, Participant, Quantity, Span, TimeSpan
from kansoku.nlp.analysis import Sentence, Token

PARTICIPANT_TYPES = {
    "STATE", "PERSON", "ORG", "MEDIA", "FACILITY", "PLACE", "WEAPON", "SATELLITE", "ROCKET",
    "AGREEMENT", "EXERCISE", "GROUP",
}
ACTOR_TYPES = {"STATE", "PERSON", "ORG", "GROUP"}
PLACE_TYPES = {"PLACE", "FACILITY"}
# Lexical denials scope over the whole proposition; grammatical negation (…ていない)
# only over the verb the trigger heads, a few characters on.
_NEAR_NEGATION = 14
# A hedge does not reach back over a contrast (一方, が、) or a completed "after" clause
# (停止した後、再び稼働している兆候: the stop is stated as fact); in English it stays in the
# verb's own clause.
_CERTAINTY_CUT = {"ja": re.compile(r"一方|が、|後、"), "en": re.compile(r",| and | but |;")}
_CHARACTERIZING = re.compile(r"(?:だ)?と(?:非難|批判|反発|呼|称|揶揄|形容|一蹴|断じ)")
_FACTUAL = re.compile(r"すでに|既に|\balready\b")
_EN_CLAUSE_BREAK = re.compile(
    r"[;:]|\b(?:and|but|while|after|before|as|which|who|that|when|since|said|says|reported|announced|told|according)\b",
    re.IGNORECASE,
)


@dataclass
class Context:
    text: str
    lang: str
    sentences: list[Sentence]
    mentions: list[Mention]
    times: list[TimeSpan]
    quantities: list[Quantity]
    lex: Lexicon
    quotes: list[claims.Quote]
    tokens: list[Token]


def detect_events(
    text: str,
    lang: str,
    sentences: list[Sentence],
    mentions: list[Mention],
    times: list[TimeSpan],
    quantities: list[Quantity],
    tokens: list[Token] | None = None,
) -> list[Event]:
    ctx = Context(text, lang, sentences, mentions, times, quantities, load_lexicon(lang),
                  claims.find_quotes(text), tokens or [])
    events: list[Event] = []
    carried: Mention | None = None  # source of the previous sentence, for hearsay
    actor: Mention | None = None  # the last sentence topic: the subject of subjectless clauses
    for sent in sentences:
        topic = claims.topic_source(sent, mentions, lang) if lang == "ja" else _en_subject(ctx, sent)
        sentence_source: Mention | None = None
        for start, end, etype in find_triggers(ctx, sent):
            ev = build_event(ctx, sent, start, end, etype, topic, carried, actor)
            if ev is not None:
                events.extend(split_coordinated_facilities(ctx, ev))
                if ev.attribution.source:
                    sentence_source = _mention_for(ctx, ev.attribution.source) or sentence_source
        frame_src = _sentence_frame_source(ctx, sent, topic)
        if frame_src is not None:
            carried = frame_src
        elif carried is None or ctx.lang != "ja":
            carried = sentence_source or (carried if claims.hearsay_end(sent, ctx.lex) else None)
        if topic is not None and topic.type in ACTOR_TYPES:
            actor = topic
    for n, ev in enumerate(events):
        ev.id = f"e{n + 1}"
    return events


def split_coordinated_facilities(ctx: Context, ev: Event) -> list[Event]:
    """江先および寧辺のウラン濃縮工場が稼働を継続: one event per coordinated facility, so
    that each facility gets its own state on the facility board."""
    if ev.type not in ("facility_activity", "facility_disclosure"):
        return [ev]
    places = [p for p in ev.participants if _mention_type(ctx, p) in PLACE_TYPES]
    for a, b in zip(places, places[1:], strict=False):
        if a.end <= b.start and ctx.text[a.end:b.start].strip() in ("および", "及び", "と", "や", "、", "and", ",", "or"):
            return [
                replace(ev, participants=[p for p in ev.participants if p is not drop], mentions=list(ev.mentions))
                for drop in (b, a)
            ]
    return [ev]


def _mention_for(ctx: Context, source: str) -> Mention | None:
    for m in ctx.mentions:
        if (m.entity or m.text) == source:
            return m
    return None


def _sentence_frame_source(ctx: Context, sent: Sentence, topic: Mention | None) -> Mention | None:
    """The source a following hearsay sentence (…という) inherits. 「XによるとYという」 is a
    closed construction, so an according-to phrase does not carry over."""
    if ctx.lang == "ja":
        if claims.frame_after(sent, sent.start, ctx.lex) and topic is not None:
            return topic
        return None
    src, _, _ = claims.english_source(sent, sent.end, ctx.mentions, ctx.lex)
    return src


def _en_subject(ctx: Context, sent: Sentence) -> Mention | None:
    first = [m for m in ctx.mentions if sent.start <= m.start < sent.start + 60 and m.type in ACTOR_TYPES]
    return first[0] if first else None


def find_triggers(ctx: Context, sent: Sentence) -> list[tuple[int, int, str]]:
    """(start, end, type) of each trigger in the sentence, longest first, no overlaps, none
    inside an entity name (西海衛星発射場 is a place, not a launch) or an excluded phrase."""
    hits = []
    for etype, pats in ctx.lex.triggers.items():
        for s, e, _ in find_all(pats, ctx.text, sent.start, sent.end):
            hits.append((s, e, etype))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    taken: list[tuple[int, int]] = []
    out = []
    for s, e, etype in hits:
        if any(s < te and ts < e for ts, te in taken):
            continue
        if any(m.start <= s and e <= m.end and (m.end - m.start) > (e - s) for m in ctx.mentions):
            continue
        if _excluded(ctx, etype, s, e) or _in_compound(ctx, e):
            continue
        taken.append((s, e))
        out.append((s, e, etype))
    return out


def _excluded(ctx: Context, etype: str, s: int, e: int) -> bool:
    lo, hi = max(0, s - 40), min(len(ctx.text), e + 40)
    return any(xs <= s and e <= xe for xs, xe, _ in find_all(ctx.lex.excludes[etype], ctx.text, lo, hi))


def _in_compound(ctx: Context, end: int) -> bool:
    return any(s == end for s, _, _ in find_all(ctx.lex.compound_heads, ctx.text, end, end + 4))


# Nouns that link clauses rather than head a relative clause (締結する一方, 派遣するため).
_LINKING_NOUNS = {"一方", "ため", "ほか", "後", "前", "際", "中", "うえ", "上", "とき", "時",
                  "場合", "結果", "こと", "の", "もの", "よう", "方針", "考え", "見通し", "可能性"}


def is_background(ctx: Context, start: int, end: int) -> bool:
    """A mention in passing: after a demonstrative (今回の発射), before a framing phrase
    (派遣をめぐる報道, 派兵の見返りに), or heading a relative clause (打ち上げた衛星)."""
    before = ctx.text[max(0, start - 5):start]
    for _s, e, _ in find_all(ctx.lex.background_before, before):
        if e == len(before) or (ctx.lang != "ja" and before[e:].strip() == ""):
            return True
    after = ctx.text[end:end + 12]
    if any(s == 0 for s, _, _ in find_all(ctx.lex.background_after, after)):
        return True
    tok = next((t for t in ctx.tokens if t.start <= start < t.end), None)
    if tok is not None and tok.dep == "acl" and 0 <= tok.head < len(ctx.tokens):
        head = ctx.tokens[tok.head]
        return head.pos in ("NOUN", "PROPN") and head.lemma not in _LINKING_NOUNS and head.start > end
    return False


def _has(ctx: Context, patterns, start: int, end: int) -> bool:
    return bool(find_all(patterns, ctx.text, start, end))


def resolve_type(ctx: Context, etype: str, start: int, end: int, sent: Sentence,
                 window: tuple[int, int]) -> str | None:
    """Turn the pseudo-types into event types, and apply each type's minimal evidence."""
    lo, hi = window
    after = 12 if ctx.lang == "ja" else 50  # English objects follow the verb
    near_lo, near_hi = max(sent.start, start - 30), min(sent.end, end + after)
    if etype == "transfer":
        trig = ctx.text[start:end]
        if _has(ctx, ctx.lex.object_classes["technology"], start, end) or "技術" in trig:
            return "technology_transfer"
        classes = {}
        for cls in ("technology", "troops", "arms"):
            found = find_all(ctx.lex.object_classes[cls], ctx.text, near_lo, near_hi)
            if found:
                classes[cls] = min(abs(f[0] - start) for f in found)
        if not classes:
            return None
        best = min(classes, key=lambda c: classes[c])
        return {"technology": "technology_transfer", "troops": "deployment"}.get(best, "arms_transfer")
    if etype == "launch":
        if not _has(ctx, ctx.lex.launch_objects, sent.start, sent.end):
            return None
        context_lo = lo
        if ctx.lang != "ja":
            # English wire copy states the war context once ("fired into Ukraine") and
            # then goes on ("At least one was launched on Dec. 30"): look one sentence back.
            k = claims.sentence_of(ctx.sentences, start)
            if k > 0:
                context_lo = ctx.sentences[k - 1].start
        if _has(ctx, ctx.lex.combat_context, context_lo, hi):
            return "combat_use"
        if _has(ctx, ctx.lex.artillery, near_lo, near_hi) and not re.search(
            r"ミサイル|missile", ctx.text[near_lo:near_hi], re.IGNORECASE
        ):
            return "military_exercise"
        return "weapons_test"
    if etype == "combat_use":
        return etype if _has(ctx, ctx.lex.object_classes["arms"], sent.start, sent.end) or \
            _has(ctx, ctx.lex.object_classes["troops"], sent.start, sent.end) else None
    if etype in ("facility_activity", "facility_disclosure"):
        facility = any(m.type == "FACILITY" and lo - 40 <= m.start < hi for m in ctx.mentions)
        return etype if facility or ctx.lex.facility_nouns.search(ctx.text, lo, hi) else None
    if etype == "deployment":
        troops = _has(ctx, ctx.lex.object_classes["troops"], near_lo, near_hi)
        arms = _has(ctx, ctx.lex.object_classes["arms"], near_lo, near_hi)
        facility = any(m.type in ("FACILITY", "WEAPON") and near_lo <= m.start < near_hi for m in ctx.mentions)
        return etype if troops or arms or facility else None
    return etype


def build_event(ctx: Context, sent: Sentence, start: int, end: int, etype: str,
                topic: Mention | None, carried: Mention | None, actor: Mention | None) -> Event | None:
    quote = next((q for q in ctx.quotes if q.start < start < q.end), None)
    window = clause_window(ctx.text, ctx.lang, sent.start, sent.end, start)
    if quote is not None:
        window = (max(window[0], quote.start), min(window[1], quote.end))
    if quote is not None and quote.end - quote.start < 20 and (
        not quote.speech or _CHARACTERIZING.match(ctx.text, quote.end)
    ):
        return None  # a name or a characterization (「侵略的な戦争演習」と非難), not a report
    resolved = resolve_type(ctx, etype, start, end, sent, window)
    if resolved is None:
        return None
    source, cue, said_on, own_date = attribute(ctx, sent, start, end, resolved, topic, carried, quote)
    participants = collect_participants(ctx, window, start, source, topic, actor, resolved)
    if resolved == "facility_disclosure" and _after_inspection(ctx, sent, start):
        return None  # 視察する写真を公開: a photo report of an inspection, not a disclosure
    if resolved in ("statement", "leader_inspection") and not any(
        p.entity and _mention_type(ctx, p) in ACTOR_TYPES | {"MEDIA"} for p in participants
    ):
        return None
    if resolved == "statement" and source is not None and participants and \
            all(p.entity == source.entity for p in participants):
        source = None  # the speaker is the statement's agent, not its source
    location = next((p for p in participants if p.role == "location"), None)
    participants = [p for p in participants if p is not location]
    time = own_date or pick_time(ctx, sent, window, start, end, said_on)
    if time is None and resolved == "facility_disclosure" and said_on is not None:
        time = said_on  # CSISは20日、…基地があると報告した: the report is the disclosure
    qty = [q for q in ctx.quantities if window[0] <= q.start < window[1] and q.unit != "minute"]
    # A quote spanning sentences holds one proposition per sentence: hedges stay in theirs.
    scope_end = min(quote.end, sent.end) if quote is not None else sent.end
    cut = _CERTAINTY_CUT["ja" if ctx.lang == "ja" else "en"].search(ctx.text, end, scope_end)
    if cut:
        scope_end = cut.start()
    if ctx.lang != "ja":
        scope_end = min(scope_end, end + 25)  # English hedges precede the verb they qualify
    if _FACTUAL.search(ctx.text, max(window[0], start - 25), start):
        # すでに移動し、…派遣されるとの見通し: "already" makes the trigger's own clause a
        # statement of fact; a hedge in a later clause does not reach back to it.
        comma = ctx.text.find("、", end, scope_end)
        scope_end = comma if comma != -1 else scope_end
    certainty = claims.certainty_of(ctx.text, end, scope_end, ctx.lex, ctx.lang, start)
    polarity = "positive"
    if resolved != "statement" and certainty != "uncommitted" and _is_negated(ctx, start, end, scope_end):
        polarity = "negative"
        certainty = "certain"
    if not participants and location is None:
        return None  # nobody and nothing named: not a ledger entry
    ev_start, ev_end = _evidence_bounds(ctx, window, start, end, participants)
    return Event(
        type=resolved,
        trigger=Span(start, end, ctx.text[start:end]),
        evidence=Span(ev_start, ev_end, ctx.text[ev_start:ev_end]),
        participants=participants,
        location=location,
        time=time,
        quantities=qty,
        attribution=claims.attribution(source, cue, said_on),
        certainty=certainty,  # type: ignore[arg-type]
        polarity=polarity,  # type: ignore[arg-type]
        confidence=min(0.95, 0.4 + 0.15 * sum(1 for p in participants if p.entity) + (0.1 if time else 0)),
        background=is_background(ctx, start, end),
    )


def _after_inspection(ctx: Context, sent: Sentence, start: int) -> bool:
    pats = ctx.lex.triggers["leader_inspection"]
    return any(0 <= start - e <= 8 for _, e, _ in find_all(pats, ctx.text, sent.start, start))


def _mention_type(ctx: Context, p: Participant) -> str:
    for m in ctx.mentions:
        if m.start == p.start and m.end == p.end:
            return m.type
    return ""


def _is_negated(ctx: Context, start: int, end: int, scope_end: int) -> bool:
    if ctx.lang != "ja":
        return claims.negated(ctx.text, start, end, scope_end, ctx.lex, ctx.lang)
    for s, _e, _ in find_all(ctx.lex.negation, ctx.text, end, scope_end):
        cue = ctx.text[s:_e]
        if _is_kanji(cue[0]) or s - end <= _NEAR_NEGATION:
            return True
    return False


def _is_kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def attribute(ctx: Context, sent: Sentence, start: int, end: int, etype: str,
              topic: Mention | None, carried: Mention | None, quote: claims.Quote | None):
    """(source mention, cue, said_on time, the statement's own date) for a trigger; see
    claims.py."""
    pos = end if etype == "statement" else start
    if quote is not None and quote.speech:
        speaker, cue, said_on = quote_speaker(ctx, quote, carried)
        if speaker is not None:
            return speaker, cue, said_on, None
    if ctx.lang != "ja":
        src, cue, cue_pos = claims.english_source(sent, pos, ctx.mentions, ctx.lex)
        if src is None and cue is not None:
            src = carried  # "…, he said": the source named before
        acc, acc_cue = claims.according_source(sent, sent.end, ctx.mentions, ctx.lex)
        if acc is not None:
            src, cue, cue_pos = acc, acc_cue, None
        said_on = None
        if cue_pos is not None:
            said_on = claims.said_on_near(ctx.times, cue_pos, cue_pos + 25, ctx.text)
        if etype == "statement" and src is not None and cue_pos is not None and abs(cue_pos - start) < 3:
            return None, None, None, said_on  # the statement is the saying itself
        return src, cue, said_on, None
    acc, acc_cue = claims.according_source(sent, pos, ctx.mentions, ctx.lex)
    if acc is not None:
        return acc, acc_cue, None, None
    hearsay = claims.hearsay_end(sent, ctx.lex)
    frame = claims.frame_after(sent, pos + (1 if etype == "statement" else 0), ctx.lex)
    if frame is not None and topic is not None:
        # KCNAは24日、…と伝えた: a day right after the topic dates the report. After a
        # subject marked が (米韓が13日から実施) it dates the clause's own event.
        marked = ctx.text[topic.end:topic.end + 2].lstrip(")")[:1] in ("は", "も")
        said_on = claims.said_on_near(ctx.times, topic.end, topic.end + 4, ctx.text) if marked else None
        if etype == "statement" and topic.start <= start and _agent_is(ctx, topic, sent, start):
            # The statement's own speaker is its agent; its source is whoever relays it.
            return (carried if hearsay else None), frame[1], None, said_on
        return topic, frame[1], said_on, None
    if hearsay and carried is not None:
        return carried, hearsay, None, None
    if etype == "statement" and topic is not None:
        return None, None, None, claims.said_on_near(ctx.times, topic.end, topic.end + 4, ctx.text)
    return None, None, None, None


def _agent_is(ctx: Context, topic: Mention, sent: Sentence, trigger_start: int) -> bool:
    """Whether the topic is the nearest actor before the statement trigger (its speaker)."""
    actors = [m for m in ctx.mentions if sent.start <= m.start < trigger_start and m.type in ACTOR_TYPES]
    subjects = [m for m in actors if ctx.text[m.end:m.end + 1] in ("は", "が")]
    speaker = subjects[-1] if subjects else topic
    return speaker.entity == topic.entity


def quote_speaker(ctx: Context, quote: claims.Quote, carried: Mention | None):
    """Who a speech quote belongs to: 曰く → the running source; Xによると「…」 → X;
    Xは「…」と述べた → X; else the nearest source-like mention before the quote."""
    before = ctx.text[max(0, quote.start - 4):quote.start]
    k = claims.sentence_of(ctx.sentences, quote.start)
    sent = ctx.sentences[k]
    if "曰く" in before:
        return claims.previous_speaker(ctx.sentences, k, ctx.mentions) or carried, "曰く", None
    acc, acc_cue = claims.according_source(sent, quote.start, ctx.mentions, ctx.lex)
    if acc is not None:
        return acc, acc_cue, None
    cands = [m for m in ctx.mentions if sent.start <= m.start and m.end <= quote.start
             and m.type in claims.SOURCE_TYPES]
    subjects = [m for m in cands if ctx.text[m.end:m.end + 1] in ("は", "が")]
    pick = subjects[-1] if subjects else (cands[-1] if cands else None)
    if pick is None and ctx.lang != "ja":
        after = [m for m in ctx.mentions if quote.end <= m.start < quote.end + 40 and m.type in claims.SOURCE_TYPES]
        pick = after[0] if after else None
    if pick is None:
        pick = carried
    tail = ctx.text[quote.end:quote.end + 12]
    return pick, ("と" + tail[1:6]) if tail.startswith("と") else None, None


def collect_participants(ctx: Context, window: tuple[int, int], start: int,
                         source: Mention | None, topic: Mention | None, actor: Mention | None,
                         etype: str) -> list[Participant]:
    lo, hi = window
    picked: list[Participant] = []
    seen: set[tuple[str | None, int]] = set()
    for m in ctx.mentions:
        if not (lo <= m.start and m.end <= hi) or m.type not in PARTICIPANT_TYPES:
            continue
        if source is not None and m.entity == source.entity and etype != "statement":
            continue
        key = (m.entity or m.text, m.start)
        if key in seen:
            continue
        seen.add(key)
        picked.append(Participant(role_of(ctx, m, start, etype), m.text, m.start, m.end, m.entity))
    if etype in ("facility_activity", "facility_disclosure") and not any(
        m.type == "FACILITY" for m in ctx.mentions if lo <= m.start and m.end <= hi
    ):
        # 原子炉が臨界に達した: an unnamed reactor is the facility the text last named.
        earlier = [m for m in ctx.mentions if m.type == "FACILITY" and m.end <= start]
        if earlier and ctx.lex.facility_nouns.search(ctx.text, lo, hi):
            m = earlier[-1]
            picked.append(Participant("object", m.text, m.start, m.end, m.entity))
    has_agent = any(p.role == "agent" for p in picked)
    default = ctx.lex.default_agent.get(etype)
    if not has_agent and default and (topic is None or topic.type not in ACTOR_TYPES):
        earlier = [m for m in ctx.mentions if m.entity == default and m.start < start]
        if earlier and not any(p.entity == default for p in picked):
            m = earlier[-1]
            picked.append(Participant("agent", m.text, m.start, m.end, m.entity))
            has_agent = True
    for fallback in (topic, actor):
        if has_agent or fallback is None:
            continue
        if source is not None and fallback.entity == source.entity:
            continue
        if fallback.type in ACTOR_TYPES and not any(p.entity == fallback.entity for p in picked):
            picked.append(Participant("agent", fallback.text, fallback.start, fallback.end, fallback.entity))
            has_agent = True
    return picked


def role_of(ctx: Context, m: Mention, trigger_start: int, etype: str) -> str:
    after = ctx.text[m.end:m.end + 2]
    if m.type in PLACE_TYPES and (after.startswith(("で", "に", "から")) or
                                  ctx.text[max(0, m.start - 3):m.start].strip() in ("in", "at")):
        if m.type == "PLACE" or etype not in ("facility_activity", "facility_disclosure"):
            return "location"
    if ctx.lang != "ja":
        return "agent" if m.start < trigger_start else "object"
    if after.startswith(("は", "が")):
        return "agent"
    if after.startswith("と"):
        return "counterpart"
    if after.startswith(("に", "へ")):
        return "recipient"
    if after.startswith("を"):
        return "object"
    if after.startswith("から"):
        return "agent" if etype.endswith("transfer") else "counterpart"
    return "agent" if m.start < trigger_start and m.type in ACTOR_TYPES else "object"


def pick_time(ctx: Context, sent: Sentence, window: tuple[int, int], start: int, end: int,
              said_on: TimeSpan | None) -> TimeSpan | None:
    """The date of the event's own clause, nearest to the trigger; never the publication date.
    The date of a reporting act (KCNAは24日、…と伝えた) is not the event's date."""
    lo, hi = window
    cands = [t for t in ctx.times if lo <= t.start_char and t.end_char <= hi and t is not said_on]
    before = [t for t in cands if t.end_char <= end]
    if before:
        return max(before, key=lambda t: t.end_char)
    # After the trigger only within its own phrase (試射が23日に行われ), not past a comma
    # into the next clause (移動し、12月までに…派遣される).
    stop = min([i for i in (ctx.text.find("、", end, hi), ctx.text.find(",", end, hi)) if i != -1], default=hi)
    after = [t for t in cands if t.start_char < stop]
    if after:
        return min(after, key=lambda t: t.start_char)
    if ctx.lang != "ja":
        # "test-fired a new ICBM, the Hwasong-19, on Thursday": an appositive between commas
        # does not end the clause; a conjunction, a relative or a reporting verb does.
        later = [t for t in cands if t.start_char >= end]
        if later:
            first = min(later, key=lambda t: t.start_char)
            if not _EN_CLAUSE_BREAK.search(ctx.text[end:first.start_char]):
                return first
        # "On Friday, North Korea fired …, and the South responded with a drill": a date
        # opening the sentence dates every clause of it.
        opening = [t for t in ctx.times if sent.start <= t.start_char < sent.start + 12 and t is not said_on]
        if opening:
            return opening[0]
    return None


def _evidence_bounds(ctx: Context, window: tuple[int, int], start: int, end: int,
                     participants: list[Participant]) -> tuple[int, int]:
    lo, hi = window
    spans = [start] + [p.start for p in participants if lo <= p.start < hi]
    s = max(lo, min(spans))
    # end the evidence at the trigger's verb ending: the next 、 or 。 after the trigger
    m = re.search(r"[、。,;]|\.\s", ctx.text[end:hi])
    e = end + m.start() if m else hi
    while s < e and ctx.text[s] in "、。, ":
        s += 1
    return s, e
