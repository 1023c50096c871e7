"""Text normalization: NFKC plus what NFKC misses in Japanese news.

All offsets in Kansoku refer to the text this returns. The fixes keep the text readable
and never change meaning:

- dash and bar look-alikes between katakana (U+2015 ―, U+2014 —, U+2500 ─, U+2212 −,
  U+2010 ‐, U+30FB ・ is *not* one) become the long-vowel mark ー: ウィ―ン → ウィーン;
- wave dashes (〜 U+301C, ～ U+FF5E, ∼) become `~`, the range mark of `8~13日`;
- full-width digits and letters become ASCII (NFKC does this);
- CRLF and CR become LF (spaces are kept: offsets stay those of plain NFKC text);
- zero-width characters and BOMs are removed.
"""

from __future__ import annotations

import re
import unicodedata

_DASH_LOOKALIKES = "\u2015\u2014\u2500\u2212\u2010\u2011\u2012\u2013\u30fc\uff70\u2501"
_KATAKANA = "\u30a1-\u30fa\u30fc-\u30ff\uff66-\uff9f"
_KATAKANA_DASH = re.compile(rf"(?<=[{_KATAKANA}])[{_DASH_LOOKALIKES}-](?=[{_KATAKANA}])")
_WAVE = re.compile("[\u301c\u3030\uff5e\u223c\u2053]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def normalize_text(text: str) -> str:
    """Return the stored form of `text` (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    # The katakana fix runs before NFKC: NFKC maps some look-alikes (U+2015) to nothing
    # useful, and after NFKC half-width katakana are full width, which the class covers.
    text = _KATAKANA_DASH.sub("ー", text)
    text = _WAVE.sub("~", text)
    text = unicodedata.normalize("NFKC", text)
    text = _KATAKANA_DASH.sub("ー", text)
    return text
