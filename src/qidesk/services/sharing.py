"""Sharing a project between wards without a network: export it to one bundle file, and
import a bundle into another workbook (conflict report first, new ids, all or nothing).

The bundle layout is in `sharing_format` (read by `sharing_read`, checked by
`sharing_checks`); `sharing_collect` and `sharing_insert` move records out of and into a
workbook. This module holds the use cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

import qidesk
from qidesk.domain.changes import ChangeSet
from qidesk.domain.entities import TITLE_MAX, Project, Team
from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import PidConfirmationRequired, check_text, pid_findings
from qidesk.services import projects, records, teams
from qidesk.services.mapping import to_entity
from qidesk.services.sharing_checks import check_content, label
from qidesk.services.sharing_collect import collect_content
from qidesk.services.sharing_format import (
    BUNDLE_SUFFIX,
    FORMAT_VERSION,
    KINDS,
    NOUNS,
    BundleRejected,
    Manifest,
    ProjectContent,
    encode_manifest,
    encode_payload,
    payload_checksum,
    write_bundle,
)
from qidesk.services.sharing_insert import write_content
from qidesk.services.sharing_read import is_bundle, read_bundle
from qidesk.services.unit import reading, writing
from qidesk.services.workbook import Workbook
from qidesk.storage.errors import StorageError, translate
from qidesk.storage.tables import MeasureRow, ProjectRow, TeamRow

__all__ = ["BundleRejected", "BundlePreview", "ExportSummary", "ImportPlan", "bundle_file_name",
           "export_project", "import_project", "inspect_bundle", "plan_import"]


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    project_title: str
    counts: dict[str, int]  # records per kind (table name), "project" included
    payload_sha256: str
    notes: tuple[str, ...]  # what the bundle could not carry, in plain words


@dataclass(frozen=True)
class BundlePreview:
    """A bundle that passed every check, read without writing anything."""

    path: Path
    manifest: Manifest
    content: ProjectContent
    unresolved_links: tuple[str, ...]  # links an import will drop, in plain words

    @property
    def project_title(self) -> str:
        return self.content.project.title


@dataclass(frozen=True)
class ImportPlan:
    """What importing the bundle into a team would do, before anything is written."""

    preview: BundlePreview
    team_id: int
    team_name: str
    title_clash: bool  # the team already has a project with the bundle's title
    suggested_title: str  # a free title for "import as a copy"
    duplicate_measure_names: tuple[str, ...]  # names two measures of the bundle share
    measure_names_in_use: tuple[str, ...]  # names measures elsewhere in this workbook have
    unknown_staff: tuple[str, ...]  # entered_by / reviewer names not on this workbook's list
    unresolved_links: tuple[str, ...]
    pid_warnings: tuple[str, ...]  # records whose text looks patient-identifiable

    @property
    def can_import_as_is(self) -> bool:
        return not self.title_clash

    def report(self) -> list[str]:
        """The conflicts and warnings as sentences for a confirmation dialog."""
        lines = []
        if self.title_clash:
            lines.append(f"{self.team_name} already has a project called "
                         f"'{self.preview.project_title}'. Import it as a copy called "
                         f"'{self.suggested_title}' (or another new title), or stop.")
        lines += [f"Two or more measures in the bundle are called '{n}'."
                  for n in self.duplicate_measure_names]
        lines += [f"A measure called '{n}' already exists in this workbook; both keep the "
                  f"name, each under its own project." for n in self.measure_names_in_use]
        if self.unknown_staff:
            lines.append("Not on this workbook's staff list (kept as recorded text): "
                         + ", ".join(self.unknown_staff) + ".")
        return lines + list(self.unresolved_links) + list(self.pid_warnings)


def export_project(wb: Workbook, project_id: int, path: Path) -> ExportSummary:
    """Write the project and everything that belongs to it (never deleted records) to a
    bundle file at `path`, replacing it only once the new bundle is complete."""
    path = Path(path)
    _check_destination(path)
    with reading(wb) as session:
        project = to_entity(Project, records.live_row(session, Project, project_id))
        team = session.get(TeamRow, project.team_id)
        content, left_out = collect_content(session, project)
    try:
        unresolved = check_content(content)
    except BundleRejected as exc:
        raise ValidationError(f"This project cannot be exported: {exc.message}",
                              field="project") from None
    payload = encode_payload(content)
    manifest = Manifest(
        format_version=FORMAT_VERSION, qidesk_version=qidesk.__version__,
        exported_at=datetime.now(UTC), source_workbook=wb.path.name,
        source_team=team.name if team else "", exported_by=wb.staff_name,
        project_title=project.title, counts=content.counts(),
        payload_sha256=payload_checksum(payload))
    try:
        write_bundle(path, encode_manifest(manifest), payload)
    except OSError as exc:  # full disk, read-only share, pulled USB stick: nothing written
        raise translate(exc) or StorageError(
            f"The bundle could not be saved in {path.parent} ({exc.strerror or exc}).") from exc
    notes = (left_out,) if left_out else ()
    return ExportSummary(path, project.title, manifest.counts, manifest.payload_sha256,
                         notes + unresolved)


def bundle_file_name(project_title: str, on: date) -> str:
    """A file name to offer when saving, e.g. 'Reducing falls 2026-11-26.qidesk-project'
    (characters Windows forbids in file names become spaces)."""
    safe = " ".join(re.sub(r'[<>:"/\\|?*\x00-\x1f]', " ", project_title).split())
    safe = safe.strip(" .")[:80].strip()
    return f"{safe or 'Project'} {on.isoformat()}{BUNDLE_SUFFIX}"


def _check_destination(path: Path) -> None:
    """Only a bundle may be replaced: never the workbook itself, or any other file."""
    if path.exists() and not is_bundle(path):
        raise ValidationError(f"{path.name} already exists and is not a QIDesk project "
                              "bundle; choose another file name.", field="path")


def inspect_bundle(path: Path) -> BundlePreview:
    """Read and check a bundle without writing anything; BundleRejected says what is wrong
    (not a bundle, damaged, changed since export, newer format, records QIDesk refuses)."""
    manifest, content = read_bundle(Path(path))
    unresolved = check_content(content)
    return BundlePreview(Path(path), manifest, content, unresolved)


def plan_import(wb: Workbook, path: Path, team_id: int) -> ImportPlan:
    """The conflict report for importing a bundle into a team; writes nothing."""
    preview = inspect_bundle(path)
    team = teams.get_team(wb, team_id)
    content = preview.content
    titles = [p.title for p in projects.list_projects(wb, team_id)]
    title = content.project.title
    names = [m.name for m in content.records["measure"]]
    keys = [_key(n) for n in names]
    in_use = _measure_names_in_use(wb)
    staff = {_key(s.name) for s in teams.list_staff(wb)}
    people = {p.entered_by for p in content.records["data_point"]} | {
        r.reviewer for r in content.records["review"]}
    return ImportPlan(
        preview, team_id, team.name, _key(title) in map(_key, titles),
        _free_title(title, titles), tuple(sorted({n for n in names if keys.count(_key(n)) > 1})),
        tuple(sorted({n for n in names if _key(n) in in_use})),
        tuple(sorted(p for p in people if p.strip() and _key(p) not in staff)),
        preview.unresolved_links, tuple(_pid_sentences(content)))


def _key(name: str) -> str:
    """Names compare as people read them: ignoring case and surrounding spaces."""
    return name.strip().casefold()


def _free_title(title: str, taken: list[str]) -> str:
    """'Title (copy)', 'Title (copy 2)'...: the first not taken, within the title limit."""
    taken_keys = {_key(t) for t in taken}
    number = 1
    while True:
        suffix = " (copy)" if number == 1 else f" (copy {number})"
        candidate = title.strip()[: TITLE_MAX - len(suffix)] + suffix
        if _key(candidate) not in taken_keys:
            return candidate
        number += 1


def _measure_names_in_use(wb: Workbook) -> set[str]:
    m, p = MeasureRow, ProjectRow
    query = select(m.name).join(p, p.id == m.project_id).where(
        m.deleted_at.is_(None), p.deleted_at.is_(None))
    with reading(wb) as session:
        return {_key(name) for name in session.scalars(query)}


def _flagged(content: ProjectContent) -> dict[int, dict[str, list[str]]]:
    """Patient-data guard findings by record (keyed by id() of the content's entities),
    worked out once: it reads every comment of every data point."""
    return {id(entity): found for kind in ("project", *KINDS) for entity in content.of(kind)
            if (found := pid_findings(entity))}


def _pid_sentences(content: ProjectContent) -> list[str]:
    """Which records hold text the patient-data guard flags (never the text itself)."""
    flagged = _flagged(content)
    return [f"{NOUNS[kind].capitalize()} {label(kind, entity, flagged[id(entity)])}: "
            f"the {name.replace('_', ' ')} {' and '.join(reasons)}."
            for kind in ("project", *KINDS) for entity in content.of(kind)
            if id(entity) in flagged for name, reasons in flagged[id(entity)].items()]


def import_project(wb: Workbook, path: Path, team_id: int, *, as_title: str | None = None,
                   confirm_pid: bool = False) -> ChangeSet:
    """Import a bundle into a team as a new project: every record gets a new id, the
    workbook is backed up first, and one transaction writes all of it or nothing.

    A title the team already uses needs `as_title` (a copy); text that looks
    patient-identifiable needs `confirm_pid=True`. `ChangeSet.id` is the new project.
    """
    wb.require_writable()
    preview = inspect_bundle(path)
    teams.get_team(wb, team_id)  # a plain message if the team has gone
    title = (as_title if as_title is not None else preview.project_title).strip()
    content = replace(preview.content, project=replace(
        preview.content.project, team_id=team_id, title=title))
    check_text(content.project)
    with reading(wb) as session:  # refuse before the backup, and again when writing
        _title_is_free(session, team_id, title)
    flagged = _flagged(content)
    if flagged and not confirm_pid:
        raise PidConfirmationRequired(_merged(flagged.values()))
    wb.backup_now("before-import")
    with writing(wb) as unit:
        records.require(unit.session, Team, team_id, "team_id")
        _title_is_free(unit.session, team_id, title)
        project_id = write_content(unit, content, flagged)
        unit.audit("imported-project", "project", project_id,
                   _source_facts(preview, Path(path).name))
    return unit.result()


def _merged(findings) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for found in findings:
        for name, reasons in found.items():
            merged.setdefault(name, [])
            merged[name] += [r for r in reasons if r not in merged[name]]
    return merged


def _title_is_free(session: Session, team_id: int, title: str) -> None:
    query = select(ProjectRow.title).where(ProjectRow.team_id == team_id,
                                           ProjectRow.deleted_at.is_(None))
    if _key(title) in {_key(t) for t in session.scalars(query)}:
        raise ValidationError(f"This team already has a project called '{title}'. Import it "
                              "as a copy with a new title, or stop.", field="title")


def _source_facts(preview: BundlePreview, file_name: str) -> dict:
    m = preview.manifest
    return {"bundle": (None, file_name), "source_workbook": (None, m.source_workbook),
            "source_team": (None, m.source_team), "exported_at": (None, m.exported_at),
            "exported_by": (None, m.exported_by),
            "title_in_bundle": (None, preview.project_title)}
