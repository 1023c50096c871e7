"""Language pipelines. A language is added by adding a module that defines `analyze`.

    analyze(text, lang) -> Analysis

`ja` uses GiNZA (spaCy + SudachiPy); `en` uses spaCy's blank English tokenizer plus rules,
because no trained English model can be installed offline here. Korean will be `ko.py`.
"""

from __future__ import annotations

import importlib

from kansoku.nlp.analysis import Analysis, Sentence, Token, split_sentences

__all__ = ["Analysis", "Sentence", "Token", "analyze", "split_sentences", "SUPPORTED"]

SUPPORTED = ("ja", "en")


def analyze(text: str, lang: str) -> Analysis:
    """Tokens, sentences and unknown proper names of `text` in language `lang`."""
    module = lang if lang in SUPPORTED else "en"
    return importlib.import_module(f"kansoku.nlp.{module}").analyze(text)
