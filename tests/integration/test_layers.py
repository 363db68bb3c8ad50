"""Storage and services never load Qt: the core runs (and is tested) without a GUI."""

from __future__ import annotations

import subprocess
import sys

CORE = ["qidesk.domain.entities", "qidesk.domain.rules", "qidesk.domain.data_rules",
        "qidesk.storage.workbook", "qidesk.services.workbook", "qidesk.services.imports",
        "qidesk.services.reviews", "qidesk.services.history", "qidesk.services.backups",
        "qidesk.services.pdsa", "qidesk.services.drivers", "qidesk.services.selftest",
        "qidesk.cli"]


def test_core_imports_no_qt_and_domain_no_database():
    code = (f"import sys\nfor m in {CORE!r}: __import__(m)\n"
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', "
            "'qidesk.ui'))]\nprint(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
    code = ("import sys\nimport qidesk.domain.entities, qidesk.domain.rules, "
            "qidesk.domain.data_rules, qidesk.domain.changes\n"
            "print([m for m in sys.modules if m.split('.')[0] in "
            "('sqlalchemy', 'sqlmodel', 'alembic', 'numpy')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
