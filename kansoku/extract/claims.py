"""Attribution, certainty and polarity: who says an event happened, and how sure they are.

Pure functions over the text, its sentences and its entity mentions; no spaCy.

Attribution, in order of precedence for an event whose trigger is at offset p:
1. p inside a speech quote 「…」 (a quote followed by と/という or opened by 曰く) → the
   quote's speaker: the source framing the sentence where the quote ends or starts;
2. a `…によると` phrase in the sentence before p → the entity in that phrase;
3. the sentence ends in a reporting frame (…と伝えた, …と発表した) after p → the
   sentence's topic (the entity before its first は/が), or the English subject of "said";
4. the sentence ends in hearsay (…という, …としている) with no source of its own → the
   source of the previous sentence, since Japanese news keeps a source across sentences;
5. otherwise the author (source None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kansoku.domain.lexicon import Lexicon, find_all
from kansoku.model import Attribution, Mention, TimeSpan
from kansoku.nlp.analysis import Sentence

SOURCE_TYPES = {"PERSON", "ORG", "MEDIA", "STATE", "GROUP"}
_QUOTE_PAIRS = {"「": "」", "『": "』", '"': '"', "“": "”"}


@dataclass(frozen=True)
class Quote:
    start: int  # offset of the opening mark
    end: int  # offset just after the closing mark
    speech: bool  # a reported utterance, not a name or a scare quote


def find_quotes(text: str) -> list[Quote]:
    """Top-level 「…」 and "…" quotes; nested quotes stay inside their outer quote."""
    quotes: list[Quote] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        close = _QUOTE_PAIRS.get(ch)
        if close is None or ch == "『":
            i += 1
            continue
        depth, j = 1, i + 1
        while j < n and depth:
            if text[j] == close:
                depth -= 1
            elif text[j] == ch and ch != '"':
                depth += 1
            j += 1
        if depth:
            break
        after = text[j : j + 6]
        before = text[max(0, i - 3) : i]
        speech = (
            after.startswith(("と", "という", "、と", "とも"))
            or "曰く" in before
            or ":" in before
            or (ch == '"' and j - i > 25)
        )
        if ch == '"' or ch == "“":
            speech = speech or bool(re.match(r",? ?(?:he|she|they|it|\w+ \w*) ?(?:said|told)", after))
        quotes.append(Quote(i, j, speech and j - i > 6))
        i = j
    return quotes


def sentence_of(sentences: list[Sentence], offset: int) -> int:
    for k, s in enumerate(sentences):
        if s.start <= offset < s.end + 1:
            return k
    return len(sentences) - 1


def topic_source(sentence: Sentence, mentions: list[Mention], lang: str) -> Mention | None:
    """The entity that a sentence is about: the last source-like mention before its first
    topic particle (北朝鮮の朝鮮中央通信(KCNA)は → KCNA), or in English the nearest
    source-like mention before the reporting verb."""
    text = sentence.text
    if lang == "ja":
        cut = _first_topic_particle(text)
        if cut is None:
            return None
        window = [
            m for m in mentions
            if sentence.start <= m.start and m.end <= sentence.start + cut and m.type in SOURCE_TYPES
        ]
        return window[-1] if window else None
    return None


def _first_topic_particle(text: str) -> int | None:
    for m in re.finditer(r"(?:は|が)(?:、|\d|[^\sのをにとで])|も(?=、|\d)", text):
        # skip は inside words such as では/には/とは: the particle follows a noun or ")".
        prev = text[m.start() - 1] if m.start() else ""
        if prev in "でにとへもらか":
            continue
        if text[m.start()] == "が" and prev in "。、":
            continue
        return m.start()
    return None


def according_source(
    sentence: Sentence, before: int, mentions: list[Mention], lex: Lexicon
) -> tuple[Mention | None, str | None]:
    """`Xによると` / `according to X` before offset `before` in the sentence."""
    hits = [h for h in find_all(lex.according, sentence.text) if sentence.start + h[0] < before]
    if not hits:
        return None, None
    cue_start = sentence.start + hits[-1][0]
    cue_end = sentence.start + hits[-1][1]
    if sentence.text[hits[-1][0]:hits[-1][1]].lower().startswith("according"):
        cands = [m for m in mentions if cue_end <= m.start < cue_end + 60 and m.type in EN_SOURCE_TYPES]
        return (cands[0] if cands else None), "according to"
    cands = [m for m in mentions if sentence.start <= m.start and m.end <= cue_start + 1
             and m.type in SOURCE_TYPES]
    return (cands[-1] if cands else None), sentence.text[hits[-1][0]:hits[-1][1]]


def frame_after(sentence: Sentence, offset: int, lex: Lexicon) -> tuple[int, str] | None:
    """The last reporting frame of the sentence after `offset`: (its offset, its cue)."""
    hits = [h for h in find_all(lex.reporting, sentence.text) if sentence.start + h[0] >= offset]
    if not hits:
        return None
    h = hits[-1]
    return sentence.start + h[0], sentence.text[h[0]:h[1]]


def hearsay_end(sentence: Sentence, lex: Lexicon) -> str | None:
    tail = sentence.text.rstrip("。.!?」 \n")[-12:]
    for h in find_all(lex.hearsay, tail):
        if tail.endswith(tail[h[0]:h[1]]) or h[1] >= len(tail) - 3:
            return tail[h[0]:h[1]]
    return None


PRONOUN_SOURCE = re.compile(r"\b(?:he|she|they|it)\s+$", re.IGNORECASE)
# English wire copy names governments by their capitals (Pyongyang has denied …).
EN_SOURCE_TYPES = SOURCE_TYPES | {"PLACE"}
_INVERTABLE = ("said", "says", "told", "reported", "added")


def english_source(
    sentence: Sentence, offset: int, mentions: list[Mention], lex: Lexicon
) -> tuple[Mention | None, str | None, int | None]:
    """`X said …` or `…, said X` in an English sentence: (source, cue, cue offset). A
    pronoun subject ("…, he said") gives (None, cue, offset): the caller resolves it to
    the running source."""
    best = None
    for h in find_all(lex.reporting, sentence.text):
        cue = sentence.text[h[0]:h[1]].lower()
        if cue == "according to":
            continue
        pos = sentence.start + h[0]
        lead = sentence.text[max(0, h[0] - 20):h[0]]
        before = [m for m in mentions if sentence.start <= m.start and m.end <= pos
                  and m.type in EN_SOURCE_TYPES and pos - m.end < 120]
        after = [m for m in mentions if pos < m.start < pos + 30 and m.type in EN_SOURCE_TYPES]
        if before and pos - before[-1].end < 25:
            src = before[-1]
        elif PRONOUN_SOURCE.search(lead):
            src = None
        elif before and pos - before[-1].end < 60:
            src = before[-1]
        elif after and cue in _INVERTABLE:
            src = after[0]
        else:
            src = before[-1] if before else None
        if src is None and not PRONOUN_SOURCE.search(lead):
            continue
        # A frame before the event governs it ("X said that …"); a frame after it too
        # ("…, X said."). The nearest frame wins.
        dist = abs(pos - offset)
        if best is None or dist < best[0]:
            best = (dist, src, cue, pos)
    if best is None:
        return None, None, None
    return best[1], best[2], best[3]


def previous_speaker(sentences: list[Sentence], k: int, mentions: list[Mention]) -> Mention | None:
    """The speaker a sentence-opening 曰く refers to: the previous sentence's person, else its
    organization (…グロッシ事務局長…報告している。曰く「…」)."""
    if k <= 0:
        return None
    prev = sentences[k - 1]
    inside = [m for m in mentions if prev.start <= m.start < prev.end and m.type in SOURCE_TYPES]
    people = [m for m in inside if m.type == "PERSON"]
    orgs = [m for m in inside if m.type in ("ORG", "MEDIA")]
    return (people or orgs or [None])[-1]


def said_on_near(times: list[TimeSpan], start: int, end: int, text: str) -> TimeSpan | None:
    """A date right after the source (KCNAは24日、) or right after the verb (said on Thursday).
    「IAEAは10月中旬以降、…観測」 dates what was seen, not a report: an open bound is not
    a said_on date."""
    for t in times:
        if start <= t.start_char <= end and not text.startswith(_BOUND_AFTER, t.end_char):
            return t
    return None


_BOUND_AFTER = ("以降", "から", "まで", "以来", "にかけて")


def certainty_of(
    text: str, trigger_end: int, scope_end: int, lex: Lexicon, lang: str, trigger_start: int
) -> str:
    """The first certainty cue after the trigger within its scope; `certain` when none.

    English hedges usually precede the verb (is likely to supply, could seek), so English
    also looks back a few words before the trigger."""
    hits = []
    for level, pats in lex.certainty.items():
        # English triggers can carry their own hedge (seeking, would supply).
        for h in find_all(pats, text, trigger_end if lang == "ja" else trigger_start, scope_end):
            hits.append((h[0], -(h[1] - h[0]), level))
        if lang != "ja":
            back = max(0, trigger_start - 80)
            clause_start = max(text.rfind(",", back, trigger_start), text.rfind(";", back, trigger_start))
            back = max(back, clause_start + 1)
            for h in find_all(pats, text, back, trigger_start):
                hits.append((h[0] - 10_000, -(h[1] - h[0]), level))
    un = [h for h in hits if h[2] == "uncommitted"]
    if un:
        return "uncommitted"
    if not hits:
        return "certain"
    hits.sort()
    return hits[0][2]


def negated(text: str, trigger_start: int, trigger_end: int, scope_end: int, lex: Lexicon,
            lang: str) -> bool:
    if lang == "ja":
        return bool(find_all(lex.negation, text, trigger_end, scope_end))
    back = max(0, trigger_start - 45)
    return bool(find_all(lex.negation, text, back, min(scope_end, trigger_end + 25)))


def attribution(source: Mention | None, cue: str | None, said_on: TimeSpan | None) -> Attribution:
    chain: tuple[str, ...] = ("author",)
    if source is not None:
        chain += ((source.entity or source.text),)
    when: date | None = said_on.start if said_on and said_on.precision == "day" else None
    return Attribution(
        source=(source.entity or source.text) if source else None,
        text=source.text if source else None,
        cue=cue,
        said_on=when,
        chain=chain,
    )
