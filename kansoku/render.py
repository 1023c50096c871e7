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


# ---------------------------------------------------------------- the ledger

LEDGER_COLUMNS = ("id", "date", "type", "label", "certainty", "reports", "sources", "flags")


def when(t: dict[str, Any] | None) -> str:
    if not t:
        return "undated"
    return t["start"] if t["start"] == t["end"] else f"{t['start']}..{t['end']}"


def ledger_row(ev: dict[str, Any]) -> dict[str, str]:
    flags = []
    if ev["polarity"] != "positive":
        flags.append(ev["polarity"])
    if ev["contradicted"]:
        flags.append("contradicted")
    if ev["status"] != "machine":
        flags.append(ev["status"])
    return {
        "id": ev["id"],
        "date": when(ev["time"]),
        "type": ev["type"],
        "label": ev["label"],
        "certainty": ev["certainty"],
        "reports": str(ev["reports"]),
        "sources": str(ev["sources"]),
        "flags": ",".join(flags),
    }


def ledger_table(events: list[dict[str, Any]]) -> str:
    widths = {"id": 13, "date": 22, "type": 19, "label": 56, "certainty": 9, "reports": 7, "sources": 7, "flags": 20}
    lines = ["  ".join(pad(c, widths[c]) for c in LEDGER_COLUMNS)]
    lines.append("  ".join("-" * widths[c] for c in LEDGER_COLUMNS))
    for ev in events:
        row = ledger_row(ev)
        lines.append("  ".join(pad(row[c], widths[c]) for c in LEDGER_COLUMNS).rstrip())
    return "\n".join(lines)


def ledger_csv(events: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=[*LEDGER_COLUMNS, "place", "polarity", "status"])
    writer.writeheader()
    for ev in events:
        writer.writerow({**ledger_row(ev), "place": ev.get("place") or "", "polarity": ev["polarity"], "status": ev["status"]})
    return buf.getvalue()


def timeline(events: list[dict[str, Any]], contradictions: list[dict[str, Any]]) -> str:
    """One line per canonical event in date order, with its corroboration and disagreements."""
    by_event: dict[str, list[dict[str, Any]]] = {}
    for c in contradictions:
        by_event.setdefault(c["event"], []).append(c)
    lines = []
    for ev in events:
        sources = "1 source" if ev["sources"] == 1 else f"{ev['sources']} independent sources"
        reports = "1 report" if ev["reports"] == 1 else f"{ev['reports']} reports"
        mark = "" if ev["polarity"] == "positive" else f" [{ev['polarity']}]"
        lines.append(f"{pad(when(ev['time']), 22)}  {ev['label']}{mark}  ({ev['certainty']}; {reports}, {sources})  {ev['id']}")
        for c in by_event.get(ev["id"], []):
            note = f" — {c['note']}" if c.get("note") else ""
            lines.append(
                f"{'':22}    ! {c['kind']} contradiction: {c['a']['value']} ({c['a']['source']}) vs "
                f"{c['b']['value']} ({c['b']['source']}){note}"
            )
    return "\n".join(lines)


def show_text(ev: dict[str, Any]) -> str:
    lines = [f"{ev['id']}  {ev['label']}", f"  type       {ev['type']}"]
    machine = ev.get("machine") or {}
    for name in ("time", "place", "certainty", "label"):
        value = when(ev["time"]) if name == "time" else ev.get(name)
        was = when(machine.get("time")) if name == "time" else machine.get(name)
        extra = f"   (machine: {was})" if was != value and name in machine else ""
        if name != "label":
            lines.append(f"  {name:10} {value or '-'}{extra}")
        elif extra:
            lines.append(f"  label      edited{extra}")
    lines.append(f"  polarity   {ev['polarity']}   status {ev['status']}")
    lines.append(f"  reports    {ev['reports']} in {ev['documents']} documents, {ev['sources']} independent sources")
    for r in ev["reports_detail"]:
        flags = [] if r["independent"] else ["not independent"]
        if r["relay"]:
            flags.append(f"relayed by {r['relay']}")
        if r["rejected"]:
            flags.append("REJECTED")
        said = f", said {r['said_on']}" if r["said_on"] else ""
        lines.append("")
        lines.append(f"  [{r['id']}] {r['document_id']} ({r['published'] or 'undated'}) — {r['source']}{said}, {r['certainty']}, {r['polarity']}"
                     + (f"  [{'; '.join(flags)}]" if flags else ""))
        if r["time"]:
            lines.append(f"      time {when(r['time'])}")
        for field, was in r["machine"].items():
            lines.append(f"      edited {field}: machine said {was}")
        s, e = r["sentence"], r["evidence"]
        lo, hi = e["start"] - s["start"], e["end"] - s["start"]
        text = s["text"]
        lines.append(f"      {text[:lo]}[[{text[lo:hi]}]]{text[hi:]}".replace("\n", " "))
    if ev["contradictions"]:
        lines.append("")
        lines.append("  contradictions:")
        for c in ev["contradictions"]:
            note = f" — {c['note']}" if c.get("note") else ""
            lines.append(f"    {c['kind']}: {c['a']['value']} ({c['a']['report']}) vs {c['b']['value']} ({c['b']['report']}){note}")
    if ev["reviews"]:
        lines.append("")
        lines.append("  reviews:")
        for rv in ev["reviews"]:
            changes = f" {rv['changes']}" if rv["changes"] else ""
            lines.append(f"    {rv['at']}  {rv['reviewer']}  {rv['action']} {rv['kind']}{changes}" + (f"  «{rv['note']}»" if rv.get("note") else ""))
    return "\n".join(lines)


def facilities_table(board: list[dict[str, Any]], names: dict[str, str]) -> str:
    lines = []
    for f in board:
        dated = when(f["time"]) if f["time"] else "undated"
        sources = ", ".join(names.get(s, s) for s in f["sources"])
        lines.append(f"{pad(f['name'], 40)}  {pad(f['state'], 18)}  {pad(dated, 22)}  per {sources}, {f['certainty']}  {f['event']}")
        lines.append(f"{'':42}«{clip(f['evidence'], 90)}»")
    return "\n".join(lines)


def contradictions_table(items: list[dict[str, Any]], names: dict[str, str]) -> str:
    lines = []
    for c in items:
        a, b = c["a"], c["b"]
        note = f"  ({c['note']})" if c.get("note") else ""
        lines.append(f"{c['event']}  {c['kind']:9} {c['label']}{note}")
        lines.append(f"    {a['value']:>14}  per {names.get(a['source'], a['source'])}: «{clip(a['evidence'], 70)}»")
        lines.append(f"    {b['value']:>14}  per {names.get(b['source'], b['source'])}: «{clip(b['evidence'], 70)}»")
    return "\n".join(lines)
