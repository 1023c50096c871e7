"""English: spaCy's blank English tokenizer plus rules.

No trained English spaCy model installs offline here, so English gets tokens, lemmas by a
small suffix rule, and unknown proper names from runs of capitalized words that do not
start a sentence. The extractor's English rules work on these plus the gazetteer.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from kansoku.nlp.analysis import Analysis, Token, split_sentences

_NAME_RUN = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+)+)\b", re.M)


@lru_cache(maxsize=1)
def pipeline() -> Any:
    import spacy

    return spacy.blank("en")


def lemma(word: str) -> str:
    w = word.lower()
    for suffix, repl in (("ied", "y"), ("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)] + repl
    return w


def analyze(text: str) -> Analysis:
    doc = pipeline()(text)
    tokens = [
        Token(t.i, t.idx, t.idx + len(t.text), t.text, lemma(t.text), "", "", "", t.i) for t in doc
    ]
    names = [(m.start(1), m.end(1), "NAME") for m in _NAME_RUN.finditer(text)]
    return Analysis(text, "en", tokens, split_sentences(text, "en"), names)
