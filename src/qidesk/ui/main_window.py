"""QIDesk's main window: the frame every screen lives in (menus, toolbar, status bar)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qidesk.ui.actions import menu_action

WINDOW_TITLE = "QIDesk"
WORKBOOK_SUFFIX = ".qidesk"


class EmptyState(QWidget):
    """What a user sees with no workbook open: what QIDesk is for and what to do first."""

    open_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("emptyState")
        heading = QLabel("No workbook open")
        heading.setObjectName("emptyStateHeading")
        heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        body = QLabel(
            "QIDesk keeps your ward's improvement work in one workbook file: projects, measures, "
            "PDSA cycles and the charts that show whether care got better.\n\n"
            "Open your ward's workbook, or explore the demo workbook first. You can also drag "
            "a workbook file onto this window."
        )
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        body.setFixedWidth(560)
        self.open_button = QPushButton("&Open a workbook…")
        self.open_button.setAccessibleName("Open a workbook")
        self.open_button.setToolTip("Choose a workbook file (.qidesk) to open")
        self.demo_button = QPushButton("Explore the &demo workbook")
        self.demo_button.setAccessibleName("Open the demo workbook")
        self.demo_button.setToolTip("A made-up elderly care ward with three QI projects")
        self.open_button.clicked.connect(self.open_requested)
        self.demo_button.clicked.connect(self.demo_requested)
        # The wrapped text sits in its own row: a layout alignment flag would stop Qt asking
        # the label for its height at that width, and the second paragraph was cut off.
        body_row = QHBoxLayout()
        body_row.addStretch(1)
        body_row.addWidget(body)
        self.body = body
        body_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(heading, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(body_row)
        for widget in (self.open_button, self.demo_button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)


def workbook_paths(mime) -> list[Path]:
    """Local workbook files among dragged URLs."""
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()] \
        if mime.hasUrls() else []
    return [p for p in paths if p.suffix.lower() == WORKBOOK_SUFFIX]


class MainWindow(QMainWindow):
    """Holds the menus, the toolbar, the status bar and the current screen."""

    first_painted = Signal()
    open_requested = Signal()
    demo_requested = Signal()
    new_requested = Signal()
    save_as_requested = Signal()
    close_requested = Signal()
    recent_requested = Signal(Path)
    workbook_dropped = Signal(Path)
    settings_requested = Signal()
    switch_user_requested = Signal()
    welcome_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._painted = False
        self.setWindowTitle(WINDOW_TITLE)
        self.setAccessibleName("QIDesk main window")
        self.setAcceptDrops(True)
        self.undo_group = QUndoGroup(self)  # Edit > Undo acts on the open workbook's history
        self.screens = QStackedWidget()
        self.empty_state = EmptyState()
        self.screens.addWidget(self.empty_state)
        self.setCentralWidget(self.screens)
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._connect_signals()
        self.set_workbook_state(None)

    def fit_to_screen(self) -> None:
        """Take most of the screen, centred: ward PCs range from 1280x720 to 1920x1080."""
        screen = self.screen().availableGeometry()
        width = min(1600, int(screen.width() * 0.94))
        height = min(1000, int(screen.height() * 0.92))
        self.resize(width, height)
        self.move(screen.x() + (screen.width() - width) // 2, screen.y() + (screen.height() - height) // 2)

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.new_action = menu_action(self, "&New workbook…",
                                      "Start an empty workbook for a ward or unit", keys.New)
        self.open_action = menu_action(self, "&Open…", "Open a workbook file (.qidesk)", keys.Open)
        self.demo_action = menu_action(self, "Open the &demo workbook",
                                       "A made-up elderly care ward to explore safely")
        self.save_as_action = menu_action(self, "Save &As…", "Save a copy of this workbook elsewhere "
                                          "and carry on in the copy", "Ctrl+Shift+S")
        self.close_action = menu_action(self, "&Close workbook", "Close this workbook", "Ctrl+W")
        self.settings_action = menu_action(self, "&Settings…", "Rule set, idle sign-out, defaults, "
                                           "data folder", "Ctrl+,")
        self.quit_action = menu_action(self, "E&xit", "Close QIDesk", "Ctrl+Q")
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence(keys.Undo)])
        self.undo_action.setToolTip("Undo the last change (Ctrl+Z)")
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        # Not keys.Redo: it is Ctrl+Y on some platforms, and a key bound twice never fires.
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.redo_action.setToolTip("Redo the change you undid (Ctrl+Y)")
        self.switch_user_action = menu_action(self, "Switch &user…", "Sign in under your own name: "
                                              "every change records who made it", "Ctrl+Shift+U")
        self.welcome_action = menu_action(self, "&Welcome to QIDesk", "What QIDesk is for")
        self.new_measure_action = menu_action(self, "&New measure…", "Add a measure to the chosen "
                                              "project", "Ctrl+Shift+M")
        self.edit_measure_action = menu_action(self, "&Edit measure…", "Change the chosen measure's "
                                               "definition, type, frequency or chart", "Ctrl+E")

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addActions([self.new_action, self.open_action, self.demo_action])
        self.recent_menu = file_menu.addMenu("&Recent workbooks")
        self.recent_menu.setToolTipsVisible(True)
        file_menu.addSeparator()
        file_menu.addActions([self.save_as_action, self.close_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        self.measure_menu = self.menuBar().addMenu("&Measure")
        self.measure_menu.addActions([self.new_measure_action, self.edit_measure_action])
        tools_menu = self.menuBar().addMenu("&Tools")
        tools_menu.addActions([self.switch_user_action, self.settings_action])
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.welcome_action)
        self.set_recent_workbooks([])

    def menu(self, title: str) -> QMenu:
        """The menu bar's menu called `title` ("&Project"), added before Tools if new."""
        for action in self.menuBar().actions():
            if action.menu() is not None and action.text() == title:
                return action.menu()
        tools = next(a for a in self.menuBar().actions() if a.text() == "&Tools")
        menu = QMenu(title, self)
        self.menuBar().insertMenu(tools, menu)
        return menu

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar("Main toolbar")
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addActions([self.open_action, self.undo_action, self.redo_action])
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.switch_user_action)
        self.switch_user_button = self.toolbar.widgetForAction(self.switch_user_action)
        self.switch_user_button.setAccessibleName("Switch user")
        for action in self.toolbar.actions():
            button = self.toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.workbook_label = _status_label("Open workbook")
        self.user_label = _status_label("Signed-in name")
        self.saved_label = _status_label("Saved state")
        self.read_only_label = _status_label("Read-only state")
        self.read_only_label.setObjectName("readOnlyStatus")
        for label in (self.workbook_label, self.user_label, self.saved_label,
                      self.read_only_label):
            bar.addPermanentWidget(label)
        bar.showMessage("No workbook open")

    def _connect_signals(self) -> None:
        self.open_action.triggered.connect(self.open_requested)
        self.demo_action.triggered.connect(self.demo_requested)
        self.new_action.triggered.connect(self.new_requested)
        self.save_as_action.triggered.connect(self.save_as_requested)
        self.close_action.triggered.connect(self.close_requested)
        self.settings_action.triggered.connect(self.settings_requested)
        self.switch_user_action.triggered.connect(self.switch_user_requested)
        self.welcome_action.triggered.connect(self.welcome_requested)
        self.quit_action.triggered.connect(self.close)
        self.empty_state.open_requested.connect(self.open_requested)
        self.empty_state.demo_requested.connect(self.demo_requested)

    def set_recent_workbooks(self, paths: list[str]) -> None:
        """Fill File > Recent workbooks (numbered, so each has a keyboard mnemonic)."""
        self.recent_menu.clear()
        for number, text in enumerate(paths, start=1):
            path = Path(text)
            prefix = f"&{number} " if number < 10 else ""
            action = self.recent_menu.addAction(f"{prefix}{path.stem}  ({path.parent})")
            action.setToolTip(str(path))
            action.setData(str(path))
            action.triggered.connect(lambda _=False, p=path: self.recent_requested.emit(p))
        self.recent_menu.setEnabled(bool(paths))

    def set_workbook_state(self, name: str | None, *, read_only: bool = False,
                           notice: str | None = None) -> None:
        """Status bar and menus for the open workbook (None: nothing open)."""
        is_open = name is not None
        self.workbook_label.setText(f"Workbook: {name}" if is_open else "")
        self.workbook_label.setVisible(is_open)
        self.read_only_label.setText("Read-only" if read_only else "")
        self.read_only_label.setToolTip(notice or "")
        self.read_only_label.setVisible(is_open and read_only)
        self.saved_label.setText("" if read_only else "All changes saved")
        self.saved_label.setVisible(is_open and not read_only)
        self.user_label.setVisible(is_open and not read_only)
        self.save_as_action.setEnabled(is_open)
        self.close_action.setEnabled(is_open)
        self.switch_user_action.setEnabled(is_open and not read_only)
        self.new_measure_action.setEnabled(is_open and not read_only)
        self.edit_measure_action.setEnabled(is_open and not read_only)
        self.statusBar().clearMessage()
        if not is_open:
            self.statusBar().showMessage("No workbook open")
            self.setWindowTitle(WINDOW_TITLE)
        else:
            state = " (read-only)" if read_only else ""
            self.setWindowTitle(f"{name}{state} — {WINDOW_TITLE}")

    def set_signed_in(self, name: str | None) -> None:
        self.user_label.setText(f"Signed in: {name}" if name else "Nobody signed in")
        self.user_label.setToolTip("Names are self-declared; each change records the name "
                                   "for the audit trail. Use Switch user to change it.")

    def set_saved(self, text: str = "All changes saved") -> None:
        self.saved_label.setText(text)

    def show_screen(self, screen: QWidget) -> None:
        """Make `screen` the current screen (added once, kept for switching back)."""
        if self.screens.indexOf(screen) < 0:
            self.screens.addWidget(screen)
        self.screens.setCurrentWidget(screen)

    @property
    def has_painted(self) -> bool:
        return self._painted

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if workbook_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt's name
        paths = workbook_paths(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.workbook_dropped.emit(paths[0])


def _status_label(accessible_name: str) -> QLabel:
    label = QLabel()
    label.setAccessibleName(accessible_name)
    label.setContentsMargins(8, 0, 8, 0)
    return label
