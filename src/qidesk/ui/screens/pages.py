"""Which screen shows which kind of navigator row, loaded the first time it is needed.

A page is a QWidget made as `Page(wb, undo_stack, parent=None)` with:
- `show_record(kind, entity)`: show the navigator row's record (a Project, a change idea's
  DriverNode, a PdsaCycle...);
- `open_requested = Signal(str, int)`: the reader asked to go to another record
  (kind, id), e.g. a change idea's cycles or a measure's chart;
- `records_changed = Signal()`: something the navigator shows may have changed;
- optionally `sign_in_requested = Signal(str)`: an edit needs a name first (the page's
  action group connects it to the staff session, with the reason to show).
Modules load lazily so start-up pays only for the measure screen.
"""

from __future__ import annotations

from importlib import import_module

# kind of navigator row → "module:Class". Measures have their own screen (MeasureScreen).
PAGE_CLASSES: dict[str, str] = {
    "driver_diagram": "qidesk.ui.screens.driver_screen:DriverScreen",
    "project": "qidesk.ui.screens.project_screen:ProjectScreen",
    "pdsa_cycles": "qidesk.ui.screens.pdsa_timeline_screen:PdsaTimelineScreen",
    "pdsa_cycle": "qidesk.ui.screens.pdsa_screen:PdsaScreen",
    "change_idea": "qidesk.ui.screens.ramp_screen:RampScreen",
}


def page_class(kind: str):
    """The page class for a navigator row kind, or None when the row has no page."""
    target = PAGE_CLASSES.get(kind)
    if target is None:
        return None
    module, name = target.split(":")
    return getattr(import_module(module), name)
