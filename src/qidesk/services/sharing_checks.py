"""The rules a bundle's content must keep before an import may write it: every record
passes the domain checks, required links resolve, driver boxes form a proper tree, and
what the services keep unique stays unique. Broken optional links are put in words.
"""

from __future__ import annotations

from qidesk.domain import rules
from qidesk.domain.data_rules import check_data_point
from qidesk.domain.enums import DriverLevel, Frequency, ReviewSubject
from qidesk.domain.errors import ValidationError
from qidesk.services.drivers import ALLOWED_PARENT
from qidesk.services.sharing_format import (
    KINDS,
    LINKS,
    NOUNS,
    OPTIONAL_LINKS,
    BundleRejected,
    ProjectContent,
)


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
