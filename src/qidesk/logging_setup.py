"""Logging to a rotating file in the user's log folder: what IT asks for after a problem."""

from __future__ import annotations

import logging
import logging.handlers
import platform
from pathlib import Path

from qidesk import __version__

LOG_FILE_NAME = "qidesk.log"
_MAX_BYTES = 1_000_000
_BACKUP_COUNT = 5


def configure_logging(log_folder: Path, *, level: int = logging.INFO) -> Path:
    """Send QIDesk's log records to `log_folder/qidesk.log`, rotated at 1 MB (5 kept)."""
    log_folder.mkdir(parents=True, exist_ok=True)
    log_path = log_folder / LOG_FILE_NAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_qidesk", False):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        log_path, maxBytes=_MAX_BYTES, backupCount=_BACKUP_COUNT, encoding="utf-8"
    )
    handler._qidesk = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("qidesk").info(
        "QIDesk %s starting on Python %s, %s", __version__, platform.python_version(), platform.platform()
    )
    return log_path
