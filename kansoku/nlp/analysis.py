"""The NLP stage's output as plain records: what the extractor sees instead of a spaCy Doc.

Only `kansoku.nlp` imports spaCy; `to_analysis` is the one converter from a Doc to these
records, so storage, fusion and the API never depend on spaCy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Sentence ends: the scorer and the gold files use the same set, so sentences line up.
SENTENCE_END = "。！？!?\n"


@dataclass(frozen=True)
class Token:
    i: int
    start: int
    end: int
    text: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class Analysis:
    """Tokens, sentences and unknown proper names found by the language's pipeline."""

    text: str
    lang: str
    tokens: list[Token] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    names: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, type

    def tokens_in(self, start: int, end: int) -> list[Token]:
        return [t for t in self.tokens if t.start >= start and t.end <= end]

    def token_at(self, offset: int) -> Token | None:
        for t in self.tokens:
            if t.start <= offset < t.end:
                return t
        return None


def split_sentences(text: str, lang: str) -> list[Sentence]:
    """Split on 。！？!? and newlines (and, in English, on '. ' before a capital).

    GiNZA's own splitter breaks inside names (戦略|国際問題研究所), so Kansoku splits by
    punctuation, which is also how the gold annotations count sentences.
    """
    out: list[Sentence] = []
    start = 0
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        end_here = ch in SENTENCE_END
        if not end_here and lang != "ja" and ch == "." and i + 2 < n and text[i + 1] == " ":
            nxt = text[i + 2]
            prev_word = text[max(0, text.rfind(" ", 0, i) + 1) : i]
            # "Dec. 30", "U.S. officials", "Mr. Kim": abbreviations do not end sentences.
            end_here = (nxt.isupper() or nxt in "\"“") and not _is_abbreviation(prev_word)
        if end_here:
            _push(out, text, start, i + 1)
            start = i + 1
        i += 1
    _push(out, text, start, n)
    return out


_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "sgt", "st", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.n", "u.k", "no", "vs",
    "e.g", "i.e", "inc", "corp", "co", "jr", "sr", "adm", "rep", "sen", "gov", "pres",
}


def _is_abbreviation(word: str) -> bool:
    w = word.lower().strip("(\"'“")
    return w in _ABBREVIATIONS or (len(w) == 1 and w.isalpha())


def _push(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    stripped_end = end
    while stripped_end > start and text[stripped_end - 1] == "\n":
        stripped_end -= 1
    if stripped_end > start:
        out.append(Sentence(start, stripped_end, text[start:stripped_end]))
