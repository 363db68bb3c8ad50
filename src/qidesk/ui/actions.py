"""The groups of actions (menus, navigator row actions) the workbook controller sets up.

Each entry is "module:Class"; the class is made as `Class(controller)` when the main
window is built, adds its QActions to `controller.window.menu(title)` and, on
`controller.workbook_opened`, its navigator row actions to `controller.screen.row_actions`.
Keep these modules light at import (load dialogs and reports inside the handlers):
they load before the first workbook opens.
"""

from __future__ import annotations

from importlib import import_module

from PySide6.QtGui import QAction, QKeySequence

ACTION_CLASSES: list[str] = [
    "qidesk.ui.project_actions:ProjectActions",
    "qidesk.ui.driver_actions:DriverActions",
    "qidesk.ui.review_actions:ReviewActions",
    "qidesk.ui.report_actions:ReportActions",
    "qidesk.ui.pdsa_actions:PdsaActions",
    "qidesk.ui.pdsa_print_actions:PdsaPrintActions",
    "qidesk.ui.sharing_actions:SharingActions",
]


def action_groups(controller) -> list:
    """Make every registered action group for `controller`."""
    groups = []
    for target in ACTION_CLASSES:
        module, name = target.split(":")
        groups.append(getattr(import_module(module), name)(controller))
    return groups


def menu_action(parent, text: str, tip: str, shortcut=None) -> QAction:
    """A menu action whose tip shows as its tooltip and in the status bar; `shortcut` is
    a key sequence or a list of them."""
    action = QAction(text, parent)
    action.setToolTip(tip)
    action.setStatusTip(tip)
    if shortcut is not None:
        keys = shortcut if isinstance(shortcut, list) else [shortcut]
        action.setShortcuts([QKeySequence(k) for k in keys])
    return action
