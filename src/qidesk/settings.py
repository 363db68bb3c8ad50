"""User preferences, declared in one typed place and kept as JSON in the settings folder.

Window geometry is kept apart (Qt's own QSettings, by the UI) so a broken layout never
costs anyone their preferences. Unknown keys from a newer QIDesk are kept on save.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

_log = logging.getLogger(__name__)

SETTINGS_VERSION = 1
RECENT_LIMIT = 8


@dataclass
class Settings:
    """Everything a user can change that outlives a session."""

    run_chart_rules: str = "anhoej"  # or "ihi": the rule set for run charts
    idle_sign_out_minutes: int = 15
    default_frequency: str = "week"
    last_workbook: str | None = None
    recent_workbooks: list[str] = field(default_factory=list)
    _unknown: dict = field(default_factory=dict, repr=False)

    def remember_workbook(self, path: Path) -> None:
        text = str(path)
        self.last_workbook = text
        self.recent_workbooks = [text] + [p for p in self.recent_workbooks if p != text]
        del self.recent_workbooks[RECENT_LIMIT:]


def load_settings(path: Path) -> Settings:
    """Read settings; a missing or unreadable file gives the defaults (and a log line)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as exc:
        _log.warning("Settings file %s unreadable (%s); using defaults", path, exc)
        return Settings()
    known = {f.name for f in fields(Settings) if not f.name.startswith("_")}
    values = {k: v for k, v in raw.items() if k in known}
    unknown = {k: v for k, v in raw.items() if k not in known and k != "version"}
    try:
        return Settings(**values, _unknown=unknown)
    except TypeError:
        return Settings()


def save_settings(settings: Settings, path: Path) -> None:
    """Write settings atomically (temp file + rename): a crash never leaves half a file."""
    data = {k: v for k, v in asdict(settings).items() if not k.startswith("_")}
    data = {**settings._unknown, **data, "version": SETTINGS_VERSION}
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=2)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)
