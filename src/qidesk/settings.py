"""User preferences, declared in one typed place and kept as JSON in the settings folder.

Window geometry is kept apart (Qt's own QSettings INI file, by the UI) so a broken layout
never costs anyone their preferences. Unknown keys from a newer QIDesk are kept on save;
files from an older QIDesk are upgraded step by step (as Picard's config_upgrade does).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

_log = logging.getLogger(__name__)

SETTINGS_VERSION = 2
RECENT_LIMIT = 8
LAYOUT_FILE = "window-layout.ini"  # beside settings.json; written by the UI's QSettings

# Rule sets for run charts, as analysis names them, with the words a ward reads.
RULE_SETS = {"anhoej": "Anhøj rules (shifts and crossings, as qicharts2)",
             "ihi": "IHI run chart rules (shift, trend, runs, astronomical point)"}
FREQUENCIES = {"day": "Daily", "week": "Weekly", "month": "Monthly", "quarter": "Quarterly",
               "event": "Per event"}
IDLE_MINUTES_RANGE = (1, 240)


@dataclass
class Settings:
    """Everything a user can change that outlives a session."""

    run_chart_rules: str = "anhoej"  # a key of RULE_SETS
    idle_sign_out_minutes: int = 15  # shared PCs: sign out after this long untouched
    default_frequency: str = "week"  # a key of FREQUENCIES, for new measures
    data_folder: str | None = None  # where new workbooks go; None: the user data folder
    welcome_shown: bool = False
    last_workbook: str | None = None
    recent_workbooks: list[str] = field(default_factory=list)
    _unknown: dict = field(default_factory=dict, repr=False)

    def remember_workbook(self, path: Path) -> None:
        text = str(path)
        self.last_workbook = text
        self.recent_workbooks = [text] + [p for p in self.recent_workbooks if p != text]
        del self.recent_workbooks[RECENT_LIMIT:]

    def forget_workbook(self, path: Path) -> None:
        """Drop a workbook that no longer opens from the recent list."""
        self.recent_workbooks = [p for p in self.recent_workbooks if p != str(path)]
        if self.last_workbook == str(path):
            self.last_workbook = None

    def normalised(self) -> Settings:
        """The same settings with any out-of-range value (hand-edited file) set back to
        its default, so the rest of QIDesk can trust them."""
        defaults = Settings()
        if self.run_chart_rules not in RULE_SETS:
            self.run_chart_rules = defaults.run_chart_rules
        if self.default_frequency not in FREQUENCIES:
            self.default_frequency = defaults.default_frequency
        low, high = IDLE_MINUTES_RANGE
        if not isinstance(self.idle_sign_out_minutes, int) or not (
                low <= self.idle_sign_out_minutes <= high):
            self.idle_sign_out_minutes = defaults.idle_sign_out_minutes
        if not isinstance(self.recent_workbooks, list):
            self.recent_workbooks = []
        self.recent_workbooks = [str(p) for p in self.recent_workbooks][:RECENT_LIMIT]
        self.welcome_shown = bool(self.welcome_shown)
        return self


def _upgrade_1_to_2(raw: dict) -> dict:
    """Version 1 had no welcome flag: anyone with a last workbook has used QIDesk."""
    raw.setdefault("welcome_shown", bool(raw.get("last_workbook")))
    return raw


_UPGRADES = {1: _upgrade_1_to_2}


def load_settings(path: Path) -> Settings:
    """Read settings; a missing or unreadable file gives the defaults (and a log line)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as exc:
        _log.warning("Settings file %s unreadable (%s); using defaults", path, exc)
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    version = raw.get("version", 1)
    while isinstance(version, int) and version in _UPGRADES:
        raw = _UPGRADES[version](raw)
        version += 1
    known = {f.name for f in fields(Settings) if not f.name.startswith("_")}
    values = {k: v for k, v in raw.items() if k in known}
    unknown = {k: v for k, v in raw.items() if k not in known and k != "version"}
    try:
        return Settings(**values, _unknown=unknown).normalised()
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
