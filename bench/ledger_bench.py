"""Ledger benchmark: ingest throughput into SQLite and PostgreSQL, and `kansoku events` filters
on a store of 100,000 events.

    python bench/ledger_bench.py                     # both parts, both databases
    python bench/ledger_bench.py --docs 200 --events 20000 --no-pg

Part 1 builds N documents of 4 sentences drawn at random (fixed seed) from the dev-set texts
with random publication dates in 2023–2025, extracts them once with the real extractor (in
parallel; kept in bench/.cache), then times `Store.add` — store, near-duplicate check and
fusion into the ledger, one transaction per document — on a fresh SQLite file and a fresh
PostgreSQL database. Part 2 writes 100,000 synthetic canonical events with their reports
and participants in bulk, then times `Store.ledger_events` (what `kansoku events` runs) with
each filter. PostgreSQL comes from $KANSOKU_TEST_PG, else `bash .ci/postgres.sh`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import random
import re
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT.parent / "shared" / "devset" / "texts"
CACHE = ROOT / "bench" / ".cache"
sys.path.insert(0, str(ROOT))

from kansoku.store import Store  # noqa: E402


def sentences() -> list[str]:
    out = []
    for path in sorted(DEVSET.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            out += [s for s in re.split(r"(?<=[。.])\s*", line) if len(s) > 15]
    return out


def _extract(job: tuple[str, str, date]):
    from kansoku.extract.pipeline import extract
    from kansoku.model import Document
    from kansoku.normalize import normalize_text

    doc_id, text, published = job
    doc = Document(text=normalize_text(text), lang="en" if text.isascii() else "ja", published=published,
                   site=f"outlet-{int(doc_id[4:]) % 40}", raw=text.encode(), id=doc_id)
    return extract(doc)


def corpus(n: int, workers: int) -> list:
    path = CACHE / f"corpus-{n}.pickle"
    if path.exists():
        return pickle.loads(path.read_bytes())
    rng = random.Random(7)
    pool = sentences()
    ja = [s for s in pool if not s.isascii()]
    en = [s for s in pool if s.isascii()]
    jobs = []
    for i in range(n):
        src = en if i % 4 == 3 else ja
        text = ("" if src is ja else " ").join(rng.sample(src, 4))
        jobs.append((f"doc-{i}", text, date(2023, 1, 1) + timedelta(days=rng.randrange(0, 1000))))
    t = time.perf_counter()
    with ProcessPoolExecutor(workers) as ex:
        out = list(ex.map(_extract, jobs, chunksize=8))
    print(f"  extracted {n} documents in {time.perf_counter() - t:.1f} s ({workers} processes; cached)")
    CACHE.mkdir(exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def pg_url(fresh: str) -> str:
    """A fresh database on the test server: $KANSOKU_TEST_PG, else `.ci/postgres.sh`."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = os.environ.get("KANSOKU_TEST_PG") or subprocess.check_output(["bash", str(ROOT / ".ci" / "postgres.sh")], text=True).strip()
    url = make_url(base)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{fresh}"')
    return url.set(database=fresh).render_as_string(hide_password=False)


def bench_ingest(name: str, url: str, extractions: list) -> None:
    with Store(url) as store:
        t = time.perf_counter()
        for ex in extractions:
            store.add(ex)
        spent = time.perf_counter() - t
        n_events = len(store.ledger_events(include_rejected=True))
        counts = store.counts()
        t = time.perf_counter()
        store.rebuild_ledger()
        rebuild = time.perf_counter() - t
    print(f"  {name:10}  {len(extractions) / spent:6.1f} docs/s  ({1000 * spent / len(extractions):5.1f} ms/doc, "
          f"{counts['events']} reports → {n_events} canonical events; full re-fusion {rebuild:.1f} s)")


def fill(url: str, n_events: int) -> None:
    """Bulk-write n synthetic canonical events, each with one report of one document."""
    from sqlalchemy import insert

    from kansoku.store.schema import (
        canonical_events,
        canonical_reports,
        documents,
        events,
        participants,
    )

    rng = random.Random(11)
    types = ["weapons_test", "meeting", "deployment", "arms_transfer", "statement", "facility_activity"]
    ents = ["north-korea", "russia", "kim-jong-un", "vladimir-putin", "hwasong-19", "yongbyon-5mwe-reactor", "kursk-oblast"]
    srcs = [None, "kcna", "japan-mod", "iaea", "rok-nis"]
    certs = ["certain", "probable", "possible", "uncommitted"]
    per_doc = 10
    now = datetime.now(UTC).replace(tzinfo=None)
    with Store(url) as store, store.engine.begin() as conn:
        for start in range(0, n_events, 5000):
            docs, evs, parts, cans, links = [], [], [], [], []
            for i in range(start, min(n_events, start + 5000)):
                doc = f"syn-{i // per_doc}"
                if i % per_doc == 0:
                    docs.append({"id": doc, "sha256": hashlib.sha256(doc.encode()).hexdigest(), "text": doc, "raw": b"",
                                 "lang": "ja", "content_type": "text/plain", "published_from": "option",
                                 "ingested_at": now, "minhash": b""})
                day = date(2015, 1, 1) + timedelta(days=rng.randrange(0, 4000))
                typ, cert, src = rng.choice(types), rng.choice(certs), rng.choice(srcs)
                eid, cid = f"{doc}:e{i % per_doc + 1}", f"ev-{i:010d}"
                dated = rng.random() < 0.8
                evs.append({"id": eid, "seq": i % per_doc + 1, "local_id": f"e{i % per_doc + 1}", "document_id": doc,
                            "type": typ, "trigger_start": 0, "trigger_end": 1, "trigger_text": "x", "evidence_start": 0,
                            "evidence_end": 1, "evidence_text": "x", "time_start": day if dated else None,
                            "time_end": day if dated else None, "time_precision": "day" if dated else None,
                            "certainty": cert, "polarity": "positive", "source": src, "chain": [], "confidence": 0.5,
                            "mentions": []})
                for e in rng.sample(ents, 2):
                    parts.append({"event_id": eid, "role": "agent", "entity_id": e, "text": e, "start": 0, "end": 1,
                                  "is_location": False})
                cans.append({"id": cid, "seq": i + 1, "type": typ, "time_start": day if dated else None,
                             "time_end": day if dated else None, "time_precision": "day" if dated else None,
                             "label": typ, "certainty": cert, "polarity": "positive", "reports": 1, "documents": 1,
                             "sources": 1, "contradicted": rng.random() < 0.02, "status": "machine",
                             "identities": [], "states": [], "places": []})
                links.append({"event_id": eid, "canonical_id": cid, "seq": i + 1, "primary_source": src or "author",
                              "independent": True, "rejected": False})
            for table, batch in ((documents, docs), (events, evs), (participants, parts), (canonical_events, cans),
                                 (canonical_reports, links)):
                if batch:
                    conn.execute(insert(table), batch)


FILTERS = [
    ("(no filter)", {}),
    ("--type weapons_test", {"type": "weapons_test"}),
    ("--entity kim-jong-un", {"entity": "kim-jong-un"}),
    ("--source kcna", {"source": "kcna"}),
    ("--since 2024-01-01 --until 2024-03-31", {"since": "2024-01-01", "until": "2024-03-31"}),
    ("--min-certainty probable", {"min_certainty": "probable"}),
    ("--contradicted", {"contradicted": True}),
    ("--type meeting --entity vladimir-putin --since 2020-01-01", {"type": "meeting", "entity": "vladimir-putin", "since": "2020-01-01"}),
]


def bench_filters(name: str, url: str) -> None:
    with Store(url) as store:
        print(f"  {name}")
        for label, kwargs in FILTERS:
            store.ledger_events(limit=1, **kwargs)  # warm
            t = time.perf_counter()
            found = store.ledger_events(**kwargs)
            full = time.perf_counter() - t
            t = time.perf_counter()
            store.ledger_events(limit=100, **kwargs)
            first = time.perf_counter() - t
            print(f"    {label:55} {len(found):7} events  all {1000 * full:7.0f} ms   first 100 {1000 * first:6.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-pg", action="store_true")
    args = ap.parse_args()
    tmp = ROOT / "bench" / ".cache"
    tmp.mkdir(exist_ok=True)
    print(f"1. ingest {args.docs} documents (store + near-duplicates + fusion, one transaction each)")
    extractions = corpus(args.docs, args.workers)
    targets = [("SQLite", f"sqlite:///{tmp / 'ingest.db'}")]
    if not args.no_pg:
        targets.append(("PostgreSQL", pg_url("kansoku_bench_ingest")))
    (tmp / "ingest.db").unlink(missing_ok=True)
    for name, url in targets:
        bench_ingest(name, url, extractions)
    print(f"2. `kansoku events` filters on {args.events} canonical events")
    (tmp / "events.db").unlink(missing_ok=True)
    targets = [("SQLite", f"sqlite:///{tmp / 'events.db'}")]
    if not args.no_pg:
        targets.append(("PostgreSQL", pg_url("kansoku_bench_events")))
    for name, url in targets:
        t = time.perf_counter()
        fill(url, args.events)
        print(f"  ({name}: wrote {args.events} events in {time.perf_counter() - t:.1f} s)")
        bench_filters(name, url)


if __name__ == "__main__":
    main()
