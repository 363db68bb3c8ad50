"""Sharing a project between wards by bundle file: export, inspect, plan and import."""

from __future__ import annotations

import dataclasses
import json
import shutil
import struct
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qidesk.domain.entities import Annotation, DataPoint, Project, Team
from qidesk.domain.enums import AnnotationKind, ChartChoice, DriverLevel, ReviewSubject
from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import PidConfirmationRequired
from qidesk.services import (
    backups,
    data_points,
    drivers,
    history,
    measures,
    pdsa,
    projects,
    records,
    reviews,
    sharing,
    sharing_insert,
    teams,
)
from qidesk.services.demo import write_demo_workbook
from qidesk.services.mapping import TABLE_OF
from qidesk.services.sharing import BundleRejected
from qidesk.services.sharing_format import (
    FORMAT_VERSION,
    KINDS,
    Manifest,
    ProjectContent,
    encode_manifest,
    encode_payload,
    payload_checksum,
    write_bundle,
)
from qidesk.services.sharing_read import read_bundle
from qidesk.services.workbook import Workbook, open_workbook
from qidesk.storage.errors import StorageError
from qidesk.storage.tables import RECORD_TABLES

NHS_TEXT = "Mr A, NHS 943 476 5919, fell twice"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "ward7.qidesk"
    write_demo_workbook(path)
    return path


@pytest.fixture
def source(demo_file, tmp_path) -> Workbook:
    path = tmp_path / "ward7.qidesk"
    shutil.copy(demo_file, path)
    book = open_workbook(path, "Priya Shah", backup_folder=tmp_path / "source-backups")
    yield book
    book.close()


@pytest.fixture
def target(tmp_path) -> Workbook:
    book = open_workbook(tmp_path / "ward9.qidesk", "Ola Nowak", create=True,
                         backup_folder=tmp_path / "target-backups")
    yield book
    book.close()


@pytest.fixture
def ward9(target) -> int:
    return teams.add_team(target, Team(name="Ward 9 — Respiratory")).id


def project_id(wb: Workbook, title: str) -> int:
    found = [p.id for t in teams.list_teams(wb) for p in projects.list_projects(wb, t.id)
             if p.title == title]
    assert len(found) == 1, found
    return found[0]


FALLS = "Reducing inpatient falls"


def export(wb: Workbook, title: str, folder: Path) -> Path:
    path = folder / f"{title}.qidesk-project"
    sharing.export_project(wb, project_id(wb, title), path)
    return path


# --- what a project is, read back through the services --------------------------------

def project_records(wb: Workbook, pid: int) -> dict[str, list]:
    """Every live record of a project, by kind, through the ordinary read services."""
    found = {"project": [projects.get_project(wb, pid)],
             "project_member": projects.list_members(wb, pid),
             "progress_score": projects.score_history(wb, pid),
             "driver_node": drivers.driver_diagram(wb, pid),
             "measure": measures.list_measures(wb, pid),
             "review": reviews.list_reviews(wb, ReviewSubject.PROJECT, pid)}
    found["pdsa_cycle"] = [c for idea in drivers.change_ideas(wb, pid)
                           for c in pdsa.list_cycles(wb, idea.id)]
    found["pdsa_measure"] = [(c.id, m) for c in found["pdsa_cycle"]
                             for m in pdsa.linked_measures(wb, c.id)]
    for kind, read in (("data_point", data_points.list_data_points),
                       ("phase", measures.list_phases),
                       ("annotation", measures.list_annotations)):
        found[kind] = [r for m in found["measure"] for r in read(wb, m.id)]
    found["review"] += [r for m in found["measure"]
                        for r in reviews.list_reviews(wb, ReviewSubject.MEASURE, m.id)]
    return found


LINKS = {"project": {"team_id": None}, "project_member": {"project_id": "project"},
         "progress_score": {"project_id": "project"},
         "driver_node": {"project_id": "project", "parent_id": "driver_node"},
         "measure": {"project_id": "project"},
         "pdsa_cycle": {"change_idea_id": "driver_node", "prediction_measure_id": "measure"},
         "data_point": {"measure_id": "measure"}, "phase": {"measure_id": "measure"},
         "annotation": {"measure_id": "measure", "pdsa_cycle_id": "pdsa_cycle"},
         "review": {"subject_id": "subject"}}
ORDER = ["project", "project_member", "progress_score", "driver_node", "measure",
         "pdsa_cycle", "data_point", "phase", "annotation", "review"]


def _canonical(kind: str, entity, ids: dict | None) -> tuple:
    """All fields but the id; with `ids`, links are translated to the other workbook's ids."""
    values = []
    for f in dataclasses.fields(entity):
        value = getattr(entity, f.name)
        target = LINKS[kind].get(f.name, "")
        if f.name == "id" or (target is None):
            continue
        if target and ids is not None and value is not None:
            if target == "subject":
                target = "project" if entity.subject == ReviewSubject.PROJECT else "measure"
            value = ids[target][value]
        values.append((f.name, value))
    return tuple(values)


def assert_same_project(src: dict[str, list], dst: dict[str, list]) -> dict:
    """Pair every source record with an imported one equal in every field and whose links
    point at the imported counterparts of the source's linked records."""
    ids: dict[str, dict] = {}
    for kind in ORDER:
        assert len(src[kind]) == len(dst[kind]), kind
        unclaimed: dict[tuple, list[int]] = {}
        for record in dst[kind]:
            unclaimed.setdefault(_canonical(kind, record, None), []).append(record.id)
        ids[kind] = {}
        ordered = src[kind]
        if kind == "driver_node":  # parents are paired before their children
            ordered = sorted(ordered, key=lambda n: list(DriverLevel).index(n.level))
        for record in ordered:
            key = _canonical(kind, record, ids)
            assert unclaimed.get(key), f"no imported {kind} matches {record}"
            ids[kind][record.id] = unclaimed[key].pop(0)
    src_links = {(ids["pdsa_cycle"][c], ids["measure"][m]) for c, m in src["pdsa_measure"]}
    assert src_links == set(dst["pdsa_measure"])
    return ids


def everything(wb: Workbook) -> dict:
    """The whole workbook through the services: every record, deletions and audit trail."""
    found = {cls.__name__: records.list_live(wb, cls) for cls in TABLE_OF}
    found["deleted"] = records.list_deleted(wb)
    found["audit"] = history.audit_trail(wb, limit=10**9)
    found["links"] = [(c.id, pdsa.linked_measures(wb, c.id)) for c in found["PdsaCycle"]]
    return found


# --- round trip -------------------------------------------------------------------------

def _fill_every_field(wb: Workbook) -> None:
    """Give the fields the demo leaves at their defaults a value, so the round trip
    checks them too."""
    pid = project_id(wb, FALLS)
    projects.update_project(wb, pid, end_date=date(2026, 12, 31))
    falls_rate = measures.list_measures(wb, pid)[0]
    measures.set_baseline(wb, falls_rate.id, 12)
    measures.update_measure(wb, falls_rate.id, chart_choice=ChartChoice.RUN)
    point = data_points.list_data_points(wb, falls_rate.id)[2]
    data_points.update_data_point(wb, point.id, excluded=True,
                                  exclusion_reason="Ward closed to admissions (norovirus)")


def test_round_trip_reproduces_every_field_of_every_record(source, target, ward9, tmp_path):
    _fill_every_field(source)
    titles = [p.title for p in projects.list_projects(source, teams.list_teams(source)[0].id)]
    kinds_seen: dict[str, list] = {kind: [] for kind in [*ORDER, "pdsa_measure"]}
    for title in titles:
        bundle = export(source, title, tmp_path)
        new_id = sharing.import_project(target, bundle, ward9).id
        src = project_records(source, project_id(source, title))
        dst = project_records(target, new_id)
        assert_same_project(src, dst)
        assert dst["project"][0].team_id == ward9
        for kind in kinds_seen:
            kinds_seen[kind] += src[kind]
    for kind, found in kinds_seen.items():
        assert found, f"the demo exported no {kind}: the round trip did not test it"
    assert not _fields_left_at_default(kinds_seen)


def _fields_left_at_default(kinds_seen: dict[str, list]) -> list[str]:
    """Fields that no record sets to other than their default: untested by the round trip."""
    missing = []
    for kind in ORDER:
        for f in dataclasses.fields(kinds_seen[kind][0]):
            if f.default is dataclasses.MISSING:  # always set
                continue
            if all(getattr(r, f.name) == f.default for r in kinds_seen[kind]):
                missing.append(f"{kind}.{f.name}")
    return missing


def test_every_table_of_a_project_travels_in_the_bundle():
    shared = set(KINDS) | {"project"}
    assert set(RECORD_TABLES) - shared == {"staff", "team"}
    for kind, cls in KINDS.items():
        if kind != "pdsa_measure":
            assert TABLE_OF[cls].__tablename__ == kind


def test_bundle_manifest_counts_and_checksum(source, tmp_path):
    bundle = export(source, FALLS, tmp_path)
    with zipfile.ZipFile(bundle) as z:
        assert set(z.namelist()) == {"manifest.json", "project.json"}
        manifest = json.loads(z.read("manifest.json"))
        payload = z.read("project.json")
    assert manifest["format"] == "qidesk-project-bundle"
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["qidesk_version"] == "0.1.0"
    assert manifest["source_workbook"] == "ward7.qidesk"
    assert manifest["source_team"] == "Ward 7 — Elderly Care"
    assert manifest["exported_by"] == "Priya Shah"
    assert manifest["exported_at"].endswith("Z")
    assert manifest["payload_sha256"] == payload_checksum(payload)
    records_of = project_records(source, project_id(source, FALLS))
    assert manifest["counts"] == {k: len(v) for k, v in records_of.items()}
    assert not list(tmp_path.glob(".*partial"))


def test_deleted_records_stay_behind_and_broken_links_are_reported(source, target, ward9,
                                                                     tmp_path):
    pid = project_id(source, FALLS)
    before = project_records(source, pid)
    first = before["measure"][0]
    annotated = next(a for a in before["annotation"] if a.pdsa_cycle_id is not None)
    data_points.delete_data_point(source, before["data_point"][0].id)
    projects.remove_member(source, before["project_member"][0].id)
    pdsa.delete_cycle(source, annotated.pdsa_cycle_id)
    secondary = next(n for n in before["driver_node"] if n.level == DriverLevel.SECONDARY)
    drivers.delete_node(source, secondary.id)
    bundle = tmp_path / "falls.qidesk-project"
    summary = sharing.export_project(source, pid, bundle)
    after = project_records(source, pid)
    assert summary.counts["data_point"] == len(before["data_point"]) - 1
    assert summary.counts["project_member"] == len(before["project_member"]) - 1
    assert summary.counts["measure"] == len(before["measure"]) and first.id
    assert summary.counts["driver_node"] < len(after["driver_node"])  # the box's subtree
    assert any("left out" in note for note in summary.notes)
    plan = sharing.plan_import(target, bundle, ward9)
    assert any("chart annotation" in line and "PDSA cycle" in line
               for line in plan.unresolved_links)
    new_id = sharing.import_project(target, bundle, ward9).id
    imported = project_records(target, new_id)
    assert len(imported["data_point"]) == summary.counts["data_point"]
    same = [a for a in imported["annotation"] if a.text == annotated.text]
    assert same and same[0].pdsa_cycle_id is None


# --- refusing damaged and foreign bundles -------------------------------------------------

def _rewrite(bundle: Path, edit_payload=None, edit_manifest=None, fix_checksum=False) -> None:
    with zipfile.ZipFile(bundle) as z:
        manifest = json.loads(z.read("manifest.json"))
        payload = json.loads(z.read("project.json"))
    if edit_payload:
        edit_payload(payload)
    raw = json.dumps(payload).encode()
    if fix_checksum:  # and the counts, so only what the test broke can be the reason
        manifest["payload_sha256"] = payload_checksum(raw)
        manifest["counts"].update({k: len(payload[k]) for k in KINDS if k in payload})
    if edit_manifest:
        edit_manifest(manifest)
    with zipfile.ZipFile(bundle, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("project.json", raw)


def _refused(target: Workbook, bundle: Path, team_id: int) -> str:
    before = everything(target)
    with pytest.raises(BundleRejected) as refused:
        sharing.inspect_bundle(bundle)
    for attempt in (sharing.plan_import, sharing.import_project):
        with pytest.raises(BundleRejected):
            attempt(target, bundle, team_id)
    assert everything(target) == before
    assert not backups.list_backups(target)  # refused before the backup, too
    return refused.value.message


def test_a_changed_byte_is_refused_and_the_workbook_is_unchanged(source, target, ward9,
                                                                  tmp_path):
    bundle = export(source, FALLS, tmp_path)
    raw = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as z:
        info = z.getinfo("project.json")
    name_length, extra_length = struct.unpack("<HH", raw[info.header_offset + 26:
                                                         info.header_offset + 30])
    data_start = info.header_offset + 30 + name_length + extra_length  # zip local header
    middle = data_start + info.compress_size // 2
    raw[middle] ^= 0x01
    bundle.write_bytes(bytes(raw))
    assert "damaged" in _refused(target, bundle, ward9)


def test_an_edited_value_without_a_new_checksum_is_refused(source, target, ward9, tmp_path):
    bundle = export(source, FALLS, tmp_path)
    _rewrite(bundle, lambda p: p["data_point"][0].update(value=99.0))
    assert "does not match the checksum" in _refused(target, bundle, ward9)


@pytest.mark.parametrize("edit, reason", [
    (lambda p: p["progress_score"][0].update(score=7.0), "0.5 to 5.0"),
    (lambda p: p["measure"][0].update(value_type="percentage"), "measure 1, value_type"),
    (lambda p: p["data_point"][0].pop("comment"), "does not have the fields"),
    (lambda p: p["data_point"][0].update(measure_id=10**6), "measure is not in the bundle"),
    (lambda p: p["pdsa_cycle"].append(dict(p["pdsa_cycle"][0], id=10**6)),
     "has the same cycle number"),
    (lambda p: p["driver_node"][0].update(parent_id=p["driver_node"][-1]["id"]),
     "The aim is the root"),
    (lambda p: p["pdsa_measure"].append(p["pdsa_measure"][0]), "same cycle and measure"),
    (lambda p: p.update(extra=[]), "not laid out as a QIDesk project"),
])
def test_values_that_break_the_rules_are_refused_with_the_reason(
        source, target, ward9, tmp_path, edit, reason):
    bundle = export(source, FALLS, tmp_path)
    _rewrite(bundle, edit, fix_checksum=True)
    assert reason in _refused(target, bundle, ward9)


def test_foreign_files_are_refused_with_the_reason(target, ward9, tmp_path):
    random_bytes = tmp_path / "random.qidesk-project"
    random_bytes.write_bytes(bytes(range(256)) * 40)
    assert "not a zip file" in _refused(target, random_bytes, ward9)
    empty = tmp_path / "empty.qidesk-project"
    empty.write_bytes(b"")
    assert "not a zip file" in _refused(target, empty, ward9)
    foreign = tmp_path / "photos.zip"
    with zipfile.ZipFile(foreign, "w") as z:
        z.writestr("holiday.jpg", b"\xff\xd8\xff" + b"0" * 100)
    assert "without a manifest" in _refused(target, foreign, ward9)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("manifest.json", json.dumps({"format": "rota-export", "version": 3}))
        z.writestr("project.json", "{}")
    assert "'rota-export'" in _refused(target, other, ward9)
    with pytest.raises(BundleRejected, match="no file called"):
        sharing.inspect_bundle(tmp_path / "gone.qidesk-project")


def test_a_newer_format_version_is_refused_naming_both_versions(source, target, ward9,
                                                                tmp_path):
    bundle = export(source, FALLS, tmp_path)
    _rewrite(bundle, edit_manifest=lambda m: m.update(format_version=FORMAT_VERSION + 1,
                                                      qidesk_version="2.0.0"))
    message = _refused(target, bundle, ward9)
    assert f"version {FORMAT_VERSION + 1}" in message and "QIDesk 2.0.0" in message
    assert f"reads bundle format version {FORMAT_VERSION}" in message


# Any JSON value put anywhere in the payload (checksum fixed) is read, or refused with a
# reason: never another exception, never a half-read bundle.
_json_leaf = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
                       st.floats(allow_nan=False), st.text(max_size=30),
                       st.lists(st.integers(), max_size=2),
                       st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_values_are_read_or_refused_never_crash(demo_bundle_json, target, ward9,
                                                       tmp_path, data):
    payload = json.loads(demo_bundle_json[1])
    kind = data.draw(st.sampled_from(["project", *KINDS]))
    record = payload[kind] if kind == "project" else data.draw(st.sampled_from(payload[kind]))
    record[data.draw(st.sampled_from(sorted(record)))] = data.draw(_json_leaf)
    bundle = tmp_path / "fuzzed.qidesk-project"
    raw = json.dumps(payload).encode()
    manifest = dict(json.loads(demo_bundle_json[0]), payload_sha256=payload_checksum(raw))
    with zipfile.ZipFile(bundle, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("project.json", raw)
    try:
        preview = sharing.inspect_bundle(bundle)
    except BundleRejected as refused:
        assert refused.message.startswith("This bundle")
        return
    assert preview.content.counts() == manifest["counts"]
    title = f"Fuzzed {len(projects.list_projects(target, ward9))}"
    try:  # what the checks let through, the workbook takes
        new_id = sharing.import_project(target, bundle, ward9, as_title=title,
                                        confirm_pid=True).id
    except ValidationError as refused:  # only a title a fuzzed value made unusable
        assert refused.field == "title"
    else:
        assert project_records(target, new_id)["measure"]


@pytest.fixture(scope="module")
def demo_bundle_json(demo_file, tmp_path_factory) -> tuple[bytes, bytes]:
    folder = tmp_path_factory.mktemp("fuzz")
    copy = folder / "ward7.qidesk"
    shutil.copy(demo_file, copy)
    with open_workbook(copy, "Priya Shah", backup_folder=folder / "b") as wb:
        bundle = export(wb, FALLS, folder)
    with zipfile.ZipFile(bundle) as z:
        return z.read("manifest.json"), z.read("project.json")


_instants = st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2099, 1, 1),
                         timezones=st.just(UTC))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(points=st.lists(st.builds(
    DataPoint, id=st.integers(1, 10**6), measure_id=st.integers(1, 9),
    period=st.dates(), value=st.none() | st.floats(allow_nan=False, allow_infinity=False),
    comment=st.text(), excluded=st.booleans(), entered_by=st.text(max_size=20),
    entered_at=st.none() | _instants), max_size=5, unique_by=lambda p: p.id))
def test_the_bundle_codec_gives_back_exactly_what_it_was_given(points, tmp_path):
    """Every value survives the JSON: floats to the last bit, any text, instants to the
    microsecond (read back in UTC, as the workbook hands them out)."""
    content = ProjectContent(Project(id=1, team_id=0, title="Falls"),
                             {kind: () for kind in KINDS} | {"data_point": tuple(points)})
    bundle = tmp_path / "codec.qidesk-project"
    payload = encode_payload(content)
    manifest = Manifest(format_version=FORMAT_VERSION, qidesk_version="0.1.0",
                        exported_at=datetime.now(UTC), source_workbook="w", source_team="t",
                        exported_by="", project_title="Falls", counts=content.counts(),
                        payload_sha256=payload_checksum(payload))
    write_bundle(bundle, encode_manifest(manifest), payload)
    assert read_bundle(bundle) == (manifest, content)


# --- conflicts and importing ---------------------------------------------------------------

def test_a_title_clash_is_reported_and_import_as_a_copy_works(source, tmp_path):
    bundle = export(source, FALLS, tmp_path)
    team_id = teams.list_teams(source)[0].id
    plan = sharing.plan_import(source, bundle, team_id)
    assert plan.title_clash and not plan.can_import_as_is
    assert plan.suggested_title == f"{FALLS} (copy)"
    assert any("already has a project called" in line for line in plan.report())
    assert len(plan.measure_names_in_use) == 5 and not plan.unknown_staff
    before = everything(source)
    with pytest.raises(ValidationError, match="already has a project called"):
        sharing.import_project(source, bundle, team_id)
    assert everything(source) == before and not backups.list_backups(source)
    new_id = sharing.import_project(source, bundle, team_id, as_title=plan.suggested_title).id
    assert projects.get_project(source, new_id).title == f"{FALLS} (copy)"
    again = sharing.plan_import(source, bundle, team_id)
    assert again.suggested_title == f"{FALLS} (copy 2)"


def test_plan_lists_staff_names_unknown_here_and_imports_keep_them(source, target, ward9,
                                                                   tmp_path):
    bundle = export(source, FALLS, tmp_path)
    plan = sharing.plan_import(target, bundle, ward9)
    assert plan.can_import_as_is and not plan.title_clash
    assert "Lisa Duffy" in plan.unknown_staff  # the matron who signed reviews off
    entered = {p.entered_by for p in plan.preview.content.records["data_point"]}
    assert entered <= set(plan.unknown_staff)
    teams.add_staff(target, "Lisa Duffy")
    assert "Lisa Duffy" not in sharing.plan_import(target, bundle, ward9).unknown_staff
    new_id = sharing.import_project(target, bundle, ward9).id
    assert {r.reviewer for r in project_records(target, new_id)["review"]} == {"Lisa Duffy"}
    assert not teams.list_staff(target)[1:]  # no staff were added by the import


def test_plan_reports_measure_names_shared_in_the_bundle_or_used_here(source, target, ward9,
                                                                      tmp_path):
    pid = project_id(source, FALLS)
    first, second = measures.list_measures(source, pid)[:2]
    measures.update_measure(source, second.id, name=f" {first.name.upper()} ")
    bundle = export(source, FALLS, tmp_path)
    plan = sharing.plan_import(target, bundle, ward9)
    assert plan.duplicate_measure_names == tuple(sorted([first.name, f" {first.name.upper()} "]))
    assert not plan.measure_names_in_use
    assert any("Two or more measures" in line for line in plan.report())
    sharing.import_project(target, bundle, ward9)
    again = sharing.plan_import(target, bundle, ward9)
    assert first.name in again.measure_names_in_use and again.title_clash


def test_importing_twice_gives_two_independent_projects(source, target, ward9, tmp_path):
    bundle = export(source, FALLS, tmp_path)
    first = sharing.import_project(target, bundle, ward9).id
    second = sharing.import_project(target, bundle, ward9, as_title="Falls (second copy)").id
    one, two = project_records(target, first), project_records(target, second)
    for kind in ORDER:
        assert not {r.id for r in one[kind]} & {r.id for r in two[kind]}, kind
    assert_same_project(one, dict(two, project=[dataclasses.replace(
        two["project"][0], title=FALLS)]))
    data_points.delete_data_point(target, one["data_point"][0].id)
    measures.update_measure(target, one["measure"][0].id, name="Changed in the first only")
    assert project_records(target, second)["data_point"] == two["data_point"]
    assert project_records(target, second)["measure"] == two["measure"]


def test_import_is_audited_naming_its_source_and_backed_up_first(source, target, ward9,
                                                                tmp_path):
    bundle = export(source, FALLS, tmp_path)
    change = sharing.import_project(target, bundle, ward9)
    [event] = [e for e in history.audit_trail(target, "project", change.id)
               if e.action == "imported-project"]
    assert event.staff_name == "Ola Nowak"
    assert event.changes["bundle"][1] == bundle.name
    assert event.changes["source_workbook"][1] == "ward7.qidesk"
    assert event.changes["exported_at"][1].startswith(str(date.today().year))
    created = history.audit_trail(target, "data_point", limit=10**6)
    assert len(created) == len(project_records(target, change.id)["data_point"])
    assert {c.kind for c in change.changes} >= {"project", "measure", "data_point", "review"}
    assert [b.reason for b in backups.list_backups(target)] == ["before-import"]


def test_a_failure_part_way_writes_nothing(source, target, ward9, tmp_path, monkeypatch):
    bundle = export(source, FALLS, tmp_path)
    before = everything(target)

    def fail(*args):
        raise OSError(5, "Input/output error")  # e.g. the USB stick was pulled

    monkeypatch.setattr(sharing_insert, "_insert_points", fail)
    with pytest.raises(OSError):
        sharing.import_project(target, bundle, ward9)
    assert everything(target) == before


def test_patient_like_text_needs_confirming_and_is_withheld_from_the_audit(
        source, target, ward9, tmp_path):
    pid = project_id(source, FALLS)
    measure = measures.list_measures(source, pid)[0]
    measures.add_annotation(source, Annotation(measure_id=measure.id, on_date=date(2026, 1, 5),
                                               kind=AnnotationKind.DATA_ISSUE, text=NHS_TEXT),
                            confirm_pid=True)
    bundle = export(source, FALLS, tmp_path)
    plan = sharing.plan_import(target, bundle, ward9)
    assert any("NHS number" in line for line in plan.pid_warnings)
    assert "5919" not in " ".join(plan.report())
    before = everything(target)
    with pytest.raises(PidConfirmationRequired):
        sharing.import_project(target, bundle, ward9)
    assert everything(target) == before
    new_id = sharing.import_project(target, bundle, ward9, confirm_pid=True).id
    notes = project_records(target, new_id)["annotation"]
    assert NHS_TEXT in [a.text for a in notes]
    assert "5919" not in json.dumps([e.changes for e in history.audit_trail(target, limit=10**6)])


def test_export_replaces_a_file_only_with_a_complete_bundle(source, tmp_path, monkeypatch):
    bundle = export(source, FALLS, tmp_path)
    good = bundle.read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(zipfile.ZipFile, "writestr", full_disk)
        with pytest.raises(StorageError, match="disk is full"):
            sharing.export_project(source, project_id(source, FALLS), bundle)
    assert bundle.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    with pytest.raises(StorageError, match="could not be saved"):
        sharing.export_project(source, project_id(source, FALLS), tmp_path / "gone" / "x.zip")


def test_export_never_replaces_the_workbook_or_a_file_that_is_not_a_bundle(source, tmp_path):
    pid = project_id(source, FALLS)
    workbook_bytes = source.path.read_bytes()
    with pytest.raises(ValidationError, match="not a QIDesk project bundle"):
        sharing.export_project(source, pid, source.path)
    assert source.path.read_bytes() == workbook_bytes
    minutes = tmp_path / "falls meeting minutes.docx"
    minutes.write_bytes(b"minutes")
    with pytest.raises(ValidationError, match="choose another file name"):
        sharing.export_project(source, pid, minutes)
    assert minutes.read_bytes() == b"minutes"


def test_bundle_file_name_is_safe_on_windows():
    name = sharing.bundle_file_name('Falls: bay 3/4 "trial"?', date(2026, 11, 26))
    assert name == "Falls bay 3 4 trial 2026-11-26.qidesk-project"
    assert sharing.bundle_file_name("...", date(2026, 1, 2)) == "Project 2026-01-02.qidesk-project"


def test_export_works_from_a_read_only_workbook(demo_file, tmp_path):
    copy = tmp_path / "ward7.qidesk"
    shutil.copy(demo_file, copy)
    with open_workbook(copy, "Lisa Duffy", read_only=True,
                       backup_folder=tmp_path / "b") as matron:
        bundle = export(matron, FALLS, tmp_path)
    assert sharing.inspect_bundle(bundle).manifest.exported_by == "Lisa Duffy"


def test_refuses_to_import_into_a_missing_team_or_a_read_only_workbook(source, target,
                                                                     tmp_path):
    bundle = export(source, FALLS, tmp_path)
    with pytest.raises(ValidationError, match="no longer exists"):
        sharing.plan_import(target, bundle, 999)
    reader = open_workbook(source.path, "Lisa Duffy", read_only=True,
                           backup_folder=tmp_path / "r")
    try:
        with pytest.raises(Exception, match="read-only"):
            sharing.import_project(reader, bundle, teams.list_teams(reader)[0].id,
                                   as_title="Copy")
    finally:
        reader.close()
