"""One service call off the UI thread, so the window keeps painting while it runs.

The services open their own sessions per call, so a worker only shares the Workbook;
the UI thread touches nothing of the call's while it runs.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThread, Signal

from qidesk.domain.errors import ValidationError
from qidesk.storage.errors import StorageError

_log = logging.getLogger(__name__)


class ServiceWorker(QThread):
    """Runs one service call in its own thread and reports the result or the refusal."""

    done = Signal(object)
    refused = Signal(str)

    def __init__(self, call, parent: QObject | None = None):
        super().__init__(parent)
        self.call = call

    def run(self) -> None:
        try:
            result = self.call()
        except (ValidationError, StorageError) as exc:
            self.refused.emit(exc.message)
        except Exception as exc:  # noqa: BLE001 - a worker must always report back
            _log.exception("A background task failed")
            self.refused.emit(f"This failed unexpectedly ({exc}). Nothing was changed.")
        else:
            self.done.emit(result)
