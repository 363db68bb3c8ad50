"""The family-of-measures check: outcome, process and balancing measures, each defined.

IHI asks every project for a balanced set (Provost & Murray, The Health Care Data Guide,
ch. 2): outcome measures say whether the aim is met, process measures whether the changes
are being done, balancing measures whether something else got worse. A measure without an
operational definition cannot be compared over time, so it is flagged too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from qidesk.domain.entities import Measure
from qidesk.domain.enums import MeasureKind
from qidesk.services import measures
from qidesk.services.workbook import Workbook

# Why each kind matters, asked as the question the team should answer.
MISSING_KIND = {
    MeasureKind.OUTCOME: "No outcome measure yet: how will you know your aim has been met? "
                         "Add the measure your aim names.",
    MeasureKind.PROCESS: "No process measure yet: is the change being done as planned? "
                         "Count how often it happens.",
    MeasureKind.BALANCING: "No balancing measure yet: what could get worse because of this "
                           "change?",
}
KIND_WORDS = {MeasureKind.OUTCOME: "outcome", MeasureKind.PROCESS: "process",
              MeasureKind.BALANCING: "balancing"}


@dataclass(frozen=True)
class FamilyPrompt:
    """One gap in the family: a kind to add (measure_id None) or a measure to define."""

    text: str
    kind: MeasureKind
    measure_id: int | None = None

    @property
    def action(self) -> str:
        """The button's words: what the team can do about it now."""
        if self.measure_id is None:
            return f"Add a {KIND_WORDS[self.kind]} measure…"
        return "Write its definition…"


@dataclass(frozen=True)
class FamilyCheck:
    counts: dict[MeasureKind, int]
    prompts: tuple[FamilyPrompt, ...]

    @property
    def complete(self) -> bool:
        return not self.prompts

    def summary(self) -> str:
        """'Outcome 3 · Process 1 · Balancing 0'."""
        return " · ".join(f"{KIND_WORDS[k].capitalize()} {self.counts[k]}" for k in MeasureKind)


def check_measures(project_measures: Iterable[Measure]) -> FamilyCheck:
    """The gaps in a project's measures, missing kinds first (outcome, process, balancing)."""
    found = list(project_measures)
    counts = {kind: sum(1 for m in found if m.kind == kind) for kind in MeasureKind}
    prompts = [FamilyPrompt(MISSING_KIND[kind], kind) for kind in MeasureKind if not counts[kind]]
    prompts += [FamilyPrompt(f"“{m.name}” ({KIND_WORDS[m.kind]}) has no operational definition: "
                             "say exactly what is counted, from which source, and what is "
                             "left out.", m.kind, m.id)
                for m in found if not m.definition.strip()]
    return FamilyCheck(counts, tuple(prompts))


def check_family(wb: Workbook, project_id: int) -> FamilyCheck:
    return check_measures(measures.list_measures(wb, project_id))
