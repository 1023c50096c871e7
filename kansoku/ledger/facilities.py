"""Facility states (`domain/facility_states.yaml`) and the facility board.

The board lists, for each facility named by a facility event, its last known state: the
latest-dated canonical event about it (undated ones count at their first report's
publication), with the date, the sources, the best certainty and the evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from kansoku.errors import GazetteerError
from kansoku.normalize import normalize_text

STATES_FILE = Path(__file__).resolve().parent.parent / "domain" / "facility_states.yaml"
FACILITY_TYPES = ("facility_activity", "facility_disclosure")


@dataclass(frozen=True)
class StateLexicon:
    states: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...]  # name, ja, en

    def state(self, text: str) -> str | None:
        """The first state whose words occur in `text` (a trigger, else the evidence)."""
        for name, ja, en in self.states:
            if ja.search(text) or (en is not None and en.search(text)):
                return name
        return None


@lru_cache(maxsize=1)
def load_states(path: Path = STATES_FILE) -> StateLexicon:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise GazetteerError(f"cannot read facility states {path} ({err}): fix or restore the file") from err
    states = []
    for name, words in (data or {}).get("states", {}).items():
        ja = [re.escape(normalize_text(w)) for w in words.get("ja") or []]
        en = words.get("en") or []
        if not ja:
            raise GazetteerError(f"{path}: state {name!r} has no Japanese words: add some")
        states.append(
            (
                name,
                re.compile("|".join(ja)),
                re.compile(rf"(?<![\w-])(?:{'|'.join(en)})(?![\w-])", re.IGNORECASE) if en else None,
            )
        )
    return StateLexicon(tuple(states))


def facility_state(event_type: str, trigger: str, evidence: str = "") -> str | None:
    """The state a facility event reports: from the trigger, else from the evidence sentence."""
    if event_type not in FACILITY_TYPES:
        return None
    lex = load_states()
    return lex.state(trigger) or (lex.state(evidence) if evidence else None) or (
        "disclosed" if event_type == "facility_disclosure" else None
    )
