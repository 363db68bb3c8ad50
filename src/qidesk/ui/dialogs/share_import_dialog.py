"""Import a project from another ward: what the bundle holds, which team it joins, under
which title, and every clash or warning, all before anything is written.

Nothing is written here: "Import" emits import_requested and the caller runs the import
(off the UI thread) and reports back through show_refusal() or by closing the dialog.
A damaged or foreign bundle opens the dialog in its refused state, saying why.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from qidesk.domain.entities import TITLE_MAX
from qidesk.domain.errors import ValidationError
from qidesk.services import projects, teams
from qidesk.services.sharing import BundlePreview, ImportPlan, plan_import
from qidesk.storage.errors import StorageError

# What a bundle holds, in the order a ward reads it (links between records are left out).
CONTENT_WORDS = [("measure", "measure", "measures"), ("data_point", "data point", "data points"),
                 ("phase", "phase", "phases"), ("annotation", "chart note", "chart notes"),
                 ("pdsa_cycle", "PDSA cycle", "PDSA cycles"),
                 ("driver_node", "driver diagram box", "driver diagram boxes"),
                 ("project_member", "team member", "team members"),
                 ("progress_score", "progress score", "progress scores"),
                 ("review", "review", "reviews")]
REPORT_MIN = 180  # pixels of clashes shown before the list scrolls
NO_CLASHES = "No clashes: the project can be imported as it is."
IMPORT_NOTE = ("A backup of this workbook is taken first. The project is imported in one go "
               "(all of it or nothing) as a new project; Undo cannot take it back.")
_REFUSED_STYLE = "color: #8a1538; font-weight: 600;"  # NHS dark pink: readable, not alarming


def contents_sentence(counts: dict[str, int]) -> str:
    """'4 measures, 208 data points, 3 PDSA cycles' (kinds with none are left out)."""
    parts = [f"{counts[kind]:,} {one if counts[kind] == 1 else many}"
             for kind, one, many in CONTENT_WORDS if counts.get(kind)]
    return ", ".join(parts) if parts else "the project only (no measures or cycles yet)"


def _key(text: str) -> str:
    return text.strip().casefold()


class ShareImportDialog(QDialog):
    """Checks the bundle at `path` against this workbook; never writes."""

    import_requested = Signal(int, str, bool)  # team id, title, patient text confirmed

    def __init__(self, wb, path: Path, team_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.wb, self.path = wb, Path(path)
        self.plan: ImportPlan | None = None
        self.titles_in_use: set[str] = set()
        self.setWindowTitle("Import project from another ward")
        self._build()
        self._connect_signals()
        self._load(team_id)

    @property
    def preview(self) -> BundlePreview | None:
        return self.plan.preview if self.plan is not None else None

    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("shareImportHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.refusal = QLabel()
        self.refusal.setObjectName("shareImportRefusal")
        self.refusal.setAccessibleName("Why the bundle cannot be imported")
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet(_REFUSED_STYLE)
        self.refusal.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refusal.hide()
        self.source_label, self.exported_label, self.contents_label = QLabel(), QLabel(), QLabel()
        self.contents_label.setAccessibleName("What the bundle holds")
        bundle_box = QGroupBox("In the bundle")
        form = QFormLayout(bundle_box)
        for label, text in ((self.source_label, "From:"), (self.exported_label, "Exported:"),
                            (self.contents_label, "Holds:")):
            label.setWordWrap(True)
            form.addRow(text, label)
        self.team = QComboBox()
        self.team.setAccessibleName("Team to import into")
        self.team.setToolTip("The ward or unit the project will belong to in this workbook")
        self.title = QLineEdit()
        self.title.setAccessibleName("Project title in this workbook")
        self.title.setMaxLength(TITLE_MAX)
        self.title_problem = QLabel()
        self.title_problem.setWordWrap(True)
        self.title_problem.setStyleSheet(_REFUSED_STYLE)
        self.title_problem.hide()
        target_box = QGroupBox("Where it goes")
        target = QFormLayout(target_box)
        target.addRow("&Team:", self.team)
        target.addRow("Project &title:", self.title)
        target.addRow("", self.title_problem)
        self.report = QTextBrowser()
        self.report.setAccessibleName("Clashes and warnings")
        self.report.setOpenLinks(False)
        self.pid_check = QCheckBox("I have checked this text: it does not identify a &patient")
        self.pid_check.setAccessibleName("Confirm no patient-identifiable text")
        self.pid_check.hide()
        self.report_box = QGroupBox("Check before importing")
        report_layout = QVBoxLayout(self.report_box)
        report_layout.addWidget(self.report)
        report_layout.addWidget(self.pid_check)
        self.note = QLabel(IMPORT_NOTE)
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("&Import",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setAccessibleName("Import the project")
        self.import_button.setToolTip("Write the whole project into this workbook in one go")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.refusal)
        layout.addWidget(bundle_box)
        layout.addWidget(target_box)
        layout.addWidget(self.report_box, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.details = [bundle_box, target_box, self.report_box, self.note]
        self.resize(700, 600)  # at most: fits a 1280x720 ward screen

    def _connect_signals(self) -> None:
        self.team.activated.connect(self._on_team_activated)
        self.title.textChanged.connect(self._update_import_button)
        self.pid_check.toggled.connect(self._update_import_button)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _load(self, team_id: int | None) -> None:
        """Check the bundle and plan it into the chosen (or first) team."""
        choices = teams.list_teams(self.wb)
        for team in choices:
            self.team.addItem(team.name, team.id)
        if not choices:
            self._show_bundle(None)
            self.show_refusal("This workbook has no ward or unit yet: add a team first "
                              "(Project menu), then import the project into it.")
            return
        self.team.setCurrentIndex(max(0, self.team.findData(team_id)))
        self._plan(self.team.currentData(), fresh=True)
        self.resize(self.width(), self.sizeHint().height())

    def _plan(self, team_id: int, fresh: bool = False) -> None:
        old = self.plan
        try:
            self.plan = plan_import(self.wb, self.path, team_id)
        except (ValidationError, StorageError) as exc:
            self.plan = None
            self._show_bundle(None)
            self.show_refusal(exc.message)
            return
        self.titles_in_use = {_key(p.title) for p in projects.list_projects(self.wb, team_id)}
        plan = self.plan
        # Keep a title the reader typed; otherwise offer the bundle's, or a free one.
        offered = {old.suggested_title, old.preview.project_title} if old else set()
        if fresh or self.title.text() in offered:
            self.title.setText(plan.suggested_title if plan.title_clash
                               else plan.preview.project_title)
        if fresh:
            self._show_bundle(plan.preview)
        self._show_report(plan)
        self._update_import_button()

    def _show_bundle(self, preview: BundlePreview | None) -> None:
        if preview is None:
            self.heading.setText(f"<b>{escape(self.path.name)}</b> cannot be imported.")
            for widget in self.details:
                widget.hide()
            return
        m = preview.manifest
        self.heading.setText(f"<span style='font-size: 13pt; font-weight: 600;'>"
                             f"{escape(preview.project_title)}</span><br>"
                             f"from the file {escape(self.path.name)}")
        self.heading.setToolTip(str(self.path))
        source = " — ".join(part for part in (m.source_team, m.source_workbook) if part)
        self.source_label.setText(source or "not recorded")
        when = m.exported_at.astimezone().strftime("%d %b %Y at %H:%M")
        self.exported_label.setText(f"{when} by {m.exported_by}" if m.exported_by else when)
        self.contents_label.setText(contents_sentence(m.counts))

    def _show_report(self, plan: ImportPlan) -> None:
        # Patient-data lines next to the clash: both ask for a decision, the rest inform.
        pid = list(plan.pid_warnings)
        rest = [line for line in plan.report() if line not in pid]
        lines = rest[:1] + pid + rest[1:] if plan.title_clash else pid + rest
        items = "".join(f"<li style='margin-bottom: 4px;'>{escape(line)}</li>" for line in lines)
        self.report.setHtml(f"<ul style='margin-left: -20px;'>{items}</ul>" if lines
                            else f"<p>{escape(NO_CLASHES)}</p>")
        self.pid_check.setVisible(bool(plan.pid_warnings))
        if not plan.pid_warnings:
            self.pid_check.setChecked(False)
        self._fit_report()

    def _fit_report(self) -> None:
        """As tall as its lines (no empty box for one line), scrolling beyond REPORT_MAX."""
        document = self.report.document()
        shown = self.report.viewport().width()
        document.setTextWidth(shown if self.report.isVisible() else self.width() - 60)
        frame = 2 * self.report.frameWidth() + 4
        height = int(document.size().height()) + frame
        self.report.setMinimumHeight(min(height, REPORT_MIN))
        self.report.setMaximumHeight(height)

    def title_problem_text(self) -> str:
        """Why the title can't be used ('' when it can)."""
        title = self.title.text().strip()
        if not title:
            return "Give the project a title."
        if _key(title) in self.titles_in_use:
            return (f"{self.team.currentText()} already has a project called '{title}': "
                    "choose another title.")
        return ""

    def _update_import_button(self, *_args) -> None:
        problem = self.title_problem_text() if self.plan is not None else ""
        self.title_problem.setText(problem)
        self.title_problem.setVisible(bool(problem))
        pid_ok = self.plan is not None and (not self.plan.pid_warnings
                                            or self.pid_check.isChecked())
        self.import_button.setEnabled(self.plan is not None and not problem and pid_ok)

    def show_refusal(self, message: str) -> None:
        """Say why nothing was (or can be) imported; the dialog stays open."""
        self.refusal.setText(message)
        self.refusal.show()
        if self.plan is None:
            self.import_button.setEnabled(False)
            self.import_button.hide()  # nothing here can be imported: Close is the way on
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")
            self.resize(self.width(), self.minimumSizeHint().height())

    def _on_team_activated(self, _index: int) -> None:
        self.refusal.hide()
        self._plan(self.team.currentData())

    def _on_buttons_accepted(self) -> None:
        if self.import_button.isEnabled():
            self.refusal.hide()
            self.import_requested.emit(self.team.currentData(), self.title.text().strip(),
                                       self.pid_check.isChecked())
