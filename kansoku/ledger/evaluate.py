"""Measure fusion on the dev set: are `pairs.json` events merged, and nothing else?

System events are aligned to gold events with the dev set's own scorer (`match_events`).
Merge precision counts, over every two aligned system events placed in one canonical event,
those whose gold events are the same or listed in the same `pairs.json` entry. Pair recall
counts, over every two required mentions of one `pairs.json` entry in different documents
that the extractor found, those placed in one canonical event.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from itertools import combinations
from pathlib import Path
from typing import Any

from kansoku.evaluate import load_scorer


def fusion_score(
    gold_dir: Path,
    outputs: Mapping[str, dict[str, Any]],
    canonical_of: Mapping[tuple[str, str], str],
    pairs_file: Path,
    scorer: Path,
) -> dict[str, Any]:
    """`outputs`: doc id → extraction JSON; `canonical_of`: (doc id, event id) → canonical id."""
    mod = load_scorer(scorer)
    gold_of: dict[tuple[str, str], tuple[str, int]] = {}  # system event → gold event
    golds: dict[str, list[dict[str, Any]]] = {}
    for doc_id, out in outputs.items():
        gold = json.loads((gold_dir / f"{doc_id}.json").read_text(encoding="utf-8"))
        golds[doc_id] = gold["events"]
        text = (gold_dir.parent / gold["text_file"]).read_text(encoding="utf-8")
        names = mod.entity_names(out)
        for gi, si, _ in mod.match_events(gold["events"], out["events"], names, text):
            gold_of[(doc_id, out["events"][si]["id"])] = (doc_id, gi)
    pairs = json.loads(pairs_file.read_text(encoding="utf-8"))["pairs"]
    cluster_of: dict[tuple[str, int], str] = {}
    required: list[tuple[str, list[tuple[str, int]]]] = []
    for pair in pairs:
        members = []
        for m in pair["mentions"]:
            gi = next(
                (i for i, g in enumerate(golds.get(m["doc"], [])) if g.get("evidence") == m["evidence"]),
                None,
            )
            if gi is None:
                continue
            cluster_of[(m["doc"], gi)] = pair["id"]
            if not m.get("optional"):
                members.append((m["doc"], gi))
        required.append((pair["id"], members))

    def same_real_event(a: tuple[str, int], b: tuple[str, int]) -> bool:
        return a == b or (a in cluster_of and cluster_of.get(a) == cluster_of.get(b))

    by_canonical: dict[str, list[tuple[str, int]]] = {}
    for key, cid in canonical_of.items():
        if key in gold_of:
            by_canonical.setdefault(cid, []).append(gold_of[key])
    merged = wrong = 0
    wrong_merges = []
    for cid, members in by_canonical.items():
        for a, b in combinations(members, 2):
            merged += 1
            if not same_real_event(a, b):
                wrong += 1
                wrong_merges.append((cid, a, b))
    system_of = {g: s for s, g in gold_of.items()}
    found = joined = 0
    missed_pairs, unextracted = [], []
    for pid, members in required:
        for m in members:
            if m not in system_of:
                unextracted.append((pid, m))
        for a, b in combinations(members, 2):
            if a[0] == b[0] or a not in system_of or b not in system_of:
                continue
            found += 1
            if canonical_of.get(system_of[a]) == canonical_of.get(system_of[b]):
                joined += 1
            else:
                missed_pairs.append((pid, a, b))
    return {
        "merge_precision": 1.0 if merged == 0 else (merged - wrong) / merged,
        "merged_pairs": merged,
        "wrong_merges": wrong_merges,
        "pair_recall": 1.0 if found == 0 else joined / found,
        "cross_document_pairs": found,
        "missed_pairs": missed_pairs,
        "unextracted_mentions": unextracted,
    }
