"""Fusion settings from `domain/fusion.yaml` (the file explains each one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kansoku.errors import GazetteerError

FUSION_FILE = Path(__file__).resolve().parent.parent / "domain" / "fusion.yaml"


@dataclass(frozen=True)
class FusionConfig:
    threshold: float = 1.0
    entity_weights: dict[str, float] = field(default_factory=dict)
    weapon_class_weight: float = 0.4
    expand_ancestors: bool = True
    time_bonus: dict[str, float] = field(default_factory=dict)
    slack_days: dict[str, int] = field(default_factory=dict)
    identity_types: frozenset[str] = frozenset()
    named_weapons_are_identities: bool = True
    undated_must_precede_publication: bool = True
    one_version_per_source: bool = True
    unfused_certainties: frozenset[str] = frozenset()
    undated_window_days: dict[str, int] = field(default_factory=dict)
    undated_needs_identity: frozenset[str] = frozenset()
    undated_unfused_types: frozenset[str] = frozenset()
    place_identity_types: frozenset[str] = frozenset()
    quantity_margin: float = 0.5
    quantity_units: frozenset[str] = frozenset()

    def window(self, event_type: str) -> int:
        return self.undated_window_days.get(event_type, self.undated_window_days.get("default", 120))

    def slack(self, event_type: str) -> int:
        return self.slack_days.get(event_type, self.slack_days.get("default", 0))


def _number(data: dict[str, Any], key: str, path: Path) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise GazetteerError(f"{path}: '{key}' must be a number, got {value!r}: fix the file")
    return float(value)


def load_fusion_config(path: str | Path | None = None) -> FusionConfig:
    """Read and check a fusion file; the packaged one when `path` is None."""
    if path is None:
        return _default()
    return _parse(Path(path))


@lru_cache(maxsize=1)
def _default() -> FusionConfig:
    return _parse(FUSION_FILE)


def _parse(path: Path) -> FusionConfig:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise GazetteerError(f"cannot read fusion settings {path} ({err}): fix or restore the file") from err
    if not isinstance(data, dict):
        raise GazetteerError(f"{path}: expected a mapping of settings: fix the file")
    contra = data.get("contradictions") or {}
    weights = {str(k): float(v) for k, v in (data.get("entity_weights") or {}).items()}
    return FusionConfig(
        threshold=_number(data, "threshold", path),
        entity_weights=weights,
        weapon_class_weight=_number(data, "weapon_class_weight", path),
        expand_ancestors=bool(data.get("expand_ancestors", True)),
        time_bonus={str(k): float(v) for k, v in (data.get("time_bonus") or {}).items()},
        slack_days={str(k): int(v) for k, v in (data.get("slack_days") or {}).items()},
        identity_types=frozenset(data.get("identity_types") or ()),
        named_weapons_are_identities=bool(data.get("named_weapons_are_identities", True)),
        undated_must_precede_publication=bool(data.get("undated_must_precede_publication", True)),
        one_version_per_source=bool(data.get("one_version_per_source", True)),
        unfused_certainties=frozenset(data.get("unfused_certainties") or ()),
        undated_window_days={str(k): int(v) for k, v in (data.get("undated_window_days") or {}).items()},
        undated_needs_identity=frozenset(data.get("undated_needs_identity") or ()),
        undated_unfused_types=frozenset(data.get("undated_unfused_types") or ()),
        place_identity_types=frozenset(data.get("place_identity_types") or ()),
        quantity_margin=_number(contra, "quantity_margin", path),
        quantity_units=frozenset(contra.get("quantity_units") or ()),
    )
