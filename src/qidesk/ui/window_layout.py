"""Window geometry, toolbar state and splitter sizes, kept apart from preferences.

An INI file in the settings folder (never the Windows registry: locked-down PCs may wipe
or forbid it, and IT can delete one file to reset a broken layout).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter


class WindowLayout:
    """Saves and restores the main window's layout in one INI file."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._store = QSettings(str(self.path), QSettings.Format.IniFormat)

    def restore_window(self, window: QMainWindow) -> bool:
        """Put the window back where it was; False (and nothing changed) the first time."""
        geometry = self._store.value("window/geometry")
        if not isinstance(geometry, QByteArray) or not window.restoreGeometry(geometry):
            return False
        state = self._store.value("window/state")
        if isinstance(state, QByteArray):
            window.restoreState(state)
        return True

    def save_window(self, window: QMainWindow) -> None:
        self._store.setValue("window/geometry", window.saveGeometry())
        self._store.setValue("window/state", window.saveState())
        self._store.sync()

    def restore_splitter(self, name: str, splitter: QSplitter) -> None:
        state = self._store.value(f"splitters/{name}")
        if isinstance(state, QByteArray):
            splitter.restoreState(state)

    def save_splitter(self, name: str, splitter: QSplitter) -> None:
        self._store.setValue(f"splitters/{name}", splitter.saveState())
        self._store.sync()
