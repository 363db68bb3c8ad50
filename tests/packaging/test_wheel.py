"""The wheel carries the resources, and the one accessor finds them once installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([shutil.which("uv"), "build", "--wheel", "--quiet", "--out-dir", str(out)], cwd=ROOT, check=True)
    return next(out.glob("qidesk-*.whl"))


def test_wheel_contains_resources_and_migrations(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "qidesk/resources/style.qss" in names
    assert "qidesk/resources/icons/qidesk.png" in names
    assert any(n.startswith("qidesk/storage/migrations/versions/") and n.endswith(".py") for n in names)


def test_installed_wheel_finds_its_resources(wheel, tmp_path):
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    code = "from qidesk.paths import resource; print(resource('style.qss'))"
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(target), "PATH": ""}, cwd=tmp_path,
    )
    assert Path(run.stdout.strip()).is_relative_to(target)
