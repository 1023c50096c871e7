"""Text renderings for people: one line per event, aligned columns, evidence last."""

from __future__ import annotations

import csv
import io
import unicodedata
from typing import Any

COLUMNS = ("type", "date", "participants", "source", "certainty", "evidence")


def width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def clip(s: str, n: int) -> str:
    out, w = "", 0
    for ch in s:
        cw = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if w + cw > n:
            return out + "…"
        out += ch
        w += cw
    return out


def pad(s: str, n: int) -> str:
    s = clip(s, n)
    return s + " " * max(0, n - width(s))


def event_row(ev: dict[str, Any], names: dict[str, str] | None = None) -> dict[str, str]:
    names = names or {}
    t = ev.get("time")
    when = "" if not t else (t["start"] if t["start"] == t["end"] else f"{t['start']}..{t['end']}")
    parts = ", ".join(
        f"{names.get(p.get('entity') or '', p.get('text'))}" for p in ev.get("participants", [])
    )
    attr = ev.get("attribution") or {}
    source = names.get(attr.get("source") or "", attr.get("source") or "author")
    polarity = "" if ev.get("polarity", "positive") == "positive" else " (denied)"
    return {
        "type": ev["type"],
        "date": when,
        "participants": parts,
        "source": source,
        "certainty": ev.get("certainty", "") + polarity,
        "evidence": (ev.get("evidence") or {}).get("text", ""),
    }


def events_table(events: list[dict[str, Any]], names: dict[str, str] | None = None) -> str:
    widths = {"type": 19, "date": 23, "participants": 34, "source": 18, "certainty": 12, "evidence": 60}
    lines = ["  ".join(pad(c, widths[c]) for c in COLUMNS)]
    lines.append("  ".join("-" * widths[c] for c in COLUMNS))
    for ev in events:
        row = event_row(ev, names)
        lines.append("  ".join(pad(row[c], widths[c]) for c in COLUMNS).rstrip())
    return "\n".join(lines)


def events_csv(events: list[dict[str, Any]], names: dict[str, str] | None = None) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["id", *COLUMNS])
    writer.writeheader()
    for ev in events:
        writer.writerow({"id": ev.get("id", ""), **event_row(ev, names)})
    return buf.getvalue()
