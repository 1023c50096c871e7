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
  kansoku events --type weapons_test --min-certainty probable --format csv
  kansoku timeline --since 2024-01-01         the ledger in date order, with corroboration
  kansoku show ev-68a6ba6f3d                  every report of one event, evidence highlighted
  kansoku facilities                          last known state of each facility
  kansoku contradictions                      reports that disagree on dates, numbers, places
  kansoku review edit ev-68a6ba6f3d --set time=2024-10-08..2024-10-13 --by analyst
  kansoku reprocess                           re-extract every stored document, keep reviews
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

    evs = sub.add_parser("events", help="list canonical events of the ledger with filters")
    _ledger_filters(evs)
    evs.add_argument("--format", choices=["table", "json", "csv"], default="table")
    evs.add_argument("--limit", type=int)

    tl = sub.add_parser("timeline", help="the ledger in date order with corroboration and contradictions")
    _ledger_filters(tl)

    show = sub.add_parser("show", help="one event: every report with its evidence sentence")
    show.add_argument("event_id", metavar="EVENT_ID", help="a canonical id (ev-…) or a report id (<document>:eN)")
    show.add_argument("--format", choices=["text", "json"], default="text")

    fac = sub.add_parser("facilities", help="facility board: last known state of each facility")
    fac.add_argument("--format", choices=["table", "json"], default="table")

    con = sub.add_parser("contradictions", help="reports of one event that disagree")
    con.add_argument("--kind", choices=["date", "quantity", "place", "polarity"])
    con.add_argument("--format", choices=["table", "json"], default="table")

    rep = sub.add_parser("reports", help="list stored per-document reports (extractor output) with filters")
    rep.add_argument("--type")
    rep.add_argument("--entity")
    rep.add_argument("--source")
    rep.add_argument("--since", type=parse_date)
    rep.add_argument("--until", type=parse_date)
    rep.add_argument("--min-certainty", choices=["uncommitted", "possible", "probable", "certain"])
    rep.add_argument("--format", choices=["table", "json", "csv"], default="table")

    sub.add_parser("reprocess", help="re-extract every stored document and re-fuse the ledger (reviews are kept)")

    rv = sub.add_parser("review", help="confirm, reject or edit an event or a report; kept with who and when")
    rv.add_argument("action", choices=["confirm", "reject", "edit", "list"])
    rv.add_argument("target", nargs="?", metavar="EVENT_ID|REPORT_ID")
    rv.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                    help="for edit: time=YYYY-MM-DD[..YYYY-MM-DD], place=ENTITY, certainty=…, polarity=…, type=…, label=…, source=ENTITY")
    rv.add_argument("--by", help="reviewer name (default: $KANSOKU_USER or the login name)")
    rv.add_argument("--note")
    return p


def _ledger_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--type", help="event type, e.g. weapons_test")
    p.add_argument("--entity", help="gazetteer id of a participant or place, e.g. kim-jong-un")
    p.add_argument("--source", help="gazetteer id of a source, or 'author'")
    p.add_argument("--since", type=parse_date)
    p.add_argument("--until", type=parse_date)
    p.add_argument("--min-certainty", choices=["uncommitted", "possible", "probable", "certain"])
    p.add_argument("--contradicted", action="store_true", help="only events whose reports disagree")
    p.add_argument("--all", action="store_true", help="include events a reviewer rejected")


def _ledger_query(store, args: argparse.Namespace, limit: int | None = None):
    return store.ledger_events(
        type=args.type, entity=args.entity, source=args.source, since=args.since, until=args.until,
        min_certainty=args.min_certainty, contradicted=True if args.contradicted else None,
        include_rejected=args.all, limit=limit,
    )


def _names() -> dict[str, str]:
    from kansoku.domain.gazetteer import load_gazetteer

    return {eid: e.name for eid, e in load_gazetteer().entities.items()}


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
    from kansoku.render import ledger_csv, ledger_table

    with open_store(args.db) as store:
        events = _ledger_query(store, args, args.limit)
    if args.format == "json":
        print(json.dumps(events, ensure_ascii=False, indent=1))
    elif args.format == "csv":
        print(ledger_csv(events), end="")
    else:
        print(ledger_table(events))
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    from kansoku.api import open_store
    from kansoku.render import timeline

    with open_store(args.db) as store:
        events = _ledger_query(store, args)
        contradictions = store.contradictions()
    names = _names()
    for c in contradictions:
        for side in ("a", "b"):
            c[side]["source"] = names.get(c[side]["source"], c[side]["source"])
    print(timeline(events, contradictions))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from kansoku.api import open_store
    from kansoku.render import show_text

    with open_store(args.db) as store:
        event = store.show(args.event_id)
    if args.format == "json":
        print(json.dumps(event, ensure_ascii=False, indent=1))
    else:
        names = _names()
        for r in event["reports_detail"]:
            r["source"] = names.get(r["source"], r["source"])
        print(show_text(event))
    return 0


def cmd_facilities(args: argparse.Namespace) -> int:
    from kansoku.api import open_store
    from kansoku.render import facilities_table

    with open_store(args.db) as store:
        board = store.facilities()
    if args.format == "json":
        print(json.dumps(board, ensure_ascii=False, indent=1))
    else:
        print(facilities_table(board, _names()))
    return 0


def cmd_contradictions(args: argparse.Namespace) -> int:
    from kansoku.api import open_store
    from kansoku.render import contradictions_table

    with open_store(args.db) as store:
        items = store.contradictions(args.kind)
    if args.format == "json":
        print(json.dumps(items, ensure_ascii=False, indent=1))
    else:
        print(contradictions_table(items, _names()))
    return 0


def cmd_reports(args: argparse.Namespace) -> int:
    from kansoku.api import open_store
    from kansoku.render import events_csv, events_table

    with open_store(args.db) as store:
        events = store.events(type=args.type, entity=args.entity, source=args.source,
                              since=args.since, until=args.until, min_certainty=args.min_certainty)
    names = _names()
    if args.format == "json":
        print(json.dumps(events, ensure_ascii=False, indent=1, default=str))
    elif args.format == "csv":
        print(events_csv(events, names), end="")
    else:
        print(events_table(events, names))
    return 0


def cmd_reprocess(args: argparse.Namespace) -> int:
    from kansoku.api import open_store
    from kansoku.extract.pipeline import extract

    with open_store(args.db) as store:
        n = store.reprocess(extract, progress=lambda doc_id: print(f"re-extracted {doc_id}", file=sys.stderr))
        events = len(store.ledger_events(include_rejected=True))
    print(f"reprocessed {n} documents; the ledger has {events} events; reviews re-applied")
    return 0


def parse_change(item: str) -> tuple[str, object]:
    """`time=2024-10-13`, `time=2024-10-08..2024-10-13`, `place=kursk-oblast` → (field, value)."""
    if "=" not in item:
        raise KansokuError(f"--set {item!r} is not FIELD=VALUE: e.g. --set time=2024-10-13")
    name, value = (x.strip() for x in item.split("=", 1))
    if name != "time":
        return name, value
    start, _, end = value.partition("..")
    end = end or start
    try:
        s, e = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        raise KansokuError(f"--set time={value!r}: use YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD") from None
    return "time", {"start": s.isoformat(), "end": e.isoformat(), "precision": "day" if s == e else "range"}


def cmd_review(args: argparse.Namespace) -> int:
    import getpass
    import os

    from kansoku.api import open_store

    with open_store(args.db) as store:
        if args.action == "list":
            for rv in store.reviews():
                print(f"{rv['at']}  {rv['reviewer']:12} {rv['action']:8} {rv['kind']:6} {rv['target']}  {rv['changes'] or ''}")
            return 0
        if not args.target:
            raise KansokuError(f"review {args.action} needs an EVENT_ID or REPORT_ID: see `kansoku events`")
        changes = dict(parse_change(item) for item in args.set)
        reviewer = args.by or os.environ.get("KANSOKU_USER") or getpass.getuser()
        done = store.review(args.target, args.action, changes=changes, reviewer=reviewer, note=args.note)
    print(f"{done['action']} {done['kind']} {args.target} by {done['reviewer']} at {done['at']}")
    return 0


COMMANDS = {
    "ingest": cmd_ingest,
    "extract": cmd_extract,
    "evaluate": cmd_evaluate,
    "documents": cmd_documents,
    "events": cmd_events,
    "timeline": cmd_timeline,
    "show": cmd_show,
    "facilities": cmd_facilities,
    "contradictions": cmd_contradictions,
    "reports": cmd_reports,
    "reprocess": cmd_reprocess,
    "review": cmd_review,
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
