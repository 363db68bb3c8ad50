"""Editing a driver diagram in a real workbook: insert at a place, move, promote and
demote, delete a branch and bring it back; each one transaction with its audit trail."""

from __future__ import annotations

import pytest

from qidesk.domain.entities import DriverNode
from qidesk.domain.enums import ChangeIdeaStatus, DriverLevel
from qidesk.domain.errors import ValidationError
from qidesk.services import drivers, history

from conftest import make_ward

A, P, S, CI = DriverLevel.AIM, DriverLevel.PRIMARY, DriverLevel.SECONDARY, DriverLevel.CHANGE_IDEA


@pytest.fixture
def tree(wb):
    """Aim; primaries Mobility, Medicines; Mobility → secondary Footwear → two ideas."""
    project = make_ward(wb).project_id

    def add(level, text, parent=None, index=None):
        return drivers.add_node_at(wb, DriverNode(project_id=project, parent_id=parent,
                                                  level=level, text=text), index).id

    aim = add(A, "Halve falls by March")
    mobility = add(P, "Mobility", aim)
    medicines = add(P, "Medicines", aim)
    footwear = add(S, "Footwear", mobility)
    socks = add(CI, "Non-slip socks", footwear)
    shoes = add(CI, "Own shoes checked", footwear)
    return dict(project=project, aim=aim, mobility=mobility, medicines=medicines,
                footwear=footwear, socks=socks, shoes=shoes, add=add)


def _under(wb, project, parent_id):
    return [(n.text, n.position) for n in drivers.driver_diagram(wb, project)
            if n.parent_id == parent_id]


def _node(wb, project, node_id):
    return next(n for n in drivers.driver_diagram(wb, project) if n.id == node_id)


def test_a_box_added_at_a_place_pushes_its_later_siblings_down(wb, tree):
    tree["add"](P, "Staffing", tree["aim"], 1)
    assert _under(wb, tree["project"], tree["aim"]) == [
        ("Mobility", 0), ("Staffing", 1), ("Medicines", 2)]
    idea = _node(wb, tree["project"], tree["socks"])
    assert idea.status == ChangeIdeaStatus.UNTESTED


def test_reorder_within_a_parent_is_one_audited_step(wb, tree):
    changes = drivers.move_node(wb, tree["shoes"], tree["footwear"], 0)
    assert _under(wb, tree["project"], tree["footwear"]) == [
        ("Own shoes checked", 0), ("Non-slip socks", 1)]
    assert set(changes.ids("driver_node")) == {tree["shoes"], tree["socks"]}
    events = history.audit_trail(wb, "driver_node", tree["shoes"])
    assert events[0].changes["position"] == [1, 0] and events[0].staff_name == "Sam Jones"


def test_promote_a_secondary_takes_its_ideas_and_closes_the_gap(wb, tree):
    drivers.move_node(wb, tree["footwear"], tree["aim"], 1)
    footwear = _node(wb, tree["project"], tree["footwear"])
    assert footwear.level == P and footwear.parent_id == tree["aim"]
    assert _under(wb, tree["project"], tree["aim"]) == [
        ("Mobility", 0), ("Footwear", 1), ("Medicines", 2)]
    assert [t for t, _ in _under(wb, tree["project"], tree["footwear"])] == [
        "Non-slip socks", "Own shoes checked"]


def test_demote_a_primary_under_its_sibling_and_move_an_idea_across(wb, tree):
    drivers.move_node(wb, tree["medicines"], tree["mobility"], 5)
    medicines = _node(wb, tree["project"], tree["medicines"])
    assert medicines.level == S
    assert _under(wb, tree["project"], tree["mobility"]) == [("Footwear", 0), ("Medicines", 1)]
    drivers.move_node(wb, tree["socks"], tree["medicines"], 0)
    socks = _node(wb, tree["project"], tree["socks"])
    assert (socks.parent_id, socks.level, socks.position) == (tree["medicines"], CI, 0)
    assert _under(wb, tree["project"], tree["footwear"]) == [("Own shoes checked", 0)]


@pytest.mark.parametrize("node, parent, words", [
    ("mobility", "footwear", "under itself or a box below it"),
    ("mobility", "medicines", "secondary drivers under it"),
    ("footwear", "footwear", "under itself"),
    ("medicines", "footwear", "only change ideas can"),
    ("aim", "mobility", "aim stays at the root"),
    ("socks", "aim", "cannot sit under"),
])
def test_moves_that_break_the_tree_are_refused_and_change_nothing(wb, tree, node, parent, words):
    before = drivers.driver_diagram(wb, tree["project"])
    with pytest.raises(ValidationError, match=words):
        drivers.move_node(wb, tree[node], tree[parent], 0)
    assert drivers.driver_diagram(wb, tree["project"]) == before


def test_delete_branch_removes_the_box_and_everything_under_it_and_restores(wb, tree):
    changes = drivers.delete_branch(wb, tree["footwear"])
    assert changes.ids("driver_node") == [tree["footwear"], tree["socks"], tree["shoes"]]
    texts = [n.text for n in drivers.driver_diagram(wb, tree["project"])]
    assert texts == ["Halve falls by March", "Mobility", "Medicines"]
    drivers.restore_branch(wb, changes.ids("driver_node"))
    assert len(drivers.driver_diagram(wb, tree["project"])) == 6
    with pytest.raises(ValidationError):
        drivers.restore_branch(wb, [tree["socks"]])
