"""Entity linking: gazetteer names in normalized text → `model.Mention` records.

Pure and character-based (Japanese tokenizers split 金正恩 into 金正/恩, so tokens are never
used). One left-to-right scan over the text:

1. at each position the longest gazetteer form that fits wins (a dict keyed by the first two
   characters lists the candidate lengths, longest first); Latin forms need word boundaries
   and match case-insensitively, except short all-caps abbreviations (NIS, AP, US) and the
   forms listed under `case_sensitive`; a Latin form may take a plural "s" (ICBMs);
2. compounds (米韓, 日米韓, 露朝) yield one mention per member state at the same offsets;
3. a person mention extends over a following Japanese title or honorific (金正恩総書記,
   プーチン氏) and a preceding English title (President Vladimir Putin, Mr. Kim);
4. surname + title (金氏, 金総書記, 岸田首相, "Mr. Kim") and a bare English surname resolve to
   the most recent preceding person with that surname, else to `titles.yaml`'s default;
5. a parenthesized gloss (朝鮮中央通信(KCNA), 寧辺(ヨンビョン)) is a mention of the same entity;
6. one-character state abbreviations count only inside compounds, after a prefix (訪朝, 対ロ,
   来日) or before a suffix (米政府, 露外相, 北製): 北 alone is never North Korea;
7. context words (外務省, 財務省) take the body of the state that dominates the preceding text;
   同氏 / 同通信 point back to the last person / news agency.

Mentions never overlap, except the members of a compound, which share their offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kansoku.domain.gazetteer import Gazetteer, load_gazetteer
from kansoku.model import Mention

_FOLD = str.maketrans(
    {"-": " ", "\u2010": " ", "\u2011": " ", "\u2013": " ", "\u2019": "'", "\u2018": "'"}
)
_CAPS_ABBREV = re.compile(r"^[A-Z][A-Z0-9.&]{0,5}$")
_GLOSS = re.compile(r"^[\u30a1-\u30ff\u3041-\u309fA-Za-z0-9・ .'&\-\uac00-\ud7af\u4e00-\u9fff]+$")
_EN_WORD = re.compile(r"[A-Z][A-Za-z'\-]*[a-z]")
_CONTEXT_WINDOW = 250
_CONTEXT_WEIGHT = {"STATE": 1.0, "PERSON": 2.0, "ORG": 2.0, "MEDIA": 2.0}


def fold(text: str) -> str:
    """Lower-case and unify hyphens/quotes, keeping the length (offsets stay valid)."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low.translate(_FOLD)


def _is_word(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _is_kanji(c: str) -> bool:
    return len(c) == 1 and ("\u4e00" <= c <= "\u9fff" or c in "々〆ヶ")


def _is_katakana(c: str) -> bool:
    return len(c) == 1 and "\u30a1" <= c <= "\u30ff" and c != "・"


@dataclass(frozen=True)
class _Entry:
    kind: str  # alias | compound | context | anaphora
    form: str  # the normalized surface form
    ids: tuple[str, ...]
    case_sensitive: bool = False
    latin_start: bool = False
    latin_end: bool = False
    kata_guard: bool = False  # short katakana name: no katakana right before or after
    kanji_guard: bool = False  # generic word (前線): not right after a kanji (梅雨前線)
    next: tuple[str, ...] = ()
    coref_surname: tuple[str, str] | None = None  # (lang, surname) for 岸田 / Kirby / 金氏
    coref_title: str = ""
    type: str = ""
    split: int = 0  # 米ホワイトハウス, 韓国の専門家: the state prefix gets its own mention
    split_ids: tuple[str, ...] = ()
    split_gap: int = 0  # 1 for the の of 米韓の情報当局


@dataclass
class Matcher:
    entries: dict[str, list[_Entry]] = field(default_factory=dict)
    lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)  # first 2 chars → lengths
    ja_titles: dict[str, tuple[str, ...]] = field(default_factory=dict)  # first char → titles
    en_titles: tuple[str, ...] = ()
    ja_surname_lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)
    prefixes_all: frozenset[str] = frozenset()

    def add(self, key: str, entry: _Entry) -> None:
        self.entries.setdefault(key, []).append(entry)


def build_matcher(gaz: Gazetteer) -> Matcher:
    """Index every surface form of `gaz` for the scan (done once per gazetteer)."""
    m = Matcher()
    titles = gaz.titles
    ja_after = tuple(
        sorted(set(titles.ja_titles) | set(titles.ja_honorifics), key=len, reverse=True)
    )
    by_first: dict[str, list[str]] = {}
    for t in ja_after:
        by_first.setdefault(t[0], []).append(t)
    m.ja_titles = {k: tuple(v) for k, v in by_first.items()}
    m.en_titles = tuple(sorted(set(titles.en_titles), key=len, reverse=True))
    for s in gaz.surnames["ja"]:
        m.ja_surname_lengths.setdefault(s[0], ())
        m.ja_surname_lengths[s[0]] = tuple(
            sorted({*m.ja_surname_lengths[s[0]], len(s)}, reverse=True)
        )
    prefixes: set[str] = set()
    for sf in gaz.shorts.values():
        prefixes |= sf.prefixes
    m.prefixes_all = frozenset(prefixes)

    state_forms = _state_forms(gaz)
    for eid, forms in gaz.aliases.items():
        ent = gaz.entities[eid]
        surname = gaz.surname_of.get(eid, {})
        own = set(forms) | {c for c, ids in gaz.context_aliases.items() if eid in ids}
        for form in forms:
            split, split_ids, gap = (
                (0, (), 0)
                if ent.type in ("STATE", "PERSON")
                else _split(
                    form, own if ent.type in ("ORG", "MEDIA", "GROUP") else set(), state_forms
                )
            )
            cs = form in gaz.case_sensitive or bool(_CAPS_ABBREV.match(form) and len(form) <= 5)
            coref = None
            coref_title = ""
            if ent.type == "PERSON":
                for lang, s in surname.items():
                    if form == s:
                        coref = (lang, s)
                    elif lang == "ja" and form.startswith(s) and form[len(s) :] in ja_after:
                        coref, coref_title = (lang, s), form[len(s) :]
            kata = all(_is_katakana(c) for c in form) and len(form) <= 4 and ent.type != "STATE"
            m.add(
                fold(form),
                _Entry(
                    "alias",
                    form,
                    (eid,),
                    case_sensitive=cs,
                    latin_start=_is_word(form[0]),
                    latin_end=_is_word(form[-1]),
                    kata_guard=kata,
                    kanji_guard=form in gaz.guarded,
                    coref_surname=coref,
                    coref_title=coref_title,
                    type=ent.type,
                    split=split,
                    split_ids=split_ids,
                    split_gap=gap,
                ),
            )
    for key, comp in gaz.compounds.items():
        m.add(fold(key), _Entry("compound", key, comp.members, next=comp.next))
    context: dict[str, tuple[str, tuple[str, ...]]] = {}
    for word, ids in gaz.context_aliases.items():
        form, old = context.get(fold(word), (word, ()))
        context[fold(word)] = (form, tuple(dict.fromkeys(old + ids)))
    for key, (word, ids) in context.items():
        m.add(
            key,
            _Entry(
                "context",
                word,
                ids,
                latin_start=_is_word(word[0]),
                latin_end=_is_word(word[-1]),
            ),
        )
    for word, etype in titles.anaphora.items():
        m.add(fold(word), _Entry("anaphora", word, (), type=etype))
    lengths: dict[str, set[int]] = {}
    for key in m.entries:
        if len(key) >= 2:
            lengths.setdefault(key[:2], set()).add(len(key))
    m.lengths = {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}
    return m


def _state_forms(gaz: Gazetteer) -> dict[str, tuple[str, ...]]:
    """Japanese forms that name states: 米国, ロシア, 米 (short), 米韓 (compound)."""
    out: dict[str, tuple[str, ...]] = {}
    for ent in gaz.entities.values():
        if ent.type != "STATE":
            continue
        for form in gaz.aliases[ent.id]:
            if not _is_word(form[0]):
                out[form] = (ent.id,)
    for sf in gaz.shorts.values():
        out.setdefault(sf.char, (sf.entity,))
    for key, comp in gaz.compounds.items():
        out.setdefault(key, comp.members)
    return out


def _split(form: str, own: set[str], state_forms: dict[str, tuple[str, ...]]):
    """(prefix length, state ids, gap) when `form` is a state prefix + a name of its own.

    米ホワイトハウス → 米 + ホワイトハウス; 韓国の専門家 → 韓国 + の + 専門家.
    """
    for k in range(len(form) - 2, 0, -1):
        prefix, rest = form[:k], form[k:]
        ids = state_forms.get(prefix)
        if not ids:
            continue
        if rest.startswith("の") and len(rest) >= 3:
            return k, ids, 1
        if rest in own:
            return k, ids, 0
    return 0, (), 0


class _Scan:
    """State of one linking pass over one text."""

    def __init__(self, text: str, gaz: Gazetteer) -> None:
        self.text = text
        self.low = fold(text)
        self.n = len(text)
        self.gaz = gaz
        self.m: Matcher = gaz.matcher
        self.mentions: list[Mention] = []
        self.last_end = 0

    # -- helpers ------------------------------------------------------------------------------

    def prev(self, i: int) -> str:
        return self.text[i - 1] if i > 0 else ""

    def char(self, i: int) -> str:
        return self.text[i] if i < self.n else ""

    def emit(self, start: int, end: int, ids: tuple[str, ...]) -> None:
        for eid in ids:
            ent = self.gaz.entities[eid]
            self.mentions.append(Mention(start, end, self.text[start:end], ent.type, eid))
        self.last_end = max(self.last_end, end)

    def recent(self, pred, start: int) -> str | None:
        for mention in reversed(self.mentions):
            if mention.end <= start and mention.entity and pred(mention):
                return mention.entity
        return None

    def recent_person(self, lang: str, surname: str, start: int) -> str | None:
        def has_surname(mention: Mention) -> bool:
            return self.gaz.surname_of.get(mention.entity, {}).get(lang) == surname

        return self.recent(has_surname, start)

    def title_after(self, i: int) -> str:
        for t in self.m.ja_titles.get(self.char(i), ()):
            if self.text.startswith(t, i):
                return t
        return ""

    def extend_titles(self, start: int, end: int) -> tuple[int, int]:
        """Japanese titles after the name, an English title before it.

        A title that starts with an organization's name (朝鮮労働党総書記, 国家情報院長) is
        left alone, so that the organization gets its own mention.
        """
        while True:
            t = self.title_after(end)
            if not t:
                break
            hit = self.longest(end)
            if hit and hit[0].kind == "alias" and hit[0].type not in ("PERSON",):
                break
            end += len(t)
        low = self.text[max(0, start - 40) : start]
        for t in self.m.en_titles:
            if low.endswith(t + " "):
                s = start - len(t) - 1
                if s >= self.last_end and (s == 0 or not _is_word(self.text[s - 1])):
                    start = s
                    break
        return start, end

    # -- matching -----------------------------------------------------------------------------

    def fits(self, entry: _Entry, i: int, end: int) -> int:
        """The end of the match when `entry` fits at i..end, else -1 (plural s allowed)."""
        text = self.text
        if entry.case_sensitive and text[i:end].translate(_FOLD) != entry.form.translate(_FOLD):
            return -1
        if entry.latin_start and i > 0 and _is_word(text[i - 1]):
            return -1
        if entry.latin_end and end < self.n and _is_word(text[end]):
            if (
                text[end] in "sS"
                and entry.form[-1].isalpha()
                and len(entry.form) >= 3
                and (end + 1 == self.n or not _is_word(text[end + 1]))
            ):
                end += 1
            else:
                return -1
        if entry.form[-1].isdigit() and end < self.n and text[end].isdigit():
            return -1
        if entry.kata_guard and (
            (i > 0 and _is_katakana(text[i - 1])) or (end < self.n and _is_katakana(text[end]))
        ):
            return -1
        if entry.kanji_guard and _is_kanji(self.prev(i)):
            return -1
        if entry.kind == "compound":
            p = self.prev(i)
            if p.isdigit() or (_is_kanji(p) and p not in self.m.prefixes_all):
                return -1
            if entry.form.endswith("中") and p and p in "訪滞在来":
                return -1
            if _is_katakana(entry.form[0]) and _is_katakana(p):
                return -1
            if _is_katakana(entry.form[-1]) and end < self.n and _is_katakana(text[end]):
                return -1
            if entry.next and not any(text.startswith(w, end) for w in entry.next):
                return -1
        return end

    def longest(self, i: int) -> tuple[_Entry, int, tuple[str, ...]] | None:
        """The longest form at i that fits and resolves: (entry, end, entity ids)."""
        lens = self.m.lengths.get(self.low[i : i + 2])
        if not lens:
            return None
        for length in lens:
            if i + length > self.n:
                continue
            for entry in self.m.entries.get(self.low[i : i + length], ()):
                end = self.fits(entry, i, i + length)
                if end >= 0:
                    ids = self.resolve(entry, i, end)
                    if ids:
                        return entry, end, ids
        return None

    def context_choice(self, entry: _Entry, start: int) -> str | None:
        by_state: dict[str, str] = {}
        for eid in entry.ids:
            state = self.gaz.root_state(eid)
            if state:
                by_state.setdefault(state, eid)
        scores: dict[str, float] = {}
        last = self.mentions[-1] if self.mentions else None
        if last and last.entity and 0 <= start - last.end <= 3:  # ロシアの外務省, Japan's
            state = self.gaz.root_state(last.entity)
            if state in by_state and self.text[last.end : start] in ("", "の", "'s ", "の"):
                return by_state[state]
        for k, mention in enumerate(reversed(self.mentions)):
            if mention.end > start or not mention.entity:
                continue
            if start - mention.end > _CONTEXT_WINDOW:
                break
            state = self.gaz.root_state(mention.entity)
            if state in by_state:
                bonus = 0.5 if k == 0 else 0.0
                scores[state] = (
                    scores.get(state, 0.0) + _CONTEXT_WEIGHT.get(mention.type, 1.0) + bonus
                )
        if scores:
            return by_state[max(scores, key=scores.__getitem__)]
        return self.gaz.context_defaults.get(entry.form)

    def resolve(self, entry: _Entry, start: int, end: int) -> tuple[str, ...]:
        if entry.kind in ("alias", "compound"):
            if entry.coref_surname:
                lang, surname = entry.coref_surname
                title = entry.coref_title or self.title_after(end)
                default = self.gaz.titles.surname_defaults.get(lang, {}).get(surname, {}).get(title)
                if default:
                    return (default,)
                found = self.recent_person(lang, surname, start)
                return (found or entry.ids[0],)
            return entry.ids
        if entry.kind == "anaphora":
            found = self.recent(lambda mm: mm.type == entry.type, start)
            return (found,) if found else ()
        if entry.kind == "context":
            if len(entry.ids) == 1:
                found = self.recent(lambda mm: mm.entity == entry.ids[0], start)
                return (found,) if found else ()
            choice = self.context_choice(entry, start)
            return (choice,) if choice else ()
        return ()

    def surname_at(self, i: int) -> tuple[int, int, str] | None:
        """金氏 / 李大統領 / Mr. Kim / Kim (after Kim Jong Un): (start, end, entity id)."""
        c = self.text[i]
        for length in self.m.ja_surname_lengths.get(c, ()):
            s = self.text[i : i + length]
            if s not in self.gaz.surnames["ja"]:
                continue
            title = self.title_after(i + length)
            if not title:
                continue
            if length == 1 and _is_kanji(self.prev(i)):
                continue
            if all(_is_katakana(ch) for ch in s) and _is_katakana(self.prev(i)):
                continue
            default = self.gaz.titles.surname_defaults.get("ja", {}).get(s, {}).get(title)
            found = default or self.recent_person("ja", s, i)
            if not found:
                ids = self.gaz.surnames["ja"][s]
                found = ids[0] if len(ids) == 1 else None
            if found:
                return i, i + length, found
        if "A" <= c <= "Z" and not _is_word(self.prev(i)):
            mo = _EN_WORD.match(self.text, i)
            if mo and (mo.end() == self.n or not _is_word(self.text[mo.end()])):
                s = mo.group()
                if s in self.gaz.surnames["en"]:
                    found = self.recent_person("en", s, i)
                    if not found:
                        before = self.text[max(0, i - 40) : i]
                        for title, eid in (
                            self.gaz.titles.surname_defaults.get("en", {}).get(s, {}).items()
                        ):
                            if before.endswith(title + " "):
                                found = eid
                                break
                    if found:
                        return i, mo.end(), found
        return None

    def short_at(self, i: int) -> str | None:
        c = self.text[i]
        sf = self.gaz.shorts.get(c)
        if sf is None or sf.compounds_only and not sf.prefixes:
            return None
        p, nxt = self.prev(i), self.char(i + 1)
        if _is_katakana(c) and (_is_katakana(nxt) or _is_katakana(p)):
            return None
        if p and p in sf.prefixes:
            return sf.entity
        if (
            sf.suffixes
            and not _is_kanji(p)
            and any(self.text.startswith(s, i + 1) for s in sf.suffixes)
        ):
            return sf.entity
        return None

    def gloss(self, end: int, ids: tuple[str, ...]) -> int:
        """朝鮮中央通信(KCNA): a mention for the gloss; returns where scanning resumes."""
        if end >= self.n or self.text[end] != "(":
            return end
        close = self.text.find(")", end + 1, end + 32)
        if close < 0:
            return end
        inner = self.text[end + 1 : close]
        if not inner.strip() or "(" in inner or "\n" in inner:
            return end
        hit = self.longest(end + 1)
        if hit and hit[1] == close:
            self.emit(end + 1, close, hit[2])
            return close + 1
        if (
            _GLOSS.match(inner)
            and not inner.strip().isdigit()
            and any(not ch.isdigit() for ch in inner)
        ):
            if any(_is_kanji(ch) for ch in inner):
                return end  # a kanji gloss that is no known name: leave it to the scan
            self.emit(end + 1, close, ids)
            return close + 1
        return end

    def run(self) -> list[Mention]:
        i, n = 0, self.n
        while i < n:
            hit = self.longest(i)
            if hit:
                entry, end, ids = hit
                start = i
                if entry.split:
                    self.emit(i, i + entry.split, entry.split_ids)
                    start = i + entry.split + entry.split_gap
                elif entry.kind != "compound" and self.gaz.entities[ids[0]].type == "PERSON":
                    start, end = self.extend_titles(i, end)
                self.emit(start, end, ids)
                i = self.gloss(end, ids)
                continue
            sur = self.surname_at(i)
            if sur:
                start, end, eid = sur
                start, end = self.extend_titles(start, end)
                self.emit(start, end, (eid,))
                i = self.gloss(end, (eid,))
                continue
            eid = self.short_at(i)
            if eid:
                self.emit(i, i + 1, (eid,))
            i += 1
        return self.mentions


def link_entities(text: str, lang: str, gazetteer: Gazetteer | None = None) -> list[Mention]:
    """Every gazetteer entity named in `text` (already normalized), in text order.

    `lang` is the document language ("ja", "en"); both scripts are matched in any document,
    since Japanese articles quote English names (KCNA, CSIS) and vice versa.
    """
    gaz = gazetteer or load_gazetteer()
    if not text:
        return []
    return _Scan(text, gaz).run()
