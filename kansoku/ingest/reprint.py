"""Reprint footers: `…の記事を転載`, `本記事は…からの転載です`, "originally published by X".

A reprint is not an independent source: fusion links it to the original, and relative
dates ("23日") count from the original's date. The cue patterns live in
`kansoku/domain/reprint.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

import yaml

from kansoku.errors import GazetteerError
from kansoku.ingest.published import find_date
from kansoku.model import RepublishedFrom

_URL = re.compile(r"https?://[^\s<>\"'「」()]+")
_DATE_IN_NAME = re.compile(
    r"\s*(?:\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?(?:\d{1,2}月)?号?|\d{4}[/.-]\d{1,2}(?:[/.-]\d{1,2})?)\s*"
)
_TRAIL = "、,。.:: \u3000の・-"


@dataclass(frozen=True)
class ReprintCues:
    patterns: tuple[re.Pattern[str], ...]
    tail_lines: int
    head_lines: int


@lru_cache(maxsize=1)
def load_cues() -> ReprintCues:
    """Read and compile `kansoku/domain/reprint.yaml`."""
    source = resources.files("kansoku.domain").joinpath("reprint.yaml")
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        compiled = tuple(
            re.compile(p, re.M) for lang in ("ja", "en") for p in data["patterns"].get(lang, [])
        )
        return ReprintCues(compiled, int(data["tail_lines"]), int(data["head_lines"]))
    except (OSError, yaml.YAMLError, KeyError, TypeError, re.error) as err:
        raise GazetteerError(
            f"kansoku/domain/reprint.yaml: {err}: fix the file (see the comment at its top)"
        ) from err


def _clean_name(name: str) -> str:
    name = _URL.sub("", name)
    name = _DATE_IN_NAME.sub(" ", name)
    name = re.sub(r"\s+", " ", name)
    return name.strip(_TRAIL)


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
    stops = [i for i in (text.find("。", end), text.find("\n", end)) if i >= 0]
    return text[left : min(stops) if stops else len(text)]


def _candidate_lines(text: str, cues: ReprintCues) -> list[str]:
    """The last lines, last first (the footer is usually last), then the first lines."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    return lines[::-1][: cues.tail_lines] + lines[: cues.head_lines]


def find_reprint(text: str, site: str | None = None) -> RepublishedFrom | None:
    """The original named by a reprint footer in `text` (normalized), or None."""
    cues = load_cues()
    for line in _candidate_lines(text, cues):
        for pattern in cues.patterns:
            m = pattern.search(line)
            if not m:
                continue
            sentence = _sentence(line, m.start(), m.end())
            groups = m.groupdict()
            url_match = _URL.search(sentence)
            url = url_match.group(0).rstrip(".,。") if url_match else None
            name = _clean_name(groups.get("name") or "")
            if not name and url:
                name = urlsplit(url).hostname or ""
            if not name and groups.get("bare"):
                name = site or "(unnamed original)"
            if not name:
                continue
            author = (groups.get("author") or "").strip(_TRAIL)
            if author:
                name = f"{name}({author})"
            return RepublishedFrom(name=name, published=find_date(sentence), url=url)
    return None
