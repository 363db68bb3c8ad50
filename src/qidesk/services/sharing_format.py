"""The project bundle file: one zip holding a manifest and one JSON payload.

    manifest.json  format, format_version, qidesk_version, exported_at (UTC), source_workbook,
                   source_team, exported_by, project_title, counts, payload_sha256
    project.json   {"project": {...}, "project_member": [...], "driver_node": [...], ...}

Records keep the entity field names; `id` and the links are the exporting workbook's ids,
which only identify records inside the bundle (the import gives every record a new id).
Reading is strict: anything but the layout written here is refused with a plain reason
(`sharing_read`); `sharing_checks` holds the domain rules the content must keep.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path

from qidesk.domain import entities as e
from qidesk.domain.enums import DriverLevel
from qidesk.domain.errors import ValidationError
from qidesk.services.mapping import field_names
from qidesk.storage.engine import fsync_folder

FORMAT_NAME = "qidesk-project-bundle"
FORMAT_VERSION = 2  # 2: PDSA cycles carry their Study and Act dates and prediction direction
BUNDLE_SUFFIX = ".qidesk-project"
MANIFEST_NAME = "manifest.json"
PAYLOAD_NAME = "project.json"


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
ADDED_LATER = {e.PdsaCycle: ("studied_on", "decided_on", "prediction_direction")}
# The target team is chosen at import, so the payload does not carry the project's team.
PROJECT_LEFT_OUT = ("team_id",)
_LEVEL_ORDER = list(DriverLevel)


def parents_first(nodes) -> list:
    """Driver boxes by level from the aim down, then id: every box after its parent."""
    return sorted(nodes, key=lambda n: (_LEVEL_ORDER.index(n.level), n.id))


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
    payload = {"project": _encode(content.project, PROJECT_LEFT_OUT)}
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


def _encode(entity, left_out: tuple[str, ...] = ()) -> dict:
    return {name: _json_value(getattr(entity, name))
            for name in field_names(type(entity)) if name not in left_out}


def _json_value(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return as_utc(value).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def as_utc(moment: datetime) -> datetime:
    """Instants as the workbook hands them out: aware, in UTC (naive is taken as UTC)."""
    if moment.utcoffset() is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
