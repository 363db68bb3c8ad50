"""`qidesk --self-test` from source: the same check the bundle runs in CI."""

from __future__ import annotations

import subprocess
import sys


def test_self_test_passes_and_says_what_it_checked(tmp_path):
    run = subprocess.run([sys.executable, "-m", "qidesk", "--self-test", "--data-dir", str(tmp_path)],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stdout + run.stderr
    line = run.stdout.strip()
    assert line.startswith("QIDesk self-test passed")
    for checked in ("backup verified", "main window painted", "exported as PNG"):
        assert checked in line
