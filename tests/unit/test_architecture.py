"""The layer rules of DESIGN.md, held by reading every module's imports."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "qidesk"
GUI_AND_DATABASE = ("PySide6", "pyqtgraph", "sqlmodel", "sqlalchemy", "alembic")


def _imports(path: Path) -> set[str]:
    """Absolute names a module imports (relative imports resolved against its package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                names.add(f"{base}.{node.module}" if node.module else base)
            else:
                names.add(node.module or "")
    return names


def _modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", ["domain", "analysis"])
def test_core_layers_import_no_gui_database_or_other_layers(layer):
    offenders = []
    for module in _modules(layer):
        for name in _imports(module):
            top = name.split(".")[0]
            ours_elsewhere = name.startswith("qidesk.") and not name.startswith(f"qidesk.{layer}")
            if top in GUI_AND_DATABASE or (ours_elsewhere and name != "qidesk"):
                offenders.append(f"{module.relative_to(PACKAGE)} imports {name}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("layer", ["storage", "services"])
def test_storage_and_services_never_import_the_ui_or_qt(layer):
    offenders = [
        f"{module.relative_to(PACKAGE)} imports {name}"
        for module in _modules(layer)
        for name in _imports(module)
        if name.split(".")[0] in ("PySide6", "pyqtgraph") or name.startswith("qidesk.ui")
    ]
    assert not offenders, "\n".join(offenders)


def test_reports_never_import_the_ui():
    offenders = [
        f"{m.relative_to(PACKAGE)}" for m in _modules("reports") if any(n.startswith("qidesk.ui") for n in _imports(m))
    ]
    assert not offenders


def test_importing_the_core_loads_no_gui_or_database():
    """What really loads at run time, not only what the source says."""
    code = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        import qidesk.domain, qidesk.analysis
        for package in (qidesk.domain, qidesk.analysis):
            for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
                importlib.import_module(info.name)
        loaded = sorted({m.split(".")[0] for m in sys.modules} & {"PySide6", "pyqtgraph", "sqlmodel", "sqlalchemy", "alembic"})
        print(",".join(loaded))
        """
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == ""
