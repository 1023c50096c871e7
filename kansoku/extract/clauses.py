"""Clause windows inside a sentence: the stretch of text an event's arguments come from.

Japanese chains clauses with the continuative form (会談し、…締結する一方、…派遣する). A
time or a subject stated early in the chain carries over the plain continuative links
(し、 / て、) but not across contrastive or additive links (一方、 ほか、 が、), which start
a new proposition. English clauses break at `;`, `, and`, `, but` and `, while`.
"""

from __future__ import annotations

import re

_JA_BREAKS = re.compile(r"一方、?|ほか、|のほか|が、|。|それだけではない|また、")
_EN_BREAKS = re.compile(r";|, (?:but|while|and|after|as|which)\b| but ")


def breaks(text: str, lang: str, start: int, end: int) -> list[int]:
    rx = _JA_BREAKS if lang == "ja" else _EN_BREAKS
    return [m.start() for m in rx.finditer(text, start, end)]


def clause_window(text: str, lang: str, sent_start: int, sent_end: int, pos: int) -> tuple[int, int]:
    """The [start, end) of the clause chain segment around offset `pos`."""
    cuts = breaks(text, lang, sent_start, sent_end)
    left = max([c for c in cuts if c < pos], default=sent_start)
    right = min([c for c in cuts if c > pos], default=sent_end)
    return left, right
