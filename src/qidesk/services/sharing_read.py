"""Reading a project bundle strictly: the zip, the manifest, the checksum and every record
must be exactly as `sharing_format` writes them (in its format version or an older one);
anything else is refused with a plain reason.
"""

from __future__ import annotations

import hmac
import json
import math
import re
import types
import typing
import zipfile
import zlib
from datetime import date, datetime
from enum import Enum
from functools import cache
from pathlib import Path

from qidesk.domain import entities as e
from qidesk.services.sharing_format import (
    ADDED_LATER,
    FORMAT_NAME,
    FORMAT_VERSION,
    KINDS,
    MANIFEST_NAME,
    NOUNS,
    PAYLOAD_NAME,
    PROJECT_LEFT_OUT,
    BundleRejected,
    Manifest,
    ProjectContent,
    as_utc,
    payload_checksum,
)

# Far above any ward's project (a trust-sized one is a few MB); stops a zip bomb.
MAX_ENTRY_BYTES = 512 * 1024 * 1024
_NOT_OURS = "This file is not a QIDesk project bundle"
_LARGEST_INT = 2**63  # SQLite's INTEGER range
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


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
                             left_out=PROJECT_LEFT_OUT, team_id=0)
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
        specs = [s for s in specs if s[0] in data or s[0] not in ADDED_LATER.get(cls, ())]
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
            return as_utc(datetime.fromisoformat(value))
        if kind is date:
            return date.fromisoformat(value)
        if isinstance(kind, type) and issubclass(kind, Enum):
            return kind(value)
    raise TypeError


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
