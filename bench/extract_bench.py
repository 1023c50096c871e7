"""Extraction throughput and peak memory on the dev-set texts.

    python bench/extract_bench.py [--texts ../shared/devset/texts] [--rounds 3]

Reports documents/s and characters/s with 1 and 2 worker processes, the model load time,
and peak resident memory (the parent's and the largest worker's). Run on purpose; no test
times anything.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import time
from pathlib import Path

_DEFAULT_TEXTS = Path(__file__).resolve().parents[1].parent / "shared" / "devset" / "texts"


def _load(paths: list[str]) -> list[tuple[str, str]]:
    from kansoku.normalize import normalize_text

    out = []
    for p in paths:
        text = normalize_text(Path(p).read_text(encoding="utf-8"))
        out.append((text, "en" if Path(p).name.startswith("en-") else "ja"))
    return out


def _warm() -> None:
    from kansoku.api import extract_text

    extract_text("北朝鮮は23日、弾道ミサイルを発射した。", lang="ja")
    extract_text("North Korea fired a missile on Tuesday.", lang="en")


def _work(item: tuple[str, str]) -> int:
    from datetime import date

    from kansoku.api import extract_text

    text, lang = item
    return len(extract_text(text, lang=lang, published=date(2025, 1, 1)).events)


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def run(paths: list[str], rounds: int, procs: int) -> dict:
    items = _load(paths) * rounds
    chars = sum(len(t) for t, _ in items)
    if procs == 1:
        t0 = time.perf_counter()
        _warm()
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        events = sum(_work(i) for i in items)
        secs = time.perf_counter() - t0
    else:
        with mp.get_context("spawn").Pool(procs, initializer=_warm) as pool:
            pool.map(_work, items[:procs])  # wait until every worker has loaded its model
            t0 = time.perf_counter()
            events = sum(pool.map(_work, items, chunksize=2))
            secs = time.perf_counter() - t0
        load = None
    return {
        "processes": procs, "documents": len(items), "characters": chars, "events": events,
        "seconds": round(secs, 3), "docs_per_s": round(len(items) / secs, 2),
        "chars_per_s": round(chars / secs), "model_load_s": round(load, 2) if load else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", type=Path, default=_DEFAULT_TEXTS)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    paths = sorted(str(p) for p in args.texts.glob("*.txt"))
    results = [run(paths, args.rounds, 1), run(paths, args.rounds, 2)]
    results.append({
        "peak_rss_parent_mb": round(_peak_mb(resource.RUSAGE_SELF)),
        "peak_rss_largest_worker_mb": round(_peak_mb(resource.RUSAGE_CHILDREN)),
    })
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
