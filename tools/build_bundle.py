"""Build the one-folder bundle from a clean environment (no test tools), as CI does.

Usage: `uv run python tools/build_bundle.py` → dist/QIDesk/. The environment holds only the
runtime dependencies and PyInstaller, taken from uv.lock, so pydantic cannot drag
hypothesis into the bundle (STACK.md).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "bundle"
DIST = ROOT / "dist"


def bundle_executable(dist: Path = DIST) -> Path:
    name = "qidesk-cli.exe" if sys.platform == "win32" else "qidesk"
    return dist / "QIDesk" / name


def folder_size_mb(folder: Path) -> float:
    return sum(f.lstat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def _run(command: list[str], **kwargs) -> None:
    subprocess.run(command, check=True, cwd=ROOT, **kwargs)


def build() -> Path:
    uv = shutil.which("uv")
    if uv is None:
        raise SystemExit("uv is needed to build the bundle (pip install uv)")
    BUILD.mkdir(parents=True, exist_ok=True)
    requirements = BUILD / "requirements.txt"
    _run([uv, "export", "--frozen", "--no-default-groups", "--group", "bundle",
          "--no-emit-project", "--quiet", "-o", str(requirements)])
    venv = BUILD / "venv"
    if not venv.exists():
        _run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)])
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    _run([uv, "pip", "sync", "--quiet", "--python", str(python), str(requirements)], env=env)
    _run([str(python), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
          "--distpath", str(DIST), "--workpath", str(BUILD / "work"), "pyinstaller.spec"], env=env)
    return bundle_executable()


if __name__ == "__main__":
    started = time.perf_counter()
    exe = build()
    print(f"Built {exe} ({folder_size_mb(exe.parent):.0f} MB) in {time.perf_counter() - started:.0f} s")
