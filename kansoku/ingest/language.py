"""Language by script: kana → ja, hangul → ko, otherwise Latin → en.

Kansoku reads three languages whose scripts barely overlap, so counting characters is
enough and needs no model. Kanji without kana is treated as Japanese (Chinese is out of
scope; Japanese headlines can be kanji-only).
"""

from __future__ import annotations

from kansoku.errors import IngestError

LANGUAGES = ("ja", "en", "ko")


def script_counts(text: str) -> dict[str, int]:
    counts = {"kana": 0, "hangul": 0, "han": 0, "latin": 0}
    for ch in text:
        o = ord(ch)
        if 0x3040 <= o <= 0x30FF or 0xFF66 <= o <= 0xFF9F:
            counts["kana"] += 1
        elif 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
            counts["hangul"] += 1
        elif 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF:
            counts["han"] += 1
        elif ch.isascii() and ch.isalpha() or 0xC0 <= o <= 0x24F:
            counts["latin"] += 1
    return counts


def detect_language(text: str) -> str:
    """Return "ja", "ko" or "en" for `text`, by the share of kana, hangul and Latin letters."""
    c = script_counts(text)
    letters = sum(c.values()) or 1
    if c["hangul"] > c["kana"] and c["hangul"] >= 0.1 * letters:
        return "ko"
    if c["kana"] >= 0.05 * letters or c["kana"] + c["han"] > c["latin"]:
        return "ja"
    return "en"


def check_language(lang: str) -> str:
    """Validate a user-given language code."""
    code = lang.strip().lower()
    if code not in LANGUAGES:
        raise IngestError(f"language {lang!r} is not supported: use one of {', '.join(LANGUAGES)}")
    return code
