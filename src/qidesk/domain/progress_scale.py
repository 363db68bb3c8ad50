"""The IHI progress scale (0.5-5.0): what each score means, for choosing and explaining one.

Wording follows IHI's Breakthrough Series assessment scale (IHI Innovation Series white
paper, "The Breakthrough Series", 2003, Appendix: assessment scale), shortened for a ward.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProgressLevel:
    score: float
    name: str
    explanation: str

    @property
    def label(self) -> str:
        """'3.5 Improvement': how a score is shown in lists."""
        return f"{self.score:.1f} {self.name}"


PROGRESS_LEVELS: tuple[ProgressLevel, ...] = (
    ProgressLevel(0.5, "Intent to participate",
                  "The team has agreed to take part but has not yet formed or met."),
    ProgressLevel(1.0, "Charter and team established",
                  "A team is formed with a charter; the population of focus is chosen. "
                  "No work on changes yet."),
    ProgressLevel(1.5, "Planning for the project has begun",
                  "The team meets, plans and starts baseline measurement. No changes tested."),
    ProgressLevel(2.0, "Activity, but no changes",
                  "The team is actively working (studying the process, gathering ideas, "
                  "measuring), but no changes have been tested."),
    ProgressLevel(2.5, "Changes tested, but no improvement",
                  "PDSA cycles are running and key measures are reported, but the measures "
                  "have not improved yet."),
    ProgressLevel(3.0, "Modest improvement",
                  "First test cycles are complete and some changes are being put in place; "
                  "process measures show moderate improvement."),
    ProgressLevel(3.5, "Improvement",
                  "Some improvement in outcome measures; process measures keep improving; "
                  "changes are tested and in place for many parts of the work."),
    ProgressLevel(4.0, "Significant improvement",
                  "Most changes are in place for the population of focus; outcome measures "
                  "show sustained improvement, with half of the goals reached."),
    ProgressLevel(4.5, "Sustainable improvement",
                  "Outcome measures stay improved and about three quarters of the goals are "
                  "reached; spread to a wider population has begun."),
    ProgressLevel(5.0, "Outstanding sustainable results",
                  "Every change is in place, all goals are reached and sustained, and the "
                  "changes are spreading to other wards or services."),
)


def progress_level(score: float) -> ProgressLevel | None:
    """The scale's level for a score (None when it is not one of the half steps)."""
    return next((level for level in PROGRESS_LEVELS if level.score == score), None)


def score_label(score: float) -> str:
    level = progress_level(score)
    return level.label if level is not None else f"{score:g}"
