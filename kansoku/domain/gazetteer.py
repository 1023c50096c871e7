"""Load and validate the gazetteer: entities (gazetteer/*.yaml), compounds.yaml, titles.yaml.

The entity files are lists of entries, one file per kind (states, people, organizations,
media, facilities, places, weapons, agreements, exercises, groups)::

    - id: kim-jong-un                  # kebab-case ascii, unique over all files
      type: PERSON                     # one of ENTITY_TYPES
      names: {en: Kim Jong Un, ja: 金正恩, ko: 김정은}   # en and ja required
      aliases: [金総書記, Kim Jong-un]  # surface forms matched in text
      surname: {ja: 金, en: Kim}        # PERSON only: drives 金氏 / "Mr. Kim" coreference
      parent: north-korea              # facility → site → country, person/org → state
      wikidata: Q56226
      coordinates: [39.0, 125.7]       # required for PLACE and FACILITY
      context_aliases: [外務省]         # bare words whose referent depends on the state in context
      case_sensitive: [the South]      # aliases matched with their exact case
      guarded: [前線]                   # aliases not matched right after a kanji (梅雨前線)
      descriptions: [Slovak national]  # phrases that name it in some article: never matched
                                       # (their parts are linked), but kept for name lookups
      short: {char: 米}                 # STATE: one-character abbreviation (compounds, 訪米, 米政府)
      note: free text

Every string is normalized with `kansoku.normalize.normalize_text` at load, the way document
text is. Errors name the file, the entry id and what to fix (`GazetteerError`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kansoku.errors import GazetteerError
from kansoku.model import Entity
from kansoku.normalize import normalize_text

DATA = Path(__file__).parent
ENTITY_DIR = DATA / "gazetteer"
COMPOUNDS_FILE = DATA / "compounds.yaml"
TITLES_FILE = DATA / "titles.yaml"

ENTITY_TYPES = (
    "STATE",
    "PERSON",
    "ORG",
    "MEDIA",
    "FACILITY",
    "PLACE",
    "WEAPON",
    "SATELLITE",
    "ROCKET",
    "EXERCISE",
    "AGREEMENT",
    "GROUP",
)
_KEYS = {
    "id",
    "type",
    "names",
    "aliases",
    "wikidata",
    "coordinates",
    "parent",
    "surname",
    "short",
    "context_aliases",
    "case_sensitive",
    "descriptions",
    "guarded",
    "note",
}
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")


def name_key(name: str) -> str:
    """How the scorer compares names: NFKC, case folding, non-alphanumerics removed."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(c for c in folded if c.isalnum())


@dataclass(frozen=True)
class ShortForm:
    """A one-character abbreviation (米 for the United States) and where it may stand alone."""

    char: str
    entity: str
    prefixes: frozenset[str]
    suffixes: tuple[str, ...]
    compounds_only: bool = False


@dataclass(frozen=True)
class Compound:
    """米韓 → (united-states, south-korea); `next` restricts what must follow (日中関係)."""

    text: str
    members: tuple[str, ...]
    next: tuple[str, ...] = ()


@dataclass
class Titles:
    ja_titles: tuple[str, ...] = ()
    ja_honorifics: tuple[str, ...] = ()
    en_titles: tuple[str, ...] = ()
    # surname → title → entity id, per language
    surname_defaults: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    anaphora: dict[str, str] = field(default_factory=dict)  # 同氏 → PERSON


@dataclass
class Gazetteer:
    """Entities by id plus what the linker needs (compounds, titles, short forms, surnames)."""

    entities: dict[str, Entity]
    aliases: dict[str, tuple[str, ...]]  # entity id → matchable surface forms (normalized)
    case_sensitive: frozenset[str]  # normalized aliases matched with their exact case
    guarded: frozenset[str]  # aliases not matched right after a kanji
    context_aliases: dict[str, tuple[str, ...]]  # bare word → candidate entity ids
    context_defaults: dict[str, str]
    compounds: dict[str, Compound]
    shorts: dict[str, ShortForm]
    titles: Titles
    surnames: dict[str, dict[str, tuple[str, ...]]]  # "ja"/"en" → surname → person ids
    surname_of: dict[str, dict[str, str]]  # person id → {"ja": 金, "en": Kim}
    sources: tuple[str, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)
    _matcher: Any = field(default=None, repr=False)
    _name_index: dict[str, set[str]] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.entities)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.entities

    def get(self, entity_id: str | None) -> Entity | None:
        return self.entities.get(entity_id) if entity_id else None

    def by_type(self, type_: str) -> list[Entity]:
        return [e for e in self.entities.values() if e.type == type_]

    def root_state(self, entity_id: str | None) -> str | None:
        """The STATE an entity belongs to, following `parent` (itself for a state)."""
        seen = set()
        while entity_id and entity_id not in seen:
            seen.add(entity_id)
            ent = self.entities.get(entity_id)
            if ent is None:
                return None
            if ent.type == "STATE":
                return ent.id
            entity_id = ent.parent
        return None

    def resolve(self, name: str) -> list[Entity]:
        """Entities that `name` can stand for, compared like the scorer compares names.

        Looks at ids, names, aliases, context aliases, short forms and compounds (米韓 names
        both the United States and South Korea).
        """
        if self._name_index is None:
            index: dict[str, set[str]] = {}
            for ent in self.entities.values():
                for n in (ent.id, ent.name, *ent.names.values(), *ent.aliases):
                    index.setdefault(name_key(normalize_text(n)), set()).add(ent.id)
            for alias, ids in self.context_aliases.items():
                index.setdefault(name_key(alias), set()).update(ids)
            for comp in self.compounds.values():
                index.setdefault(name_key(comp.text), set()).update(comp.members)
            self._name_index = index
        ids = self._name_index.get(name_key(normalize_text(name)), set())
        return [self.entities[i] for i in sorted(ids)]

    @property
    def matcher(self):
        """The linker's lookup tables, built once (see kansoku.extract.entities)."""
        if self._matcher is None:
            from kansoku.extract.entities import build_matcher

            self._matcher = build_matcher(self)
        return self._matcher


# ---------------------------------------------------------------------------------- loading


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise GazetteerError(f"{path}: cannot read ({err.strerror}): check the path") from err
    except yaml.YAMLError as err:
        raise GazetteerError(f"{path}: not valid YAML ({err}): fix the syntax") from err


def _str_list(path: Path, eid: str, key: str, value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GazetteerError(
            f"{path}: entry {eid!r}: {key} must be a list of non-empty strings, got {value!r}"
            " (quote names that contain a comma or colon)"
        )
    return [normalize_text(v.strip()) for v in value]


def _entity_files(paths: Iterable[str | Path] | None, include_default: bool) -> list[Path]:
    files: list[Path] = []
    if include_default:
        files.extend(sorted(ENTITY_DIR.glob("*.yaml")))
    for p in paths or ():
        p = Path(p)
        if p.is_dir():
            files.extend(sorted(p.glob("*.yaml")))
        else:
            files.append(p)
    if not files:
        raise GazetteerError(f"{ENTITY_DIR}: no gazetteer files found: reinstall kansoku")
    return files


def _parse_entry(path: Path, raw: Any, index: int) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise GazetteerError(f"{path}: item {index + 1} is not a mapping: write `- id: …`")
    eid = raw.get("id")
    if not isinstance(eid, str) or not _ID.match(eid):
        raise GazetteerError(
            f"{path}: item {index + 1}: id {eid!r} is not kebab-case ascii (e.g. kim-jong-un)"
        )
    unknown = set(raw) - _KEYS
    if unknown:
        raise GazetteerError(
            f"{path}: entry {eid!r}: unknown keys {sorted(unknown)} (a comma inside an unquoted"
            f" name splits it): allowed keys are {sorted(_KEYS)}"
        )
    etype = raw.get("type")
    if etype not in ENTITY_TYPES:
        raise GazetteerError(
            f"{path}: entry {eid!r}: type {etype!r} is not one of {', '.join(ENTITY_TYPES)}"
        )
    names = raw.get("names")
    if not isinstance(names, dict):
        raise GazetteerError(f"{path}: entry {eid!r}: names must be a mapping {{en: …, ja: …}}")
    for lang in ("en", "ja"):
        if not isinstance(names.get(lang), str) or not names[lang].strip():
            raise GazetteerError(f"{path}: entry {eid!r}: names.{lang} is missing or empty")
    for lang, value in names.items():
        if not isinstance(value, str) or not value.strip():
            raise GazetteerError(
                f"{path}: entry {eid!r}: names.{lang} must be a non-empty string, got {value!r}"
                " (quote names that contain a comma)"
            )
    names = {k: normalize_text(v.strip()) for k, v in names.items()}
    wikidata = raw.get("wikidata")
    if wikidata is not None and (not isinstance(wikidata, str) or not _QID.match(wikidata)):
        raise GazetteerError(f"{path}: entry {eid!r}: wikidata {wikidata!r} is not a Q-id")
    coords = raw.get("coordinates")
    if coords is not None:
        ok = (
            isinstance(coords, list)
            and len(coords) == 2
            and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coords)
        )
        if not ok or not (-90 <= coords[0] <= 90 and -180 <= coords[1] <= 180):
            raise GazetteerError(
                f"{path}: entry {eid!r}: coordinates {coords!r} must be [lat, lon] with"
                " -90 ≤ lat ≤ 90 and -180 ≤ lon ≤ 180"
            )
        coords = (float(coords[0]), float(coords[1]))
    elif etype in ("PLACE", "FACILITY"):
        raise GazetteerError(f"{path}: entry {eid!r}: a {etype} needs coordinates: [lat, lon]")
    parent = raw.get("parent")
    if parent is not None and (not isinstance(parent, str) or not _ID.match(parent)):
        raise GazetteerError(f"{path}: entry {eid!r}: parent {parent!r} is not an entity id")
    surname = raw.get("surname")
    if surname is not None:
        if etype != "PERSON":
            raise GazetteerError(f"{path}: entry {eid!r}: only a PERSON has a surname")
        if not isinstance(surname, dict) or not all(
            k in ("ja", "en") and isinstance(v, str) and v for k, v in surname.items()
        ):
            raise GazetteerError(
                f"{path}: entry {eid!r}: surname must be {{ja: 金, en: Kim}}, got {surname!r}"
            )
        surname = {k: normalize_text(v) for k, v in surname.items()}
    short = raw.get("short")
    if short is not None:
        if (
            not isinstance(short, dict)
            or not isinstance(short.get("char"), str)
            or len(normalize_text(short["char"])) != 1
            or set(short) - {"char", "compounds_only", "no_suffix"}
        ):
            raise GazetteerError(
                f"{path}: entry {eid!r}: short must be {{char: 米}} with optional"
                " compounds_only/no_suffix flags"
            )
    aliases = _str_list(path, eid, "aliases", raw.get("aliases"))
    context = _str_list(path, eid, "context_aliases", raw.get("context_aliases"))
    case_sensitive = _str_list(path, eid, "case_sensitive", raw.get("case_sensitive"))
    descriptions = _str_list(path, eid, "descriptions", raw.get("descriptions"))
    guarded = _str_list(path, eid, "guarded", raw.get("guarded"))
    for g in guarded:
        if g not in aliases and g not in names.values():
            raise GazetteerError(f"{path}: entry {eid!r}: guarded {g!r} is not one of its aliases")
    for a in aliases:
        if len(a) < 2:
            raise GazetteerError(
                f"{path}: entry {eid!r}: alias {a!r} has one character: use `short` or"
                " compounds.yaml for one-character abbreviations"
            )
    return {
        "id": eid,
        "type": etype,
        "names": names,
        "aliases": aliases,
        "context": context,
        "case_sensitive": case_sensitive,
        "descriptions": descriptions,
        "guarded": guarded,
        "wikidata": wikidata,
        "coordinates": coords,
        "parent": parent,
        "surname": surname,
        "short": short,
        "note": raw.get("note"),
        "path": path,
    }


def _fold(s: str) -> str:
    from kansoku.extract.entities import fold

    return fold(s)


def _load_entities(files: Sequence[Path]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    seen: dict[str, Path] = {}
    for path in files:
        data = _read_yaml(path)
        if data is None:
            continue
        if not isinstance(data, list):
            raise GazetteerError(f"{path}: expected a list of entries (`- id: …`)")
        for i, raw in enumerate(data):
            entry = _parse_entry(path, raw, i)
            if entry["id"] in seen:
                raise GazetteerError(
                    f"{path}: entry {entry['id']!r}: id already used in {seen[entry['id']]}"
                )
            seen[entry["id"]] = path
            entries.append(entry)
    return entries


def _check_aliases(entries: list[dict[str, Any]]) -> None:
    """No surface form may name two entities of the same type (the linker could not choose)."""
    claimed: dict[tuple[str, str], dict[str, Any]] = {}
    for e in entries:
        cs = set(e["case_sensitive"])
        forms = {e["names"]["en"], e["names"]["ja"], *e["aliases"]}
        for form in forms:
            key = (e["type"], form if form in cs else _fold(form))
            other = claimed.get(key)
            if other is not None and other["id"] != e["id"]:
                raise GazetteerError(
                    f"{e['path']}: entry {e['id']!r}: alias {form!r} is already claimed by"
                    f" {other['id']!r} ({other['path']}), also a {e['type']}: keep it on one"
                    " entry or make it a context_alias"
                )
            claimed[key] = e


def _load_compounds(path: Path, ids: set[str]) -> tuple[dict[str, Compound], dict[str, Any]]:
    data = _read_yaml(path) or {}
    if not isinstance(data, dict) or not isinstance(data.get("compounds"), dict):
        raise GazetteerError(f"{path}: expected a mapping with `compounds:`")
    compounds: dict[str, Compound] = {}
    for text, spec in data["compounds"].items():
        members, nxt = (
            (spec, [])
            if isinstance(spec, list)
            else (
                (spec or {}).get("members"),
                (spec or {}).get("next", []),
            )
        )
        if not isinstance(members, list) or len(members) < 2:
            raise GazetteerError(f"{path}: compound {text!r}: list at least two entity ids")
        for m in members:
            if m not in ids:
                raise GazetteerError(f"{path}: compound {text!r}: unknown entity id {m!r}")
        key = normalize_text(str(text))
        compounds[key] = Compound(key, tuple(members), tuple(normalize_text(n) for n in nxt))
    for key in ("prefixes", "suffixes"):
        if not isinstance(data.get(key, []), list):
            raise GazetteerError(f"{path}: {key} must be a list of strings")
    extra = data.get("extra_shorts") or {}
    for char, spec in extra.items():
        if not isinstance(spec, dict) or spec.get("entity") not in ids:
            raise GazetteerError(f"{path}: extra_shorts {char!r}: needs a known `entity`")
    defaults = data.get("context_defaults") or {}
    for alias, eid in defaults.items():
        if eid not in ids:
            raise GazetteerError(f"{path}: context_defaults {alias!r}: unknown entity {eid!r}")
    return compounds, data


def _load_titles(path: Path, ids: set[str]) -> Titles:
    data = _read_yaml(path) or {}
    try:
        ja, en = data["ja"], data["en"]
        titles = Titles(
            ja_titles=tuple(normalize_text(t) for t in ja["titles"]),
            ja_honorifics=tuple(normalize_text(t) for t in ja.get("honorifics", [])),
            en_titles=tuple(normalize_text(t) for t in en["titles"]),
        )
    except (KeyError, TypeError) as err:
        raise GazetteerError(
            f"{path}: expected ja: {{titles: […], honorifics: […]}} and en: {{titles: […]}}"
        ) from err
    for lang, table in (data.get("surname_defaults") or {}).items():
        out: dict[str, dict[str, str]] = {}
        for surname, by_title in (table or {}).items():
            for title, eid in (by_title or {}).items():
                if eid not in ids:
                    raise GazetteerError(
                        f"{path}: surname_defaults {surname}/{title}: unknown entity {eid!r}"
                    )
            out[normalize_text(str(surname))] = {
                normalize_text(str(t)): e for t, e in by_title.items()
            }
        titles.surname_defaults[lang] = out
    for word, etype in (data.get("anaphora") or {}).items():
        if etype not in ENTITY_TYPES:
            raise GazetteerError(f"{path}: anaphora {word!r}: unknown type {etype!r}")
        titles.anaphora[normalize_text(word)] = etype
    return titles


def build_gazetteer(
    paths: Iterable[str | Path] | None = None,
    *,
    include_default: bool = True,
    compounds_path: str | Path | None = None,
    titles_path: str | Path | None = None,
) -> Gazetteer:
    """Load, validate and index the gazetteer files (not cached: see `load_gazetteer`)."""
    files = _entity_files(paths, include_default)
    entries = _load_entities(files)
    ids = {e["id"] for e in entries}
    for e in entries:
        if e["parent"] and e["parent"] not in ids:
            raise GazetteerError(
                f"{e['path']}: entry {e['id']!r}: parent {e['parent']!r} is not an entity id"
            )
        if e["parent"] == e["id"]:
            raise GazetteerError(f"{e['path']}: entry {e['id']!r}: is its own parent")
    _check_aliases(entries)
    compounds, cdata = _load_compounds(Path(compounds_path or COMPOUNDS_FILE), ids)
    titles = _load_titles(Path(titles_path or TITLES_FILE), ids)

    entities: dict[str, Entity] = {}
    aliases: dict[str, tuple[str, ...]] = {}
    case_sensitive: set[str] = set()
    guarded: set[str] = set()
    context: dict[str, list[str]] = {}
    surnames: dict[str, dict[str, list[str]]] = {"ja": {}, "en": {}}
    surname_of: dict[str, dict[str, str]] = {}
    notes: dict[str, str] = {}
    shorts: dict[str, ShortForm] = {}
    prefixes = frozenset(normalize_text(p) for p in cdata.get("prefixes", []))
    suffixes = tuple(normalize_text(s) for s in cdata.get("suffixes", []))
    for e in entries:
        names = e["names"]
        forms = list(dict.fromkeys([names["en"], names["ja"], *e["aliases"]]))
        extra_output = []
        if e["short"]:
            char = normalize_text(e["short"]["char"])
            if char in shorts:
                raise GazetteerError(
                    f"{e['path']}: entry {e['id']!r}: short {char!r} already belongs to"
                    f" {shorts[char].entity!r}"
                )
            shorts[char] = ShortForm(
                char,
                e["id"],
                frozenset() if e["short"].get("compounds_only") else prefixes,
                () if e["short"].get("compounds_only") or e["short"].get("no_suffix") else suffixes,
                bool(e["short"].get("compounds_only")),
            )
            extra_output.append(char)
        for c in e["context"]:
            context.setdefault(c, []).append(e["id"])
        case_sensitive.update(e["case_sensitive"])
        guarded.update(e["guarded"])
        out_aliases = forms + e["context"] + e["descriptions"] + extra_output
        entities[e["id"]] = Entity(
            id=e["id"],
            type=e["type"],
            name=names["en"],
            names=dict(names),
            aliases=tuple(dict.fromkeys(a for a in out_aliases if a != names["en"])),
            wikidata=e["wikidata"],
            coordinates=e["coordinates"],
            parent=e["parent"],
        )
        aliases[e["id"]] = tuple(forms)
        if e["surname"]:
            surname_of[e["id"]] = e["surname"]
            for lang, s in e["surname"].items():
                surnames[lang].setdefault(s, []).append(e["id"])
        if e["note"]:
            notes[e["id"]] = str(e["note"])
    for char, spec in (cdata.get("extra_shorts") or {}).items():
        char = normalize_text(char)
        shorts.setdefault(
            char,
            ShortForm(
                char,
                spec["entity"],
                frozenset(normalize_text(p) for p in spec.get("prefixes", [])),
                tuple(normalize_text(s) for s in spec.get("suffixes", [])),
            ),
        )
    return Gazetteer(
        entities=entities,
        aliases=aliases,
        case_sensitive=frozenset(case_sensitive),
        guarded=frozenset(guarded),
        context_aliases={k: tuple(v) for k, v in context.items()},
        context_defaults={
            normalize_text(k): v for k, v in (cdata.get("context_defaults") or {}).items()
        },
        compounds=compounds,
        shorts=shorts,
        titles=titles,
        surnames={lang: {s: tuple(v) for s, v in t.items()} for lang, t in surnames.items()},
        surname_of=surname_of,
        sources=tuple(str(f) for f in files),
        notes=notes,
    )


@lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    return build_gazetteer()


def load_gazetteer(paths: Iterable[str | Path] | None = None) -> Gazetteer:
    """The gazetteer: the package's data files, plus `paths` (files or folders) when given.

    The default gazetteer is built once and cached; with `paths` a new one is built.
    """
    if not paths:
        return _default_gazetteer()
    return build_gazetteer(list(paths))
