"""The command line an IT department scripts against."""

from __future__ import annotations

import subprocess
import sys

from qidesk import __version__
from qidesk.app import build_parser


def _qidesk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qidesk", *args], capture_output=True, text=True, timeout=60)


def test_version_prints_the_version_and_needs_no_display():
    run = _qidesk("--version")
    assert run.returncode == 0
    assert run.stdout.strip() == f"QIDesk {__version__}"


def test_help_lists_the_options_and_workbook_commands():
    run = _qidesk("--help")
    assert run.returncode == 0
    for option in ("--demo", "--data-dir", "--self-test", "check", "import", "export", "backup"):
        assert option in run.stdout


def test_parser_accepts_a_workbook_and_portable_folder(tmp_path):
    args = build_parser().parse_args([str(tmp_path / "ward.qidesk"), "--data-dir", str(tmp_path)])
    assert args.workbook.name == "ward.qidesk"
    assert args.data_dir == tmp_path


def test_unknown_option_fails_with_a_message():
    run = _qidesk("--frobnicate")
    assert run.returncode == 2
    assert "unrecognized arguments" in run.stderr
