"""Is this report the same real event as that canonical event? Pure functions, no database.

A canonical event is summarized for matching by a `Profile`: its type, its fused time, the
weight of every entity its reports name, its identities (which facility, treaty or weapon
system it is about) and, for an undated one, the earliest publication of a report stating it
as certain. `domain/fusion.yaml` says what each setting means.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from kansoku.domain.gazetteer import Gazetteer, load_gazetteer
from kansoku.ledger.config import FusionConfig, load_fusion_config
from kansoku.ledger.facilities import facility_state
from kansoku.ledger.report import PRECISION_RANK, Interval, Report, fuse_intervals


@dataclass
class Profile:
    type: str
    time: Interval | None = None
    weights: dict[str, float] = field(default_factory=dict)
    identities: set[str] = field(default_factory=set)
    undated_certain_by: date | None = None  # earliest publication of an undated certain report
    voices: set[tuple[str, str | None]] = field(default_factory=set)  # (document, voice)
    first_published: date | None = None
    states: set[str] = field(default_factory=set)  # facility states reported (restarted, …)
    places: set[str] = field(default_factory=set)


class Matcher:
    """Scores reports against canonical profiles with one gazetteer and one configuration."""

    def __init__(self, gazetteer: Gazetteer | None = None, config: FusionConfig | None = None):
        self.gazetteer = gazetteer or load_gazetteer()
        self.config = config or load_fusion_config()

    # ---------------------------------------------------------------- entities

    def weight(self, entity_id: str) -> float:
        ent = self.gazetteer.get(entity_id)
        if ent is None:
            return 0.0
        if ent.type == "WEAPON" and not ent.parent:
            return self.config.weapon_class_weight
        return self.config.entity_weights.get(ent.type, 0.0)

    def ancestors(self, entity_id: str) -> list[str]:
        out, seen = [], {entity_id}
        ent = self.gazetteer.get(entity_id)
        while ent is not None and ent.parent and ent.parent not in seen:
            seen.add(ent.parent)
            out.append(ent.parent)
            ent = self.gazetteer.get(ent.parent)
        return out

    def is_identity(self, entity_id: str) -> bool:
        ent = self.gazetteer.get(entity_id)
        if ent is None:
            return False
        if ent.type == "WEAPON":
            return self.config.named_weapons_are_identities and bool(ent.parent)
        return ent.type in self.config.identity_types

    def voice(self, source: str | None) -> str | None:
        """Who speaks: a person or office stands for the body above it (Grossi for the IAEA),
        up to but not including a state."""
        if source is None:
            return None
        voice = source
        for anc in self.ancestors(source):
            ent = self.gazetteer.get(anc)
            if ent is None or ent.type == "STATE":
                break
            voice = anc
        return voice

    def identity(self, report: Report) -> set[str]:
        """The identity participant nearest the trigger (what the event is about), if any."""
        tellers = {report.source, *report.chain}
        found = [
            (abs(start - report.trigger_start), start, eid)
            for eid, start in report.entity_at
            if eid not in tellers and self.is_identity(eid)
        ]
        if not found:
            found = [(0, 0, e) for e in self.actors(report) if self.is_identity(e)][:1]
        return {min(found)[2]} if found else set()

    def actors(self, report: Report) -> list[str]:
        """The report's linked entities, without whoever is telling it (source and relays)."""
        tellers = {report.source, *report.chain}
        return [e for e in report.entities if e not in tellers and self.weight(e) > 0]

    def weights(self, entity_ids: Iterable[str]) -> dict[str, float]:
        out: dict[str, float] = {}
        for eid in entity_ids:
            out[eid] = self.weight(eid)
            if self.config.expand_ancestors:
                for anc in self.ancestors(eid):
                    out.setdefault(anc, self.weight(anc))
        return {k: v for k, v in out.items() if v > 0}

    # ---------------------------------------------------------------- matching

    def identity_conflict(self, a: set[str], b: set[str]) -> bool:
        """Both name identities and none of A is, contains or is inside one of B."""
        if not a or not b:
            return False
        for x in a:
            up_x = {x, *self.ancestors(x)}
            for y in b:
                if y in up_x or x in self.ancestors(y):
                    return False
        return True

    def time_compatible(self, report: Report, prof: Profile) -> bool:
        slack = self.config.slack(report.type)
        if report.time is not None and prof.time is not None:
            return report.time.overlaps(prof.time, slack)
        if not self.config.undated_must_precede_publication:
            return True
        window = self.config.window(report.type)
        if report.time is None and prof.time is not None:
            if report.published is None:
                return True
            if report.certainty == "certain" and prof.time.start > report.published:
                return False
            return (report.published - prof.time.end).days <= window
        if report.time is None:  # both undated
            if report.published is None or prof.first_published is None:
                return True
            return abs((report.published - prof.first_published).days) <= window
        if prof.undated_certain_by is not None and report.time.start > prof.undated_certain_by:
            return False
        if prof.first_published is not None and prof.time is None:
            return (prof.first_published - report.time.end).days <= window
        return True

    def time_bonus(self, a: Interval | None, b: Interval | None) -> float:
        if a is None or b is None or not a.overlaps(b):
            return 0.0
        coarser = max(a.precision, b.precision, key=lambda p: PRECISION_RANK.get(p, 9))
        return self.config.time_bonus.get(coarser, 0.0)

    def fusible(self, report: Report) -> bool:
        """Whether the report may share an event with others at all."""
        if report.certainty in self.config.unfused_certainties:
            return False
        return report.time is not None or report.type not in self.config.undated_unfused_types

    def place_conflict(self, report: Report, prof: Profile) -> bool:
        if report.type not in self.config.place_identity_types or not report.location:
            return False
        return self.identity_conflict({report.location}, prof.places)

    def score(self, report: Report, prof: Profile, weights: dict[str, float] | None = None) -> float | None:
        """The match score, or None when the report cannot be this event."""
        if report.type != prof.type or not self.fusible(report):
            return None
        voice = (report.document_id, self.voice(report.source))
        if self.config.one_version_per_source and voice in prof.voices:
            return None
        if not self.time_compatible(report, prof) or self.place_conflict(report, prof):
            return None
        mine = weights if weights is not None else self.weights(self.actors(report))
        identity = self.identity(report)
        if self.identity_conflict(identity, prof.identities):
            return None
        if (report.time is None or prof.time is None) and report.type in self.config.undated_needs_identity:
            if not identity or not prof.identities:
                return None
        state = facility_state(report.type, report.trigger)
        if state and prof.states and state not in prof.states:
            return None
        shared = sum(w for e, w in mine.items() if e in prof.weights)
        if shared <= 0:
            return None
        total = shared + self.time_bonus(report.time, prof.time)
        return total if total >= self.config.threshold - 1e-9 else None

    def absorb(self, prof: Profile, report: Report) -> None:
        """Add a (non-rejected) report to a profile: its entities, identities and time."""
        prof.voices.add((report.document_id, self.voice(report.source)))
        if report.published is not None and (
            prof.first_published is None or report.published < prof.first_published
        ):
            prof.first_published = report.published
        if not self.fusible(report):
            return  # a founding report that cannot be matched keeps its event to itself
        if report.location:
            prof.places.add(report.location)
        actors = self.actors(report)
        for eid, w in self.weights(actors).items():
            prof.weights.setdefault(eid, w)
        prof.identities |= self.identity(report)
        state = facility_state(report.type, report.trigger)
        if state:
            prof.states.add(state)
        if report.time is not None:
            prof.time = fuse_intervals([prof.time, report.time] if prof.time else [report.time])
        elif report.certainty == "certain" and report.published is not None:
            if prof.undated_certain_by is None or report.published < prof.undated_certain_by:
                prof.undated_certain_by = report.published
