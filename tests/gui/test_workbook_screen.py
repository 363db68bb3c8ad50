"""Opening a workbook in the main window: the navigator, the chart and what it says."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from qidesk.paths import app_paths
from qidesk.settings import load_settings
from qidesk.ui.models.navigator_model import NavigatorRole


def _measure_rows(model):
    rows = []
    for t in range(model.rowCount()):
        team = model.item(t)
        for p in range(team.rowCount()):
            project = team.child(p)
            rows += [project.child(m) for m in range(project.rowCount())
                     if project.child(m).data(NavigatorRole.KIND) == "measure"]
    return rows


def test_opening_a_workbook_shows_its_measures_and_the_first_chart(window, controller, demo_copy, qtbot):
    assert controller.open(demo_copy)
    screen = controller.screen
    assert window.screens.currentWidget() is screen
    assert window.windowTitle() == "ward7 — QIDesk"
    rows = _measure_rows(screen.model)
    assert len(rows) >= 6
    kinds = {row.data(NavigatorRole.ENTITY).kind.value for row in rows}
    assert kinds == {"outcome", "process", "balancing"}
    shown = screen.measure_screen
    assert shown.heading.text() == rows[0].data(NavigatorRole.ENTITY).name
    assert sum(shown.chart.point_counts.values()) > 20
    assert "What this chart says" in shown.findings.text()
    assert load_settings(app_paths().settings_file).last_workbook == str(demo_copy)


def test_choosing_another_measure_redraws_the_chart(window, controller, demo_copy, qtbot):
    controller.open(demo_copy)
    screen = controller.screen
    rows = _measure_rows(screen.model)
    target = rows[-1]
    with qtbot.waitSignal(screen.measure_shown, timeout=5000) as shown:
        screen.navigator.setCurrentIndex(target.index())
    assert shown.args == [target.data(NavigatorRole.ENTITY).id]
    assert screen.measure_screen.heading.text() == target.data(NavigatorRole.ENTITY).name


def test_a_damaged_file_is_refused_with_a_message_and_left_alone(window, controller, tmp_path, qtbot, monkeypatch):
    bad = tmp_path / "notes.qidesk"
    bad.write_bytes(b"this is not a workbook" * 50)
    before = bad.read_bytes()
    shown = []
    monkeypatch.setattr("qidesk.ui.workbook_controller.QMessageBox.warning",
                        lambda parent, title, text: shown.append(text))
    assert not controller.open(bad)
    assert shown and "notes.qidesk" in shown[0]
    assert bad.read_bytes() == before
    assert window.screens.currentWidget() is window.empty_state


def test_second_instance_gets_a_read_only_banner_naming_the_holder(window, controller, demo_copy, qtbot):
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from qidesk.services.workbook import open_workbook
            wb = open_workbook({str(demo_copy)!r}, "Sister Jones")
            print("open", flush=True)
            sys.stdin.read()
            wb.close()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        controller.open(demo_copy)
        banner = controller.screen.banner
        assert controller.wb.read_only
        assert banner.isVisible()
        assert "Sister Jones" in banner.text()
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


class _ProjectPage:
    """A minimal page (see ui/screens/pages.py) recording what it was asked to show."""

    def __new__(cls, wb, undo_stack, parent=None):
        from PySide6.QtCore import Signal
        from PySide6.QtWidgets import QLabel

        class Page(QLabel):
            open_requested = Signal(str, int)
            records_changed = Signal()

            def show_record(self, kind, entity):
                self.setText(f"{kind}: {entity.title}")

        return Page()


def test_a_non_measure_row_shows_its_page_and_a_page_can_send_the_reader_to_a_measure(
        controller, demo_copy, monkeypatch, qtbot):
    from qidesk.ui.screens import pages

    monkeypatch.setitem(pages.PAGE_CLASSES, "project", f"{__name__}:_ProjectPage")
    assert controller.open(demo_copy)
    screen = controller.screen
    assert screen.current_page() is screen.measure_screen
    project_row = screen.model.item(0).child(0)
    screen.navigator.setCurrentIndex(project_row.index())
    page = screen.current_page()
    assert page.text() == f"project: {project_row.data(NavigatorRole.ENTITY).title}"
    measure = _measure_rows(screen.model)[1].data(NavigatorRole.ENTITY)
    page.open_requested.emit("measure", measure.id)
    assert screen.current_page() is screen.measure_screen
    assert screen.measure_screen.heading.text() == measure.name
    # Rows without a page (a team) leave the right-hand side as it was.
    team_row = screen.model.item(0)
    screen.show_item("team", team_row.data(NavigatorRole.ENTITY).id)
    assert screen.current_item() == ("team", team_row.data(NavigatorRole.ENTITY).id)
    assert screen.current_page() is screen.measure_screen
