"""The real bundle: built with the spec from a clean environment, self-tested with no Python.

This is what a ward PC receives. It takes about a minute on two cores.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import build_bundle  # noqa: E402


@pytest.fixture(scope="session")
def bundle_exe() -> Path:
    exe = build_bundle.build()
    assert exe.is_file(), f"the build did not produce {exe}"
    return exe


def test_bundle_self_test_passes_with_an_empty_environment(bundle_exe, tmp_path, capsys):
    # env -i: no PATH, no Python, no display; portable mode keeps the run inside tmp_path.
    run = subprocess.run(
        ["env", "-i", str(bundle_exe), "--self-test", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )
    size_mb = build_bundle.folder_size_mb(bundle_exe.parent)
    with capsys.disabled():  # shown in CI's log even when the test passes
        print(f"\nBundle size: {size_mb:.0f} MB; self-test said: {run.stdout.strip()}")
    assert run.returncode == 0, f"self-test failed ({run.returncode}):\n{run.stdout}\n{run.stderr}"
    assert run.stdout.startswith("QIDesk self-test passed")
    assert (tmp_path / "logs" / "qidesk.log").is_file()


def test_bundle_ships_resources_and_migrations_but_no_test_tools(bundle_exe):
    internal = bundle_exe.parent / "_internal"
    assert (internal / "qidesk" / "resources" / "style.qss").is_file()
    assert any((internal / "qidesk" / "storage" / "migrations" / "versions").glob("*.py"))
    for unwanted in ("hypothesis", "pytest", "_pytest"):
        assert not (internal / unwanted).exists(), f"{unwanted} was bundled"
    assert not list((internal / "PySide6").rglob("translations/*.qm"))


def test_bundle_reports_its_version_without_a_display(bundle_exe):
    run = subprocess.run(["env", "-i", str(bundle_exe), "--version"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0
    assert run.stdout.startswith("QIDesk ")
