"""Run the extractor over a gold folder and score it with the dev set's own scorer.

Each gold file names its text (`text_file`, relative to the gold folder's parent), its
publication date and its language; the extractor gets exactly those.
"""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path
from typing import Any

from kansoku.errors import EvaluationError
from kansoku.extract.pipeline import extract
from kansoku.ingest import read_bytes


def default_scorer(gold_dir: Path) -> Path:
    return gold_dir.resolve().parent.parent / "eval" / "score.py"


def run_gold(gold_dir: Path, out_dir: Path) -> list[Path]:
    """Write `<id>.json` extraction output for every gold file; return the written paths."""
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        raise EvaluationError(f"{gold_dir}: no gold .json files found: pass the folder that holds them")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for gpath in files:
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        text_path = gold_dir.parent / gold["text_file"]
        if not text_path.exists():
            raise EvaluationError(f"{gpath}: text_file {text_path} not found: keep texts beside gold/")
        doc = read_bytes(
            text_path.read_bytes(),
            name=str(text_path),
            published=date.fromisoformat(gold["published"]) if gold.get("published") else None,
            lang=gold.get("lang"),
        )
        doc.id = gold["id"]
        result = extract(doc).to_json()
        path = out_dir / f"{gold['id']}.json"
        path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(path)
    return written


def score(gold_dir: Path, out_dir: Path, scorer: Path | None = None) -> dict[str, Any]:
    scorer = scorer or default_scorer(gold_dir)
    if not scorer.exists():
        raise EvaluationError(f"scorer {scorer} not found: pass --scorer PATH/TO/score.py")
    return load_scorer(scorer).score(gold_dir, out_dir)


def load_scorer(path: Path) -> Any:
    """The dev set's `score.py` as a module (it is a script, not an installed package)."""
    spec = importlib.util.spec_from_file_location("kansoku_gold_scorer", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def evaluate(gold_dir: Path, out_dir: Path, scorer: Path | None = None) -> dict[str, Any]:
    run_gold(gold_dir, out_dir)
    return score(gold_dir, out_dir, scorer)
