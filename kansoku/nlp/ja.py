"""Japanese: GiNZA (`ja_ginza`) for tokens, lemmas, parts of speech and dependencies.

GiNZA's NER component is left out: it costs about half the parse time and mislabels this
domain (朝鮮中央通信 as a person, 寧辺 as an organization). Unknown proper names come
instead from SudachiPy's part-of-speech tags (名詞-固有名詞-人名/地名/組織名), which the
morphologizer gives for free; the gazetteer links the known ones.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from kansoku.nlp.analysis import Analysis, Token, split_sentences

_NAME_TYPES = {"人名": "PERSON", "地名": "PLACE", "組織名": "ORG"}


@lru_cache(maxsize=1)
def pipeline() -> Any:
    import spacy

    return spacy.load("ja_ginza", exclude=["ner"])


def to_analysis(doc: Any, text: str) -> Analysis:
    """The one converter from a spaCy Doc to Kansoku's records."""
    tokens = [
        Token(t.i, t.idx, t.idx + len(t.text), t.text, t.lemma_, t.pos_, t.tag_, t.dep_, t.head.i)
        for t in doc
    ]
    return Analysis(text, "ja", tokens, split_sentences(text, "ja"), proper_names(tokens))


def proper_names(tokens: list[Token]) -> list[tuple[int, int, str]]:
    """Runs of tokens tagged 名詞-固有名詞-*: (start, end, type)."""
    names: list[tuple[int, int, str]] = []
    run: list[Token] = []
    for tok in tokens + [Token(-1, -1, -1, "", "", "", "", "", -1)]:
        if tok.tag.startswith("名詞-固有名詞"):
            run.append(tok)
            continue
        if run:
            sub = run[0].tag.split("-")[2] if run[0].tag.count("-") >= 2 else ""
            names.append((run[0].start, run[-1].end, _NAME_TYPES.get(sub, "NAME")))
            run = []
    return names


def analyze(text: str) -> Analysis:
    # Long texts are parsed paragraph by paragraph: memory stays flat (GiNZA's memory grows
    # quickly with document length) and offsets are shifted back into the whole text.
    nlp = pipeline()
    tokens: list[Token] = []
    offset = 0
    for para in text.split("\n"):
        if para.strip():
            doc = nlp(para)
            base = len(tokens)
            for t in doc:
                tokens.append(
                    Token(
                        base + t.i, offset + t.idx, offset + t.idx + len(t.text), t.text,
                        t.lemma_, t.pos_, t.tag_, t.dep_, base + t.head.i,
                    )
                )
        offset += len(para) + 1
    return Analysis(text, "ja", tokens, split_sentences(text, "ja"), proper_names(tokens))
