"""Bytes → str: BOM, declared charset, UTF-8, Shift_JIS (cp932), EUC-JP, charset-normalizer.

Japanese news still arrives in legacy encodings. A wrong decode usually succeeds silently
(EUC-JP read as cp932 yields half-width katakana soup), so among the strict decodes we keep
the one that looks most like Japanese: hiragana weigh most, half-width katakana count
against. Binary input is refused early with a message that says what was found.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from kansoku.errors import DecodeError, EmptyInputError

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"RIFF", "RIFF media (WebP/WAV/AVI)"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!", "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document (OLE)"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x00asm", "WebAssembly module"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O binary"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LEGACY = ("cp932", "euc_jp")
_FIX = "pass a text, HTML, PDF or RSS/Atom file"
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(
    rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I
)
# C0 controls other than tab, LF, FF, CR and ESC (ISO-2022-JP uses ESC).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def binary_kind(data: bytes) -> str | None:
    """What binary thing `data` looks like ("PNG image", "NUL bytes"), or None for text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            if magic == b"MZ" and len(data) > 64 and b"PE\x00\x00" not in data[:1024]:
                continue  # "MZ" is also how plenty of text starts
            return kind
    head = data[:8192]
    if any(head.startswith(bom) for bom, _ in _BOMS[1:]):
        return None  # UTF-16/32 legitimately contain NULs
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    controls = sum(head.count(bytes([c])) for c in _CONTROL)
    if head and controls / len(head) > 0.05:
        return f"binary data ({controls} control bytes in the first {len(head)})"
    return None


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset named by an HTTP content type, an XML declaration or an HTML meta tag."""
    if content_type:
        m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.I)
        if m:
            return m.group(1)
    head = data[:4096]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii") if m else None


def _japanese_score(text: str) -> int:
    hiragana = katakana = kanji = halfwidth = 0
    for ch in text:
        o = ord(ch)
        if 0x3040 <= o <= 0x309F:
            hiragana += 1
        elif 0x30A0 <= o <= 0x30FF:
            katakana += 1
        elif 0x4E00 <= o <= 0x9FFF:
            kanji += 1
        elif 0xFF61 <= o <= 0xFF9F:
            halfwidth += 1
    return 3 * hiragana + katakana + kanji - 2 * halfwidth


def _is_single_byte(encoding: str) -> bool:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name in ("latin-1", "iso8859-1", "cp1252", "ascii") or name.startswith("iso8859")


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return None if "\ufffd" in text else text


def decode_bytes(data: bytes, name: str, declared: str | None = None) -> str:
    """Decode `data` (read from `name`) to text, or raise DecodeError / EmptyInputError."""
    if not data.strip():
        raise EmptyInputError(f"{name}: empty input (no text): pass a file with the article text")
    kind = binary_kind(data)
    if kind:
        raise DecodeError(f"{name}: {kind}, not text, HTML, PDF or a feed: {_FIX}")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data, encoding)
            if text is None:
                break
            return text.lstrip("\ufeff")
    if b"\x1b$B" in data or b"\x1b$@" in data or b"\x1b(J" in data:
        # ISO-2022-JP (old mail and some feeds) is 7-bit: it would "decode" as UTF-8.
        jis = _strict(data, "iso2022_jp")
        if jis is not None:
            return jis
    utf8 = _strict(data, "utf-8")
    if declared:
        text = _strict(data, declared)
        # Latin-1 and cp1252 decode any bytes; a page declaring them that is valid UTF-8 is
        # almost always UTF-8 mislabelled.
        if text is not None and not (utf8 is not None and _is_single_byte(declared)):
            return text
    if utf8 is not None:
        return utf8
    candidates: list[str] = [t for t in (_strict(data, e) for e in _LEGACY) if t is not None]
    guess = from_bytes(data).best()
    if guess is not None:
        text = _strict(data, guess.encoding)
        if text is not None:
            candidates.append(text)
    if not candidates:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as err:
            where = f"byte 0x{data[err.start]:02x} at offset {err.start}"
        else:  # pragma: no cover - utf-8 decoded above
            where = "replacement characters"
        raise DecodeError(
            f"{name}: undecodable text ({where}; not UTF-8, Shift_JIS or EUC-JP): "
            "save the file as UTF-8"
        )
    # max() keeps the first of equal scores: cp932 before EUC-JP before the guess.
    return max(candidates, key=_japanese_score)
