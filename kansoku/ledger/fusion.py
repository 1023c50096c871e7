"""Greedy, order-stable fusion: each report joins its best-matching canonical event or founds one.

Reports are taken in ingest order (document ingested, then the event's order in it). The
store runs the same steps against its tables one document at a time; `fuse` runs them in
memory over a list, for evaluation and tests. Given the same reports in the same order both
give the same ledger, and running either again gives the same ledger again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from kansoku.ledger.match import Matcher, Profile
from kansoku.ledger.report import Report


def canonical_id(founding_report: Report) -> str:
    """A canonical event is named after the report that founded it, so re-fusing the same
    reports in the same order gives the same names."""
    return "ev-" + hashlib.sha1(founding_report.id.encode()).hexdigest()[:10]


def best_match(
    matcher: Matcher, report: Report, candidates: Iterable[tuple[int, str, Profile]]
) -> str | None:
    """The candidate (order, id, profile) with the highest score; the oldest among equals."""
    weights = matcher.weights(matcher.actors(report))
    best: tuple[float, int, str] | None = None
    for order, cid, prof in candidates:
        score = matcher.score(report, prof, weights)
        if score is not None and (best is None or (-score, order) < (-best[0], best[1])):
            best = (score, order, cid)
    return best[2] if best else None


@dataclass
class Cluster:
    id: str
    order: int
    profile: Profile
    reports: list[Report] = field(default_factory=list)


def fuse(reports: Iterable[Report], matcher: Matcher | None = None) -> list[Cluster]:
    """Fuse reports (already in ingest order) into clusters, in memory."""
    matcher = matcher or Matcher()
    clusters: list[Cluster] = []
    by_id: dict[str, Cluster] = {}
    for report in reports:
        candidates = [(c.order, c.id, c.profile) for c in clusters if c.profile.type == report.type]
        cid = best_match(matcher, report, candidates)
        if cid is None:
            cluster = Cluster(canonical_id(report), len(clusters), Profile(type=report.type))
            clusters.append(cluster)
            by_id[cluster.id] = cluster
        else:
            cluster = by_id[cid]
        cluster.reports.append(report)
        if not report.rejected:
            matcher.absorb(cluster.profile, report)
    return clusters
