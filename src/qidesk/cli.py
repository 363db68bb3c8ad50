"""Workbook commands for IT staff and analysts: check, import, export, backup, demo.

Each prints one plain message (problems listed one per line) and returns 0 on success,
1 on failure; none needs a display. app.py wires these into its argument parser.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import PidConfirmationRequired
from qidesk.storage.errors import StorageError

WORKBOOK_COMMANDS = ("check", "import", "export", "backup", "demo")
MAX_PROBLEMS_SHOWN = 50


def add_workbook_commands(subparsers) -> None:
    """Add the workbook subcommands to an argparse subparsers object."""
    check = subparsers.add_parser("check", help="check a workbook (never changes it)")
    check.add_argument("workbook", type=Path)
    imp = subparsers.add_parser("import", help="import a measure's data from CSV/XLSX")
    imp.add_argument("workbook", type=Path)
    imp.add_argument("--measure", required=True, help="measure name or id")
    imp.add_argument("file", type=Path)
    imp.add_argument("--existing", choices=("skip", "replace"), default="skip",
                     help="what to do with periods that already have data (default skip)")
    imp.add_argument("--sheet", help="XLSX sheet name (default: the first)")
    imp.add_argument("--staff", default="", help="name recorded in the audit trail")
    imp.add_argument("--confirm-pid", action="store_true",
                     help="import even if comments look like patient data")
    exp = subparsers.add_parser("export", help="export a measure's data to CSV/XLSX")
    exp.add_argument("workbook", type=Path)
    exp.add_argument("--measure", required=True, help="measure name or id")
    exp.add_argument("file", type=Path)
    backup = subparsers.add_parser("backup", help="make a verified backup now")
    backup.add_argument("workbook", type=Path)
    backup.add_argument("--to", type=Path, help="backup folder (default: QIDesk's)")
    demo = subparsers.add_parser("demo", help="write the demo workbook to a new file")
    demo.add_argument("workbook", type=Path)


def run_workbook_command(args: argparse.Namespace) -> int:
    """Run the subcommand named by args.command; returns the exit code."""
    handlers = {"check": _check, "import": _import, "export": _export,
                "backup": _backup, "demo": _demo}
    try:
        return handlers[args.command](args)
    except PidConfirmationRequired as exc:
        return _fail(f"{exc} Re-run with --confirm-pid if it is not patient data.")
    except (StorageError, ValidationError) as exc:
        return _fail(exc.message)
    except OSError as exc:
        return _fail(f"{exc.filename or 'File'}: {exc.strerror or exc}")


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _check(args) -> int:
    from qidesk.storage.checks import check_header, stored_revision, uri
    from qidesk.storage.errors import WorkbookCorrupt, WorkbookNotFound
    from qidesk.storage.lease import read_lease
    from qidesk.storage.migrate import head_revision, is_known_revision

    path = args.workbook.absolute()
    if not path.is_file():
        raise WorkbookNotFound(f"There is no workbook at {path}.")
    check_header(path)
    conn = sqlite3.connect(uri(path, read_only=True, immutable=_nobody_writing(path)), uri=True)
    try:
        result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if result == ["ok"] and conn.execute("PRAGMA foreign_key_check").fetchone():
            result = ["records point at records that do not exist (foreign_key_check)"]
    except sqlite3.DatabaseError as exc:
        result = [str(exc)]
    finally:
        conn.close()
    if result != ["ok"]:
        raise WorkbookCorrupt(f"{path.name} is damaged: {'; '.join(result[:5])}")
    revision = stored_revision(path)
    holder = read_lease(path)
    held = f"open for changes by {holder.describe()}" if holder else "not open for changes"
    schema = f"schema {revision}" + (" (current)" if revision == head_revision() else "")
    if not is_known_revision(revision):
        return _fail(f"{path.name}: integrity ok, but {schema} is newer than this QIDesk "
                     f"(schema {head_revision()}); {held}.")
    print(f"ok: {path.name}: integrity ok, {schema}, {held}.")
    return 0


def _nobody_writing(path: Path) -> bool:
    from qidesk.storage.checks import has_side_files

    return not has_side_files(path)


def _open_for_writing(args):
    from qidesk.services.workbook import open_workbook

    wb = open_workbook(args.workbook, getattr(args, "staff", "") or "command line")
    if wb.read_only:
        wb.close()
        raise ValidationError(wb.notice or "The workbook is read-only.")
    return wb


def _import(args) -> int:
    from qidesk.services.data_points import ExistingPolicy
    from qidesk.services.imports import ImportRejected, import_measure_data
    from qidesk.services.measures import find_measure

    with _open_for_writing(args) as wb:
        measure = find_measure(wb, args.measure)
        try:
            result = import_measure_data(wb, measure.id, args.file, sheet=args.sheet,
                                         existing=ExistingPolicy(args.existing),
                                         confirm_pid=args.confirm_pid)
        except ImportRejected as exc:
            for problem in exc.problems[:MAX_PROBLEMS_SHOWN]:
                print(f"row {problem.row_number}, {problem.column}: {problem.message}",
                      file=sys.stderr)
            return _fail(f"nothing imported: {len(exc.problems)} problem(s) in {args.file.name}.")
    batch = result.batch
    print(f"imported {result.rows_read} rows into {measure.name!r}: {batch.added} added, "
          f"{batch.replaced} replaced, {batch.skipped} skipped (already there).")
    return 0


def _export(args) -> int:
    from qidesk.services.imports import export_measure_data
    from qidesk.services.measures import find_measure
    from qidesk.services.workbook import open_workbook

    if args.file.suffix.lower() not in (".csv", ".xlsx"):
        return _fail("The export file must end in .csv or .xlsx.")
    with open_workbook(args.workbook, read_only=True) as wb:
        measure = find_measure(wb, args.measure)
        count = export_measure_data(wb, measure.id, args.file)
    print(f"exported {count} rows of {measure.name!r} to {args.file}.")
    return 0


def _backup(args) -> int:
    from qidesk.storage.backup import make_backup, rotate
    from qidesk.storage.checks import check_header, quick_check
    from qidesk.storage.errors import WorkbookNotFound
    from qidesk.storage.workbook import default_backup_folder

    path = args.workbook.absolute()
    if not path.is_file():
        raise WorkbookNotFound(f"There is no workbook at {path}.")
    check_header(path)
    quick_check(path)
    folder = args.to or default_backup_folder(path)
    info = make_backup(path, folder, "manual")
    rotate(folder, path.stem)
    print(f"backup verified and saved: {info.path} ({info.size:,} bytes).")
    return 0


def _demo(args) -> int:
    from qidesk.services.demo import write_demo_workbook

    if args.workbook.exists():
        return _fail(f"{args.workbook} already exists; the demo is written to a new file.")
    write_demo_workbook(args.workbook)
    print(f"demo workbook written to {args.workbook}.")
    return 0
