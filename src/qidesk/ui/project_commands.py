"""Undoable changes to projects, their members and their progress scores, each calling
one service in services.projects (soft deletes are restored on redo, never re-created)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from qidesk.domain.entities import ProgressScore, Project, ProjectMember, Team
from qidesk.domain.rules import PidConfirmationRequired
from qidesk.services import history, projects
from qidesk.services.workbook import Workbook
from qidesk.ui.undo import ServiceCommand, push
from qidesk.ui.widgets.pid_prompt import confirm_pid


def push_confirmed(parent: QWidget, stack: QUndoStack | None,
                   make: Callable[[bool], ServiceCommand]) -> ServiceCommand | None:
    """Run the command `make(confirm_pid)` builds and stack it; if its text looks like patient
    data, ask first. None when the user backs out. ValidationError and StorageError reach
    the caller (nothing was saved) so it can show them beside the field."""
    for confirmed in (False, True):
        command = make(confirmed)
        try:
            if stack is None:
                command.first_run()
            else:
                push(stack, command)
        except PidConfirmationRequired as exc:
            if confirmed or not confirm_pid(parent, exc.warnings):
                return None
            continue
        return command
    return None


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


class AddProjectCommand(ServiceCommand):
    """A new project; with `new_team`, in that new ward (undo removes both)."""

    def __init__(self, wb: Workbook, project: Project, *, new_team: Team | None = None,
                 confirm_pid: bool = False):
        super().__init__(wb, f"new project “{_short(project.title)}”")
        self.project, self.new_team, self.confirm_pid = project, new_team, confirm_pid
        self.project_id: int | None = None
        self.team_id: int | None = None  # the ward made with it, if any

    def run(self) -> None:
        if self.new_team is None:
            self.project_id = projects.add_project(self.wb, self.project,
                                                   confirm_pid=self.confirm_pid).id
            return
        made = projects.add_project_in_new_team(self.wb, self.new_team, self.project,
                                                confirm_pid=self.confirm_pid)
        [self.team_id], [self.project_id] = made.ids("team"), made.ids("project")

    def apply(self) -> None:
        team = [("team", self.team_id)] if self.team_id is not None else []
        history.restore_records(self.wb, team + [("project", self.project_id)])

    def revert(self) -> None:
        projects.delete_project(self.wb, self.project_id, team_id=self.team_id)


class DeleteProjectCommand(ServiceCommand):
    def __init__(self, wb: Workbook, project: Project):
        super().__init__(wb, f"deleting project “{_short(project.title)}”")
        self.project_id = project.id

    def run(self) -> None:
        projects.delete_project(self.wb, self.project_id)

    def revert(self) -> None:
        history.restore_record(self.wb, "project", self.project_id)


class EditProjectCommand(ServiceCommand):
    """Save the project form: only the fields that changed; undo puts the old ones back."""

    def __init__(self, wb: Workbook, old: Project, new: dict, *, confirm_pid: bool = False):
        super().__init__(wb, f"changes to project “{_short(new.get('title', old.title))}”")
        self.project_id = old.id
        self.new = {k: v for k, v in new.items() if getattr(old, k) != v}
        self.old = {k: getattr(old, k) for k in self.new}
        self.confirm_pid = confirm_pid

    def run(self) -> None:
        projects.update_project(self.wb, self.project_id, confirm_pid=self.confirm_pid,
                                **self.new)

    def apply(self) -> None:
        projects.update_project(self.wb, self.project_id, confirm_pid=True, **self.new)

    def revert(self) -> None:
        projects.update_project(self.wb, self.project_id, confirm_pid=True, **self.old)


class AddMemberCommand(ServiceCommand):
    def __init__(self, wb: Workbook, member: ProjectMember, *, confirm_pid: bool = False):
        super().__init__(wb, f"adding {_short(member.name)} to the team")
        self.member, self.confirm_pid = member, confirm_pid
        self.member_id: int | None = None

    def run(self) -> None:
        self.member_id = projects.add_member(self.wb, self.member,
                                             confirm_pid=self.confirm_pid).id

    def apply(self) -> None:
        history.restore_record(self.wb, "project_member", self.member_id)

    def revert(self) -> None:
        projects.remove_member(self.wb, self.member_id)


class EditMemberCommand(ServiceCommand):
    def __init__(self, wb: Workbook, old: ProjectMember, name: str, role: str, *,
                 confirm_pid: bool = False):
        super().__init__(wb, f"change to {_short(name)}")
        self.member_id = old.id
        self.old, self.new = {"name": old.name, "role": old.role}, {"name": name, "role": role}
        self.confirm_pid = confirm_pid

    def run(self) -> None:
        projects.update_member(self.wb, self.member_id, confirm_pid=self.confirm_pid, **self.new)

    def apply(self) -> None:
        projects.update_member(self.wb, self.member_id, confirm_pid=True, **self.new)

    def revert(self) -> None:
        projects.update_member(self.wb, self.member_id, confirm_pid=True, **self.old)


class RemoveMemberCommand(ServiceCommand):
    def __init__(self, wb: Workbook, member: ProjectMember):
        super().__init__(wb, f"removing {_short(member.name)} from the team")
        self.member_id = member.id

    def run(self) -> None:
        projects.remove_member(self.wb, self.member_id)

    def revert(self) -> None:
        history.restore_record(self.wb, "project_member", self.member_id)


class RecordScoreCommand(ServiceCommand):
    def __init__(self, wb: Workbook, score: ProgressScore, *, confirm_pid: bool = False):
        super().__init__(wb, f"progress score {score.score:.1f}")
        self.score, self.confirm_pid = score, confirm_pid
        self.score_id: int | None = None

    def run(self) -> None:
        self.score_id = projects.record_score(self.wb, self.score,
                                              confirm_pid=self.confirm_pid).id

    def apply(self) -> None:
        history.restore_record(self.wb, "progress_score", self.score_id)

    def revert(self) -> None:
        projects.delete_score(self.wb, self.score_id)
