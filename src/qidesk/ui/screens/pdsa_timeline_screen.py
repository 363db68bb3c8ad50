"""The page for a project's "PDSA cycles" row: every cycle of every change idea on a
timeline. Click a bar to open its cycle, a change idea's name to open the idea."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QUndoStack
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qidesk.domain.entities import Project
from qidesk.domain.enums import PdsaStatus
from qidesk.reports import palette
from qidesk.reports.pdsa_timeline import (
    AXIS_HEIGHT,
    ITEM_TARGET,
    TimelineRow,
    TimelineScene,
    cycle_span,
    timeline_rows,
)
from qidesk.services.workbook import Workbook

RESIZE_MS = 120  # redraw once the window has stopped changing size
MARGIN = 6.0


class TimelineView(QGraphicsView):
    """Shows a TimelineScene; a click, or Enter on the item chosen with the arrow keys,
    asks for the record under it."""

    open_requested = Signal(str, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # The dates stay pinned at the top while scrolling: repaint the whole view each time.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setAccessibleName("PDSA timeline")
        self.setAccessibleDescription("Arrow keys move between change ideas and cycles; "
                                      "Enter opens the one marked.")
        self.chosen = -1  # index into targets() of the item the keyboard is on

    def targets(self) -> list[tuple[tuple[str, int], QRectF]]:
        """What can be opened, in reading order: each row's idea, then its cycles."""
        scene = self.scene()
        if not isinstance(scene, TimelineScene):
            return []
        return [(target, item.sceneBoundingRect()) for target, item in scene.reading_order]

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        point = event.position().toPoint()
        pinned = self.verticalScrollBar().value() > self.verticalScrollBar().minimum()
        under_dates = pinned and point.y() < AXIS_HEIGHT - self.sceneRect().top()
        if event.button() == Qt.MouseButton.LeftButton and not under_dates:
            for item in self.items(point):
                target = item.data(ITEM_TARGET)
                if target is not None:
                    self.open_requested.emit(*target)
                    return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        targets = self.targets()
        key = event.key()
        steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_Left: -1}
        if targets and key in steps:
            self.chosen = max(0, min(len(targets) - 1, self.chosen + steps[key]))
            self.ensureVisible(targets[self.chosen][1], 20, round(AXIS_HEIGHT) + 20)
            self.viewport().update()
            return
        if targets and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.chosen >= 0:
            self.open_requested.emit(*targets[min(self.chosen, len(targets) - 1)][0])
            return
        super().keyPressEvent(event)

    def drawForeground(self, painter: QPainter, rect) -> None:  # noqa: N802
        self._draw_sticky_axis(painter)
        targets = self.targets()
        if self.hasFocus() and 0 <= self.chosen < len(targets):
            painter.setPen(QPen(QColor(palette.NHS_DARK_BLUE), 2, Qt.PenStyle.DotLine))
            painter.drawRect(targets[self.chosen][1].adjusted(-3, -3, 3, 3))

    def _draw_sticky_axis(self, painter: QPainter) -> None:
        """Keep the dates and today's mark in sight when the rows are scrolled."""
        scene = self.scene()
        shown = self.mapToScene(self.viewport().rect()).boundingRect()
        top = self.sceneRect().top()
        if not isinstance(scene, TimelineScene) or shown.top() <= top + 1:
            return
        # The band shows exactly what the top of the unscrolled view shows.
        band = QRectF(shown.left(), shown.top(), shown.width(), AXIS_HEIGHT - top)
        painter.fillRect(band, QColor(palette.NHS_WHITE))
        scene.render(painter, band, QRectF(shown.left(), top, shown.width(), band.height()))
        painter.setPen(QPen(QColor(palette.NHS_MID_GREY), 1))
        painter.drawLine(band.bottomLeft(), band.bottomRight())


class PdsaTimelineScreen(QWidget):
    """All PDSA cycles of a project, one row per change idea, on a shared date axis."""

    open_requested = Signal(str, int)
    records_changed = Signal()

    def __init__(self, wb: Workbook, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.wb = wb
        self.undo_stack = undo_stack
        self.project: Project | None = None
        self.rows: list[TimelineRow] = []
        self.today: date | None = None  # None: the real today (tests may fix a day)
        self._stale = False  # cycles changed while another page was on show
        self.heading = QLabel()
        self.heading.setObjectName("screenHeading")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.export_button = QPushButton("E&xport timeline…")
        self.export_button.setToolTip("Save this timeline as a picture (PNG), SVG or PDF")
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.view = TimelineView()
        self._resize_timer = QTimer(self, singleShot=True, interval=RESIZE_MS)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.view.open_requested.connect(self.open_requested)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self._resize_timer.timeout.connect(self.redraw)
        # Cycles are added, dated and decided through the undo stack: keep in step.
        self.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)

    @property
    def scene(self) -> TimelineScene | None:
        return self.view.scene()

    def show_record(self, kind: str, entity) -> None:
        """Show the timeline of the project whose "PDSA cycles" row was chosen."""
        self.project = entity
        self.reload()

    def reload(self) -> None:
        if self.project is None:
            return
        self._stale = False
        self.rows = timeline_rows(self.wb, self.project.id)
        self.heading.setText(f"PDSA cycles: {self.project.title}")
        self.summary.setText(self._summary())
        self.empty.setVisible(not any(row.cycles for row in self.rows))
        self.empty.setText(
            "No change ideas yet. Add change ideas to the driver diagram, then plan a first "
            "small test of each." if not self.rows else
            "No PDSA cycles yet. Open a change idea and plan its first cycle: start small "
            "(one patient, one shift) and write down what you predict will happen.")
        self.view.setVisible(bool(self.rows))
        self.redraw()

    def _summary(self) -> str:
        cycles = [c for row in self.rows for c in row.cycles]
        if not cycles:
            return ""
        today = self.today or date.today()
        running = sum(1 for c in cycles if (s := cycle_span(c, today)) and s.running)
        planned = sum(1 for c in cycles if c.status == PdsaStatus.PLANNED)
        tested = sum(1 for row in self.rows if row.cycles)
        parts = [f"{len(cycles)} cycle{'s' if len(cycles) != 1 else ''} testing {tested} "
                 f"change idea{'s' if tested != 1 else ''}"]
        if running:
            parts.append(f"{running} under way")
        if planned:
            parts.append(f"{planned} planned")
        return (", ".join(parts) + ". Click a bar to open its cycle, or a change idea to see "
                "its ramp.")

    def redraw(self) -> None:
        """Draw the timeline to fit the width on show (rows scroll, dates never do)."""
        if self.project is None or not self.rows:
            return
        # Room for the vertical scroll bar is kept, so a long list never adds a sideways one.
        bar = self.view.verticalScrollBar().sizeHint().width()
        width = self.view.width() - 2 * self.view.frameWidth() - bar - 2 * MARGIN
        old = self.view.scene()
        scene = TimelineScene(self.rows, self.today or date.today(), width)
        self.view.setScene(scene)
        drawn = scene.itemsBoundingRect()
        self.view.setSceneRect(QRectF(-MARGIN, drawn.top() - MARGIN, max(scene.drawn_width,
                                      drawn.right()) + 2 * MARGIN, drawn.height() + 2 * MARGIN))
        if old is not None:
            old.deleteLater()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._resize_timer.start()

    def _on_undo_stack_index_changed(self, _index: int) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.reload()
        self._resize_timer.start()  # the view has its real width only now

    def _on_export_button_clicked(self) -> None:
        from qidesk.ui.pdsa_print_actions import choose_timeline_file

        if self.project is None:
            return
        try:
            choose_timeline_file(self, self.wb, self.project, self.today)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Timeline not saved", f"The timeline was not saved: {exc}. "
                                "Choose a folder you can save in (your Documents), or close "
                                "the file if another program has it open.")
