"""Where QIDesk keeps things: platformdirs locations, overridable for portable mode and tests."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "QIDesk"
APP_AUTHOR = "QIDesk"

# Portable mode (--data-dir) and tests set this so nothing touches the user's real folders.
DATA_DIR_ENV = "QIDESK_DATA_DIR"


@dataclass(frozen=True)
class AppPaths:
    """The folders one QIDesk process uses."""

    data: Path
    logs: Path
    settings: Path
    backups: Path

    @property
    def default_workbook(self) -> Path:
        return self.data / "workbook.qidesk"

    @property
    def settings_file(self) -> Path:
        return self.settings / "settings.json"

    def ensure(self) -> None:
        for folder in (self.data, self.logs, self.settings, self.backups):
            folder.mkdir(parents=True, exist_ok=True)


def app_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """Return the folders to use: everything under `data_dir` if given (portable mode)."""
    root = data_dir or os.environ.get(DATA_DIR_ENV)
    if root:
        base = Path(root).expanduser().resolve()
        return AppPaths(base, base / "logs", base / "settings", base / "backups")
    data = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    return AppPaths(
        data=data,
        logs=Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)),
        settings=Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)),
        backups=data / "backups",
    )


def resources_dir() -> Path:
    """The shipped resources folder, from source, from an installed wheel, or frozen."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "qidesk" / "resources"
    packaged = Path(__file__).resolve().parent / "resources"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "resources"


def resource(name: str) -> Path:
    """Path of one shipped resource file; raises FileNotFoundError naming it if absent."""
    path = resources_dir() / name
    if not path.exists():
        raise FileNotFoundError(f"QIDesk resource missing: {name} (looked in {path.parent})")
    return path
