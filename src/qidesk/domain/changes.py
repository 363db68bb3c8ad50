"""What a service call changed, so screens refresh only that (Anki's OpChanges idea)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class ChangeAction(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    RESTORED = "restored"


class Change(NamedTuple):
    """One changed record (a tuple: imports create 100,000 of these at a time)."""

    kind: str  # table name: "data_point", "measure", ...
    id: int
    action: ChangeAction


@dataclass(frozen=True)
class ChangeSet:
    """The records one service call changed; empty when nothing needed writing."""

    changes: tuple[Change, ...] = ()
    pid_warnings: dict[str, list[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.changes)

    @property
    def kinds(self) -> set[str]:
        return {c.kind for c in self.changes}

    def ids(self, kind: str, action: ChangeAction | None = None) -> list[int]:
        return [c.id for c in self.changes
                if c.kind == kind and (action is None or c.action == action)]

    @property
    def id(self) -> int:
        """Id of the first record changed: the new record of a create call."""
        if not self.changes:
            raise LookupError("nothing was changed")
        return self.changes[0].id
