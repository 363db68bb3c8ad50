"""QIDesk's main window: the frame every screen lives in."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

WINDOW_TITLE = "QIDesk"


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
            "Open your ward's workbook, or explore the demo workbook first."
        )
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        body.setMaximumWidth(560)
        self.open_button = QPushButton("&Open a workbook…")
        self.open_button.setAccessibleName("Open a workbook")
        self.demo_button = QPushButton("Explore the &demo workbook")
        self.demo_button.setAccessibleName("Open the demo workbook")
        self.open_button.clicked.connect(self.open_requested)
        self.demo_button.clicked.connect(self.demo_requested)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for widget in (heading, body, self.open_button, self.demo_button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)


class MainWindow(QMainWindow):
    """Holds the menus, the status bar and the current screen."""

    first_painted = Signal()
    open_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._painted = False
        self.setWindowTitle(WINDOW_TITLE)
        self.setAccessibleName("QIDesk main window")
        self.screens = QStackedWidget()
        self.empty_state = EmptyState()
        self.screens.addWidget(self.empty_state)
        self.setCentralWidget(self.screens)
        self._build_menus()
        self.statusBar().showMessage("No workbook open")
        self._connect_signals()

    def fit_to_screen(self) -> None:
        """Take most of the screen, centred: ward PCs range from 1280x720 to 1920x1080."""
        screen = self.screen().availableGeometry()
        width = min(1600, int(screen.width() * 0.94))
        height = min(1000, int(screen.height() * 0.92))
        self.resize(width, height)
        self.move(screen.x() + (screen.width() - width) // 2, screen.y() + (screen.height() - height) // 2)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.open_action = QAction("&Open workbook…", self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.demo_action = QAction("Open the &demo workbook", self)
        self.quit_action = QAction("E&xit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.demo_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

    def _connect_signals(self) -> None:
        self.open_action.triggered.connect(self.open_requested)
        self.demo_action.triggered.connect(self.demo_requested)
        self.empty_state.open_requested.connect(self.open_requested)
        self.empty_state.demo_requested.connect(self.demo_requested)

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
