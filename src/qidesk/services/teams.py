"""Staff names people sign in with, and teams (wards)."""

from __future__ import annotations

from sqlmodel import func, select

from qidesk.domain.changes import ChangeSet
from qidesk.domain.entities import Staff, Team
from qidesk.domain.errors import ValidationError
from qidesk.services import records
from qidesk.services.unit import Unit
from qidesk.services.workbook import Workbook
from qidesk.storage.tables import StaffRow, TeamRow


def _unique_name(table, label: str):
    """A check that no other live record of `table` has the same name (any case)."""
    def check(unit: Unit, entity) -> None:
        query = select(table.id).where(table.deleted_at.is_(None),
                                       func.lower(table.name) == entity.name.strip().lower())
        if entity.id is not None:
            query = query.where(table.id != entity.id)
        if unit.session.exec(query).first() is not None:
            raise ValidationError(f"There is already a {label} called {entity.name.strip()}.",
                                  field="name")
    return check


# No two live wards share a name (any case).
unique_team_name = _unique_name(TeamRow, "team")


def list_staff(wb: Workbook) -> list[Staff]:
    return records.list_live(wb, Staff, "name")


def add_staff(wb: Workbook, name: str, *, role: str = "",
              confirm_pid: bool = False) -> ChangeSet:
    """Add a name to sign in with, and optionally the person's role ("Staff nurse")."""
    return records.create(wb, Staff(name=name.strip(), role=role.strip()),
                          check=_unique_name(StaffRow, "person"), confirm_pid=confirm_pid)


def rename_staff(wb: Workbook, staff_id: int, name: str, *,
                 confirm_pid: bool = False) -> ChangeSet:
    return records.update(wb, Staff, staff_id, {"name": name.strip()},
                          check=_unique_name(StaffRow, "person"), confirm_pid=confirm_pid)


def set_staff_role(wb: Workbook, staff_id: int, role: str, *,
                   confirm_pid: bool = False) -> ChangeSet:
    """Change (or clear, with '') the role shown beside a name."""
    return records.update(wb, Staff, staff_id, {"role": role.strip()}, confirm_pid=confirm_pid)


def delete_staff(wb: Workbook, staff_id: int) -> ChangeSet:
    return records.delete(wb, Staff, staff_id)


def list_teams(wb: Workbook) -> list[Team]:
    return records.list_live(wb, Team, "name")


def get_team(wb: Workbook, team_id: int) -> Team:
    return records.get(wb, Team, team_id)


def add_team(wb: Workbook, team: Team, *, confirm_pid: bool = False) -> ChangeSet:
    """Add a ward or unit; `ChangeSet.id` is the new team's id."""
    return records.create(wb, team, check=unique_team_name, confirm_pid=confirm_pid)


def update_team(wb: Workbook, team_id: int, *, confirm_pid: bool = False,
                **changes) -> ChangeSet:
    return records.update(wb, Team, team_id, changes, check=unique_team_name,
                          confirm_pid=confirm_pid)


def delete_team(wb: Workbook, team_id: int) -> ChangeSet:
    """Soft delete: the team and everything under it can be restored."""
    return records.delete(wb, Team, team_id)
