"""Notice when nobody has touched QIDesk for a while (shared PCs: sign the user out)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

# What counts as someone using QIDesk: keys, clicks, the wheel, and moving the mouse.
ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.HoverMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin,
    QEvent.Type.ShortcutOverride,
})


class IdleWatch(QObject):
    """An application-wide event filter: `went_idle` after `interval_ms` without activity.

    It only watches while started (someone is signed in); any key or mouse activity
    anywhere in the application restarts the countdown.
    """

    went_idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._installed = False

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def set_interval_ms(self, interval_ms: int) -> None:
        self._timer.setInterval(interval_ms)
        if self._timer.isActive():
            self._timer.start()

    @property
    def watching(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        app = QApplication.instance()
        if not self._installed and app is not None:
            app.installEventFilter(self)
            self._installed = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if self._installed and app is not None:
            app.removeEventFilter(self)
        self._installed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False

    def _on_timer_timeout(self) -> None:
        self.stop()
        self.went_idle.emit()
