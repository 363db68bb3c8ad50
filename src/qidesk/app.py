"""Composition root: command line, paths, logging, then the workbook and the windows.

Only this module knows every layer. Heavy imports (Qt, the database) happen inside the
functions that need them, so `qidesk --version` and the workbook commands stay fast and
need no display.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from qidesk import __version__
from qidesk.logging_setup import configure_logging
from qidesk.paths import AppPaths, app_paths

_log = logging.getLogger(__name__)

WORKBOOK_COMMANDS = ("check", "import", "export", "backup", "demo")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qidesk",
        description="QIDesk: quality improvement for ward teams. "
        f"Workbook commands for IT staff: {', '.join(WORKBOOK_COMMANDS)} (qidesk COMMAND --help).",
    )
    parser.add_argument("workbook", nargs="?", type=Path, help="workbook file to open")
    parser.add_argument("--demo", action="store_true", help="open a fresh copy of the demo workbook")
    parser.add_argument(
        "--data-dir", type=Path, help="portable mode: keep settings, logs and workbooks under DIR"
    )
    parser.add_argument("--version", action="version", version=f"QIDesk {__version__}")
    parser.add_argument(
        "--self-test", action="store_true",
        help="check this installation offscreen (workbook, chart, export) and exit 0 when healthy",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in WORKBOOK_COMMANDS:
        return _run_workbook_command(argv)
    args = build_parser().parse_args(argv)
    paths = app_paths(args.data_dir)
    paths.ensure()
    configure_logging(paths.logs)
    if args.self_test:
        from qidesk.self_test import run_self_test

        return run_self_test(paths)
    return _run_desktop(args, paths)


def _run_workbook_command(argv: list[str]) -> int:
    from qidesk import cli

    parser = argparse.ArgumentParser(prog="qidesk")
    cli.add_workbook_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return cli.run_workbook_command(args)


def _run_desktop(args: argparse.Namespace, paths: AppPaths) -> int:
    from qidesk.ui.application import run_desktop

    return run_desktop(paths, workbook=args.workbook, demo=args.demo)
