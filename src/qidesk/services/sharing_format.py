"""The project bundle file: one zip holding a manifest and one JSON payload.

    manifest.json  format, format_version, qidesk_version, exported_at (UTC), source_workbook,
                   source_team, exported_by, project_title, counts, payload_sha256
    project.json   {"project": {...}, "project_member": [...], "driver_node": [...], ...}

Records keep the entity field names; `id` and the links are the exporting workbook's ids,
which only identify records inside the bundle (the import gives every record a new id).
Reading is strict: anything but the layout written here is refused with a plain reason.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import re
import secrets
import types
import typing
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from functools import cache
from pathlib import Path

from qidesk.domain import entities as e
from qidesk.domain import rules
from qidesk.domain.data_rules import check_data_point
from qidesk.domain.enums import DriverLevel, Frequency, ReviewSubject
from qidesk.domain.errors import ValidationError
from qidesk.services.drivers import ALLOWED_PARENT
from qidesk.services.mapping import field_names
from qidesk.storage.engine import fsync_folder

FORMAT_NAME = "qidesk-project-bundle"
FORMAT_VERSION = 2  # 2: PDSA cycles carry their Study and Act dates and prediction direction
BUNDLE_SUFFIX = ".qidesk-project"
MANIFEST_NAME = "manifest.json"
PAYLOAD_NAME = "project.json"
# Far above any ward's project (a trust-sized one is a few MB); stops a zip bomb.
MAX_ENTRY_BYTES = 512 * 1024 * 1024
_NOT_OURS = "This file is not a QIDesk project bundle"
_LARGEST_INT = 2**63  # SQLite's INTEGER range
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class BundleRejected(ValidationError):
    """The bundle cannot be used; `message` says why in plain words. Nothing was written."""

    def __init__(self, message: str):
        super().__init__(message, field="bundle")


@dataclass(frozen=True, kw_only=True)
class PdsaMeasureLink:
    """A measure a PDSA cycle expects to move (a link row, not an entity of its own)."""

    pdsa_cycle_id: int
    measure_id: int


# Kinds of record in a bundle (table names), in the order an import writes them:
# every record's links point at kinds written before it.
KINDS: dict[str, type] = {
    "project_member": e.ProjectMember, "progress_score": e.ProgressScore,
    "driver_node": e.DriverNode, "measure": e.Measure, "pdsa_cycle": e.PdsaCycle,
    "pdsa_measure": PdsaMeasureLink, "data_point": e.DataPoint, "phase": e.Phase,
    "annotation": e.Annotation, "review": e.Review,
}
# field -> kind it points at. Review.subject_id points at the project or a measure.
LINKS: dict[str, dict[str, str]] = {
    "project_member": {"project_id": "project"},
    "progress_score": {"project_id": "project"},
    "driver_node": {"project_id": "project", "parent_id": "driver_node"},
    "measure": {"project_id": "project"},
    "pdsa_cycle": {"change_idea_id": "driver_node", "prediction_measure_id": "measure"},
    "pdsa_measure": {"pdsa_cycle_id": "pdsa_cycle", "measure_id": "measure"},
    "data_point": {"measure_id": "measure"},
    "phase": {"measure_id": "measure"},
    "annotation": {"measure_id": "measure", "pdsa_cycle_id": "pdsa_cycle"},
    "review": {},
}
# Links an import can do without (it drops them and says so); any other broken link
# means the bundle is damaged.
OPTIONAL_LINKS = {("pdsa_cycle", "prediction_measure_id"), ("pdsa_measure", "pdsa_cycle_id"),
                  ("pdsa_measure", "measure_id"), ("annotation", "pdsa_cycle_id")}
NOUNS = {"project": "project", "project_member": "member", "progress_score": "progress score",
         "driver_node": "driver diagram box", "measure": "measure", "pdsa_cycle": "PDSA cycle",
         "pdsa_measure": "PDSA measure link", "data_point": "data point", "phase": "phase",
         "annotation": "chart annotation", "review": "review"}
# Fields added after bundle format version 1: older bundles do without them.
_ADDED_LATER = {e.PdsaCycle: ("studied_on", "decided_on", "prediction_direction")}
# The target team is chosen at import, so the payload does not carry the project's team.
_PROJECT_LEFT_OUT = ("team_id",)


@dataclass(frozen=True)
class ProjectContent:
    """A project and every record that belongs to it, as entities with bundle ids."""

    project: e.Project
    records: dict[str, tuple]  # kind -> entities, every kind of KINDS present

    def of(self, kind: str) -> tuple:
        return (self.project,) if kind == "project" else self.records[kind]

    def counts(self) -> dict[str, int]:
        return {"project": 1, **{kind: len(found) for kind, found in self.records.items()}}


@dataclass(frozen=True)
class Manifest:
    format_version: int
    qidesk_version: str
    exported_at: datetime  # UTC
    source_workbook: str
    source_team: str
    exported_by: str
    project_title: str
    counts: dict[str, int]
    payload_sha256: str


def encode_payload(content: ProjectContent) -> bytes:
    payload = {"project": _encode(content.project, _PROJECT_LEFT_OUT)}
    for kind in KINDS:
        payload[kind] = [_encode(entity) for entity in content.records[kind]]
    # No indent: only compact output uses json's C encoder (10x faster on 100k points).
    return json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")


def encode_manifest(manifest: Manifest) -> bytes:
    values = {name: _json_value(getattr(manifest, name)) for name in field_names(Manifest)}
    return json.dumps({"format": FORMAT_NAME, **values}, ensure_ascii=False,
                      indent=1).encode("utf-8")


def payload_checksum(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def write_bundle(path: Path, manifest: bytes, payload: bytes) -> None:
    """Write the zip under a temporary name, then rename it into place: a bundle on disk is
    always whole, and an existing file is only replaced by a complete new one."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    try:
        with open(temp, "wb") as file:
            with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
                bundle.writestr(MANIFEST_NAME, manifest)
                bundle.writestr(PAYLOAD_NAME, payload)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
        fsync_folder(path.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def read_bundle(path: Path) -> tuple[Manifest, ProjectContent]:
    """The manifest and content of a bundle whose checksum and layout are right."""
    manifest_bytes, payload = _read_entries(Path(path))
    manifest = _decode_manifest(_load_json(manifest_bytes, "manifest"))
    if not hmac.compare_digest(payload_checksum(payload), manifest.payload_sha256):
        raise BundleRejected("This bundle has been changed or damaged since it was exported: "
                             "its content does not match the checksum in its manifest. "
                             "Ask for a fresh export.")
    content = _decode_payload(_load_json(payload, "content"))
    if content.counts() != manifest.counts:
        raise BundleRejected("This bundle is damaged: its manifest and its content list "
                             "different numbers of records.")
    return manifest, content


def _read_entries(path: Path) -> tuple[bytes, bytes]:
    try:
        with zipfile.ZipFile(path) as bundle:
            names = set(bundle.namelist())
            if MANIFEST_NAME not in names:
                raise BundleRejected(f"{_NOT_OURS}: it is a zip file without a manifest "
                                     "(it was not exported by QIDesk).")
            if PAYLOAD_NAME not in names:
                raise BundleRejected(f"This bundle is incomplete: it has no {PAYLOAD_NAME}.")
            return _read_entry(bundle, MANIFEST_NAME), _read_entry(bundle, PAYLOAD_NAME)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        if not zipfile.is_zipfile(path):
            raise BundleRejected(f"{_NOT_OURS} (it is not a zip file).") from None
        # A bad CRC-32 or deflate stream: bytes changed in transit (or by hand).
        raise BundleRejected(f"This bundle is damaged ({exc}). Ask for a fresh export.") from None
    except FileNotFoundError:
        raise BundleRejected(f"There is no file called {path.name} there any more.") from None
    except OSError as exc:
        raise BundleRejected(f"{path.name} could not be read ({exc.strerror or exc}).") from None


def is_bundle(path: Path) -> bool:
    """Whether the file looks like a bundle (a zip with our manifest), without checking it."""
    try:
        with zipfile.ZipFile(path) as bundle:
            return MANIFEST_NAME in bundle.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _read_entry(bundle: zipfile.ZipFile, name: str) -> bytes:
    if bundle.getinfo(name).file_size > MAX_ENTRY_BYTES:
        raise BundleRejected(f"This bundle's {name} is too large to be a QIDesk project.")
    return bundle.read(name)  # zipfile checks each entry's CRC-32 as it reads


def _load_json(raw: bytes, what: str):
    def no_constants(name: str):
        raise ValueError(f"{name} is not a number")

    try:
        return json.loads(raw.decode("utf-8"), parse_constant=no_constants)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BundleRejected(f"This bundle's {what} is not readable JSON ({exc}).") from None


def _decode_manifest(data) -> Manifest:
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        named = data.get("format") if isinstance(data, dict) else None
        raise BundleRejected(f"{_NOT_OURS}: its manifest names the format {named!r}, "
                             f"not {FORMAT_NAME!r}.")
    version = data.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        made_by = data.get("qidesk_version")
        raise BundleRejected(
            f"This bundle is in bundle format version {version}"
            f"{f' (made by QIDesk {made_by})' if isinstance(made_by, str) else ''}; this "
            f"QIDesk reads bundle format version {FORMAT_VERSION}. Update QIDesk to import it.")
    manifest = _decode_record(Manifest, {k: v for k, v in data.items() if k != "format"},
                              "the manifest")
    counts_ok = all(isinstance(n, int) and not isinstance(n, bool) and n >= 0
                    for n in manifest.counts.values())
    if manifest.format_version < 1 or not counts_ok or not _SHA256_HEX.fullmatch(
            manifest.payload_sha256):
        raise BundleRejected("This bundle's manifest is damaged (impossible version, counts "
                             "or checksum).")
    return manifest


def _decode_payload(data) -> ProjectContent:
    expected = {"project", *KINDS}
    if not isinstance(data, dict) or set(data) != expected:
        found = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise BundleRejected(f"This bundle's content is not laid out as a QIDesk project "
                             f"(expected {sorted(expected)}, found {found}).")
    project = _decode_record(e.Project, data["project"], "the project",
                             left_out=_PROJECT_LEFT_OUT, team_id=0)
    found = {}
    for kind, cls in KINDS.items():
        if not isinstance(data[kind], list):
            raise BundleRejected(f"This bundle's {kind} records are not a list.")
        found[kind] = tuple(_decode_record(cls, record, f"{NOUNS[kind]} {number}")
                            for number, record in enumerate(data[kind], start=1))
    return ProjectContent(project, found)


def _decode_record(cls: type, data, where: str, left_out: tuple[str, ...] = (), **fixed):
    """An entity from its JSON object: exactly its fields, each of the right type."""
    specs = [spec for spec in _field_specs(cls) if spec[0] not in left_out]
    if isinstance(data, dict):  # a bundle from before a field existed: it takes its default
        specs = [s for s in specs if s[0] in data or s[0] not in _ADDED_LATER.get(cls, ())]
    if not isinstance(data, dict) or data.keys() != {name for name, _, _ in specs}:
        got = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise BundleRejected(f"This bundle's {where} does not have the fields of a "
                             f"{cls.__name__} (found {got}).")
    values = {}
    for name, kind, optional in specs:
        value = data[name]
        if value is None and not optional:
            raise BundleRejected(f"This bundle's {where}, {name} is missing.")
        values[name] = None if value is None else _decode_value(kind, value, where, name)
    return cls(**values, **fixed)


def _decode_value(kind, value, where: str, name: str):
    if kind is str and type(value) is str:  # most values: the quick way
        return value
    try:
        return _convert(kind, value)
    except (TypeError, ValueError, OverflowError):
        raise BundleRejected(f"This bundle's {where}, {name} is not a valid "
                             f"{getattr(kind, '__name__', 'value')} ({_short(value)}).") from None


def _convert(kind, value):
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is bool and isinstance(value, bool):
        return value
    if kind is int and numeric and isinstance(value, int) and abs(value) < _LARGEST_INT:
        return value
    if kind is float and numeric and math.isfinite(value):
        return float(value)
    if kind is str and isinstance(value, str):
        return value
    if typing.get_origin(kind) is dict and isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return value
    if isinstance(value, str):
        if kind is datetime:
            return _utc(datetime.fromisoformat(value))
        if kind is date:
            return date.fromisoformat(value)
        if isinstance(kind, type) and issubclass(kind, Enum):
            return kind(value)
    raise TypeError


def _encode(entity, left_out: tuple[str, ...] = ()) -> dict:
    return {name: _json_value(getattr(entity, name))
            for name in field_names(type(entity)) if name not in left_out}


def _json_value(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return _utc(value).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _utc(moment: datetime) -> datetime:
    """Instants as the workbook hands them out: aware, in UTC (naive is taken as UTC)."""
    if moment.utcoffset() is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _short(value, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@cache
def _field_specs(cls: type) -> tuple[tuple[str, object, bool], ...]:
    """(name, type, whether None is allowed) of each field, from the class's type hints."""
    specs = []
    for name, hint in typing.get_type_hints(cls).items():
        options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        kind = next(o for o in options if o is not type(None))
        specs.append((name, kind, type(None) in options))
    return tuple(specs)


def check_content(content: ProjectContent) -> tuple[str, ...]:
    """Refuse content that breaks a domain rule or a required link (BundleRejected); return
    the optional links that point outside the bundle, which an import drops, in words."""
    ids = _ids(content)
    for kind in ("project", *KINDS):
        for entity in content.of(kind):
            _check_record(kind, entity, ids)
    unresolved = [_check_links(kind, entity, ids) for kind in KINDS
                  for entity in content.records[kind]]
    _check_unique(content)
    return tuple(sentence for sentence in unresolved if sentence)


def label(kind: str, entity, avoid=()) -> str:
    """A record as a person would recognise it in a message (never the `avoid` fields)."""
    for name in ("name", "title", "text", "reason", "reviewer"):
        value = getattr(entity, name, "")
        if value and name not in avoid:
            return repr(value if len(value) <= 60 else value[:59] + "…")
    for name in ("period", "on_date", "start_date", "scored_on"):
        if getattr(entity, name, None) is not None:
            return f"of {getattr(entity, name):%d/%m/%Y}"
    return f"number {getattr(entity, 'cycle_number', getattr(entity, 'id', ''))}"


def _refuse(kind: str, entity, why: str) -> BundleRejected:
    return BundleRejected(f"This bundle holds a {NOUNS[kind]} QIDesk cannot accept "
                          f"({label(kind, entity)}): {why}")


def _ids(content: ProjectContent) -> dict[str, dict[int, object]]:
    found = {}
    for kind in ("project", *KINDS):
        if kind == "pdsa_measure":
            continue
        entities = content.of(kind)
        found[kind] = {entity.id: entity for entity in entities}
        if None in found[kind] or len(found[kind]) != len(entities):
            raise BundleRejected(f"This bundle is damaged: its {NOUNS[kind]} records do not "
                                 "each have their own id.")
    return found


def _check_record(kind: str, entity, ids: dict) -> None:
    checks = {"project": rules.check_project, "progress_score": rules.check_progress_score,
              "driver_node": rules.check_driver_node, "measure": rules.check_measure,
              "pdsa_cycle": rules.check_pdsa_cycle}
    try:
        rules.check_text(entity)
        if kind in checks:
            checks[kind](entity)
        if kind == "data_point" and entity.measure_id in ids["measure"]:
            check_data_point(entity, ids["measure"][entity.measure_id])
    except ValidationError as exc:
        raise _refuse(kind, entity, exc.message) from None
    _check_tree(kind, entity, ids)


def _check_tree(kind: str, entity, ids: dict) -> None:
    """Driver boxes hang under the right level; PDSA cycles test change ideas. Levels only
    go up towards the aim, so the diagram cannot loop."""
    if kind == "driver_node" and entity.parent_id in ids["driver_node"]:
        parent = ids["driver_node"][entity.parent_id]
        if entity.level == DriverLevel.AIM or parent.level not in ALLOWED_PARENT[entity.level]:
            raise _refuse(kind, entity, "it sits under the wrong kind of box.")
    if kind == "pdsa_cycle" and entity.change_idea_id in ids["driver_node"]:
        if ids["driver_node"][entity.change_idea_id].level != DriverLevel.CHANGE_IDEA:
            raise _refuse(kind, entity, "it does not test a change idea.")


def _check_links(kind: str, entity, ids: dict) -> str:
    """'' when every link resolves; a sentence for a broken optional link."""
    links = dict(LINKS[kind])
    if kind == "review":
        target = "project" if entity.subject == ReviewSubject.PROJECT else "measure"
        links["subject_id"] = target
    for name, target in links.items():
        value = getattr(entity, name)
        if value is None or value in ids[target]:
            continue
        if (kind, name) not in OPTIONAL_LINKS and kind != "review":
            raise _refuse(kind, entity, f"its {NOUNS[target]} is not in the bundle.")
        outcome = ("it will be left out" if kind in ("review", "pdsa_measure")
                   else "it will be imported without that link")
        return (f"A {NOUNS[kind]} ({label(kind, entity)}) refers to a {NOUNS[target]} that "
                f"is not in the bundle (deleted before the export); {outcome}.")
    return ""


def _check_unique(content: ProjectContent) -> None:
    """What the services keep unique: a cycle number per change idea, a link per cycle and
    measure, a period per (non-event) measure, a phase start per measure."""
    measures = {m.id: m for m in content.records["measure"]}
    keys = {
        "pdsa_cycle": ("cycle number", lambda c: (c.change_idea_id, c.cycle_number)),
        "pdsa_measure": ("cycle and measure", lambda k: (k.pdsa_cycle_id, k.measure_id)),
        "phase": ("start date", lambda p: (p.measure_id, p.start_date)),
        "data_point": ("period", lambda p: (
            None if measures[p.measure_id].frequency == Frequency.EVENT
            else (p.measure_id, p.period))),
    }
    for kind, (what, key_of) in keys.items():
        seen = set()
        for entity in content.records[kind]:
            key = key_of(entity)
            if key is not None and key in seen:
                raise _refuse(kind, entity, f"another {NOUNS[kind]} has the same {what}.")
            seen.add(key)
