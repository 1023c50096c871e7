"""Load and validate the trigger and cue lexicons (events.yaml, cues.yaml).

Japanese entries are plain strings matched on characters; English entries are regular
expressions matched case-insensitively between word boundaries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kansoku.errors import GazetteerError
from kansoku.model import EVENT_TYPES
from kansoku.normalize import normalize_text

DATA = Path(__file__).parent
PSEUDO_TYPES = ("transfer", "launch")


@dataclass(frozen=True)
class Pattern:
    """One lexicon entry compiled for one language."""

    label: str
    regex: re.Pattern[str]


def compile_terms(terms: list[str], lang: str, label: str = "") -> list[Pattern]:
    out = []
    for term in terms:
        if lang == "ja" and term.startswith("re:"):
            rx = re.compile(term[3:])  # a regular expression where a string cannot say it
        elif lang == "ja":
            rx = re.compile(re.escape(normalize_text(term)))
        else:
            rx = re.compile(rf"(?<![\w-])(?:{term})(?![\w-])", re.IGNORECASE)
        out.append(Pattern(label or term, rx))
    return out


def find_all(patterns: list[Pattern], text: str, start: int = 0, end: int | None = None):
    """Yield (start, end, label) of every match in text[start:end], longest first per spot."""
    end = len(text) if end is None else end
    hits = []
    for p in patterns:
        for m in p.regex.finditer(text, start, end):
            hits.append((m.start(), m.end(), p.label))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    return hits


@dataclass
class Lexicon:
    triggers: dict[str, list[Pattern]] = field(default_factory=dict)  # type → patterns
    excludes: dict[str, list[Pattern]] = field(default_factory=dict)
    object_classes: dict[str, list[Pattern]] = field(default_factory=dict)
    combat_context: list[Pattern] = field(default_factory=list)
    launch_objects: list[Pattern] = field(default_factory=list)
    artillery: list[Pattern] = field(default_factory=list)
    default_agent: dict[str, str] = field(default_factory=dict)
    compound_heads: list[Pattern] = field(default_factory=list)
    facility_nouns: re.Pattern[str] = re.compile(r"(?!)")
    background_before: list[Pattern] = field(default_factory=list)
    background_after: list[Pattern] = field(default_factory=list)
    reporting: list[Pattern] = field(default_factory=list)
    hearsay: list[Pattern] = field(default_factory=list)
    according: list[Pattern] = field(default_factory=list)
    certainty: dict[str, list[Pattern]] = field(default_factory=dict)
    negation: list[Pattern] = field(default_factory=list)


def _read(name: str) -> dict[str, Any]:
    path = DATA / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise GazetteerError(f"{path}: not valid YAML ({err}): fix the syntax") from err
    if not isinstance(data, dict) or data.get("version") != 1:
        raise GazetteerError(f"{path}: expected a mapping with version: 1")
    return data


def _check_type(path: str, name: str) -> None:
    if name not in EVENT_TYPES and name not in PSEUDO_TYPES:
        raise GazetteerError(
            f"{path}: unknown event type {name!r}: use one of {', '.join(EVENT_TYPES)}"
        )


@lru_cache(maxsize=4)
def load_lexicon(lang: str) -> Lexicon:
    """The compiled lexicon for `lang` ("ja" or another language that uses the en lists)."""
    key = "ja" if lang == "ja" else "en"
    events = _read("events.yaml")
    cues = _read("cues.yaml")
    lex = Lexicon()
    for etype, entry in events["triggers"].items():
        _check_type("events.yaml", etype)
        lex.triggers[etype] = compile_terms(entry.get(key, []), key, etype)
        lex.excludes[etype] = compile_terms(entry.get(f"exclude_{key}", []), key)
    for cls, entry in events["object_classes"].items():
        lex.object_classes[cls] = compile_terms(entry.get(key, []), key, cls)
    lex.combat_context = compile_terms(events["combat_context"].get(key, []), key)
    lex.launch_objects = compile_terms(events["launch_objects"].get(key, []), key)
    lex.artillery = compile_terms(events.get("artillery", {}).get(key, []), key)
    lex.compound_heads = compile_terms(events.get("compound_heads", {}).get(key, []), key)
    nouns = events.get("facility_nouns", {}).get(key, [])
    if nouns:
        lex.facility_nouns = re.compile("|".join(nouns), re.IGNORECASE)
    background = events.get("background", {})
    lex.background_before = compile_terms(background.get(f"before_{key}", []), key)
    lex.background_after = compile_terms(background.get(f"after_{key}", []), key)
    for etype, entity in (events.get("default_agent") or {}).items():
        _check_type("events.yaml", etype)
        lex.default_agent[etype] = entity
    rep = cues["reporting"]
    lex.reporting = compile_terms(rep.get(key, []), key)
    lex.hearsay = compile_terms(rep.get(f"{key}_hearsay", []), key)
    lex.according = compile_terms(rep.get(f"{key}_according", []), key)
    for level, entry in cues["certainty"].items():
        lex.certainty[level] = compile_terms(entry.get(key, []), key, level)
    lex.negation = compile_terms(cues["negation"].get(key, []), key, "negative")
    return lex
