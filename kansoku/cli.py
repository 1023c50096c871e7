"""`kansoku` command line: verbs mirror the Python API.

Every failure is one line on stderr naming the input and the fix, with exit code 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from kansoku.errors import KansokuError

EXAMPLES = """examples:
  kansoku ingest article.html                 store one article (SQLite by default)
  kansoku ingest news/ --published 2025-08-24 a folder; dates for files that lack one
  kansoku ingest https://example.org/feed.xml an RSS/Atom feed, one document per entry
  kansoku extract article.txt --format table  print events without touching the database
  kansoku events --type weapons_test --format csv
  kansoku evaluate ../shared/devset/gold --outputs out/
"""


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: use YYYY-MM-DD, e.g. 2025-08-24") from None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kansoku",
        description="Kansoku (観測): a sourced, dated ledger of security events and claims.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--db", help="database file or SQLAlchemy URL (default: $KANSOKU_DB or ~/.local/share/kansoku/kansoku.db)")
    sub = p.add_subparsers(dest="command", required=True)

    ing = sub.add_parser("ingest", help="read files, folders, URLs, feeds or - (stdin) into the store")
    ing.add_argument("sources", nargs="+", metavar="PATH|URL|-")
    ing.add_argument("--published", type=parse_date, help="publication date for inputs that lack one (YYYY-MM-DD)")
    ing.add_argument("--lang", choices=["ja", "en", "ko"], help="language, when detection should be overridden")
    ing.add_argument("--page", action="store_true", help="treat a URL as a page even if it looks like a feed")
    ing.add_argument("--max-bytes", type=int, default=20_000_000, help="size limit per input (default 20 MB)")
    ing.add_argument("--no-extract", action="store_true", help="store documents only, without events")

    ext = sub.add_parser("extract", help="print the extraction of one file (no database)")
    ext.add_argument("source", metavar="FILE|URL|-")
    ext.add_argument("--published", type=parse_date)
    ext.add_argument("--lang", choices=["ja", "en", "ko"])
    ext.add_argument("--format", choices=["json", "table"], default="json")

    ev = sub.add_parser("evaluate", help="run the extractor on a gold folder and score it")
    ev.add_argument("gold_dir", type=Path)
    ev.add_argument("--outputs", type=Path, default=Path("out"), help="folder for <id>.json outputs (default out/)")
    ev.add_argument("--scorer", type=Path, help="score.py to use (default: GOLD_DIR/../../eval/score.py)")
    ev.add_argument("--json", action="store_true", help="print the whole score as JSON")

    docs = sub.add_parser("documents", help="list stored documents")
    docs.add_argument("--format", choices=["table", "json"], default="table")

    evs = sub.add_parser("events", help="list stored events with filters")
    evs.add_argument("--type")
    evs.add_argument("--entity")
    evs.add_argument("--source")
    evs.add_argument("--since", type=parse_date)
    evs.add_argument("--until", type=parse_date)
    evs.add_argument("--min-certainty", choices=["uncommitted", "possible", "probable", "certain"])
    evs.add_argument("--format", choices=["table", "json", "csv"], default="table")
    return p


def cmd_ingest(args: argparse.Namespace) -> int:
    from kansoku.api import ingest

    report = ingest(
        args.sources, db=args.db, published=args.published, lang=args.lang, page=args.page,
        max_bytes=args.max_bytes, extract_events=not args.no_extract,
    )
    for line in report.lines():
        print(line)
    for failure in report.failures:
        print(f"kansoku: error: {failure}", file=sys.stderr)
    return 1 if report.failures and not report.added else (2 if report.failures else 0)


def cmd_extract(args: argparse.Namespace) -> int:
    from kansoku.api import extract_source
    from kansoku.render import events_table

    result = extract_source(args.source, published=args.published, lang=args.lang)
    data = result.to_json()
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        names = {e.id: e.name for e in result.entities.values()}
        doc = data["document"]
        print(f"{doc['id']}  {doc['lang']}  published {doc['published']}  {doc.get('title') or ''}")
        print(events_table(data["events"], names))
        for w in data["warnings"]:
            print(f"warning: {w['code']}: {w['message']} «{w['text']}»")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from kansoku.evaluate import evaluate

    res = evaluate(args.gold_dir, args.outputs, args.scorer)
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=1))
        return 0
    e = res["events"]
    print(f"events   P={e['precision']:.3f} R={e['recall']:.3f} F1={e['f1']:.3f}  (tp={e['tp']} fp={e['fp']} fn={e['fn']})")
    for t, v in res["by_type"].items():
        print(f"  {t:22s} P={v['precision']:.2f} R={v['recall']:.2f} F1={v['f1']:.2f}")
    print("matched attributes:", json.dumps(res["matched_attributes"]))
    print(f"timex accuracy={res['timex_accuracy']}  invalid dates flagged={res['invalid_dates_flagged']}  entity recall={res['entity_recall']}")
    print(f"outputs written to {args.outputs}/")
    return 0


def cmd_documents(args: argparse.Namespace) -> int:
    from kansoku.api import open_store

    with open_store(args.db) as store:
        docs = store.documents()
    if args.format == "json":
        print(json.dumps(docs, ensure_ascii=False, indent=1, default=str))
        return 0
    for d in docs:
        print(f"{d['id']}  {d['lang']}  {d.get('published') or '':10}  {(d.get('title') or '')[:60]}")
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    from kansoku.api import open_store
    from kansoku.domain.gazetteer import load_gazetteer
    from kansoku.render import events_csv, events_table

    with open_store(args.db) as store:
        events = store.events(type=args.type, entity=args.entity, source=args.source,
                              since=args.since, until=args.until, min_certainty=args.min_certainty)
    names = {eid: e.name for eid, e in load_gazetteer().entities.items()}
    if args.format == "json":
        print(json.dumps(events, ensure_ascii=False, indent=1, default=str))
    elif args.format == "csv":
        print(events_csv(events, names), end="")
    else:
        print(events_table(events, names))
    return 0


COMMANDS = {
    "ingest": cmd_ingest,
    "extract": cmd_extract,
    "evaluate": cmd_evaluate,
    "documents": cmd_documents,
    "events": cmd_events,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KansokuError as err:
        print(f"kansoku: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kansoku: interrupted; everything committed so far is kept", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
