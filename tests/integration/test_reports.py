"""Board and project reports from real workbooks, read back as a reader would: the PDF's
pages rendered (pdftoppm) and its text (pdftotext), the Excel file's cells."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from PySide6.QtGui import QFont, QFontMetricsF, QImage

from qidesk.domain.entities import DataPoint, DriverNode, Measure, PdsaCycle, Project, Team
from qidesk.domain.enums import (
    ChangeIdeaStatus,
    DriverLevel,
    MeasureKind,
    PdsaDecision,
    ValueType,
)
from qidesk.reports.board_report import MARGIN, WIDTHS, BoardReport, export_board_pdf, icon_label
from qidesk.reports.board_workbook import HEADER_ROW, export_board_xlsx
from qidesk.reports.driver_diagram import ITEM_NODE, ITEM_ROLE, diagram_scene, last_line_width
from qidesk.reports.driver_layout import PRINT, SCREEN, Rect, overlapping_pairs
from qidesk.reports.page_layout import ELLIPSIS, fit_text
from qidesk.reports.project_report import export_project_pdf
from qidesk.reports.report_file import ReportNotSaved, written_atomically
from qidesk.services import drivers, measures, pdsa, projects, teams
from qidesk.services.board_report_data import board_report_rows
from qidesk.services.charts import measure_chart
from qidesk.services.data_points import record_data_points
from qidesk.services.demo import write_demo_workbook
from qidesk.services.project_report_data import project_report_data
from qidesk.services.workbook import open_workbook

POINTS_PER_INCH, LOGICAL_DPI = 72, 96


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.qidesk"
    write_demo_workbook(path)
    return path


@pytest.fixture
def demo(demo_master, tmp_path, qapp):
    path = tmp_path / "ward7.qidesk"
    shutil.copy2(demo_master, path)
    book = open_workbook(path, "Lisa Duffy", backup_folder=tmp_path / "backups")
    yield book
    book.close()


def pdf_text(path, *extra) -> str:
    return subprocess.run(["pdftotext", *extra, str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def flat(text: str) -> str:
    """Whitespace as single spaces, ligatures (ﬁ, ﬀ) as their letters."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


A4_LANDSCAPE, A4_PORTRAIT, A3_LANDSCAPE = (842, 595), (595, 842), (1191, 842)  # points


def pdf_pages(path) -> tuple[int, tuple[float, float]]:
    """(page count, (width, height) of the first page in points)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    return pages, (float(width), float(height))


def inked_share(path, tmp_path, page: int = 1) -> float:
    """Share of sampled pixels that are not white on a rendered page."""
    stem = tmp_path / f"{path.stem}-page"
    subprocess.run(["pdftoppm", "-r", "40", "-f", str(page), "-l", str(page), "-png",
                    str(path), str(stem)], check=True)
    image = QImage(str(next(tmp_path.glob(f"{stem.name}*.png"))))
    assert not image.isNull()
    inked = total = 0
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            total += 1
            inked += image.pixelColor(x, y).lightness() < 235
    return inked / total


def test_board_rows_carry_the_live_charts_icons_for_every_demo_measure(demo):
    rows = board_report_rows(demo)
    assert len(rows) == 14
    for row in rows:
        chart = measure_chart(demo, row.measure.id)
        assert (row.variation, row.assurance) == (chart.variation, chart.assurance)
        assert row.latest_period == chart.periods[-1]
    signed = [r for r in rows if r.comment]
    assert signed and all(r.signed_off_by == "Lisa Duffy" for r in signed)


def test_board_pdf_shows_each_measures_icons_in_its_own_row(demo, tmp_path):
    rows = board_report_rows(demo)
    path = export_board_pdf(rows, tmp_path / "board.pdf", "Board report: Ward 7")
    pages, size = pdf_pages(path)
    assert size == pytest.approx(A4_LANDSCAPE, abs=1.5)
    report = BoardReport(rows, "Board report: Ward 7")
    assert pages == len(report.pages) >= 2
    words = _words(path)
    edges = [MARGIN + sum(WIDTHS[:k]) for k in range(len(WIDTHS) + 1)]
    measure_column, variation_column, assurance_column = (edges[0], edges[1]), \
        (edges[4], edges[5]), (edges[5], edges[6])

    def cell(number, box, column):
        inside = sorted((y, x, w) for p, x, y, w in words if p == number
                        and box.top() <= y < box.bottom() and column[0] <= x < column[1])
        return flat(" ".join(w for _, _, w in inside))

    for number, row, box in report.row_boxes():
        assert cell(number, box, measure_column).startswith(flat(row.measure.name))
        for name, column in ((row.variation, variation_column), (row.assurance, assurance_column)):
            # The icon's own letters (text in the SVG) and its meaning in words.
            letters, meaning = icon_label(name).split(" ", 1) if name else ("", "—")
            found = "".join(sorted(cell(number, box, column).replace(" ", "")))
            assert found == "".join(sorted(letters + meaning.replace(" ", ""))), row.measure.name
    for number in range(1, pages + 1):  # the header row repeats on every page
        first_row = min(box.top() for n, _, box in report.row_boxes() if n == number)
        header = [w for p, x, y, w in words if p == number and y < first_row]
        assert header[-9:] == ["Measure", "Team", "/", "project", "Latest", "Target",
                               "Variation", "Assurance", "Comment"]
        assert inked_share(path, tmp_path, number) > 0.02


def _words(path) -> list[tuple[int, float, float, str]]:
    """(page, x, y-centre, word) in report units (96 per inch)."""
    html = pdf_text(path, "-bbox")
    found, page = [], 0
    scale = LOGICAL_DPI / POINTS_PER_INCH
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        match = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*)</word>',
                          line)
        if match:
            x, top, bottom, word = match.groups()
            found.append((page, float(x) * scale, (float(top) + float(bottom)) / 2 * scale,
                          word.replace("&amp;", "&")))
    return found


def test_board_excel_has_numbers_dates_icons_and_a_frozen_header(demo, tmp_path):
    rows = board_report_rows(demo)
    path = export_board_xlsx(rows, tmp_path / "board.xlsx", "Board report: Ward 7")
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].value == "Board report: Ward 7"
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert [c.value for c in sheet[HEADER_ROW]][:3] == ["Team", "Project", "Measure"]
    assert sheet.column_dimensions["C"].width >= 30
    for number, row in enumerate(rows, start=HEADER_ROW + 1):
        cells = [c.value for c in sheet[number]]
        chart = measure_chart(demo, row.measure.id)
        assert cells[2] == row.measure.name
        assert cells[8] == (icon_label(chart.variation) if chart.variation else None)
        assert cells[9] == (icon_label(chart.assurance) if chart.assurance else None)
        assert cells[4] == pytest.approx(row.latest_value)
        assert isinstance(cells[6], datetime) and cells[6].date() == row.latest_period
        assert cells[7] == row.target
    assert sheet.max_row == HEADER_ROW + len(rows)


@pytest.mark.parametrize(("layout", "size"), [("a4", A4_PORTRAIT), ("a3", A3_LANDSCAPE)])
def test_project_report_is_one_page_with_the_aim_and_key_measures(demo, tmp_path, layout, size):
    for project in projects.list_projects(demo, teams.list_teams(demo)[0].id):
        data = project_report_data(demo, project.id)
        path = export_project_pdf(data, tmp_path / f"{project.id}-{layout}.pdf", layout)
        pages, page_size = pdf_pages(path)
        assert pages == 1 and page_size == pytest.approx(size, abs=1.5)
        text = flat(pdf_text(path))
        assert flat(project.aim_statement) in text
        assert flat(data.charts[0].measure.name) in text  # an outcome measure comes first
        assert data.charts[0].measure.kind == MeasureKind.OUTCOME
        assert "PDSA log" in text and "Driver diagram" in text
        assert inked_share(path, tmp_path) > 0.05


def test_a_crowded_project_still_fits_one_page_and_says_what_was_left_out(qapp, tmp_path):
    book = open_workbook(tmp_path / "big.qidesk", "Sam Jones", create=True,
                         backup_folder=tmp_path / "backups")
    project_id = _crowded_project(book)
    data = project_report_data(book, project_id)
    for layout in ("a4", "a3"):
        path = export_project_pdf(data, tmp_path / f"big-{layout}.pdf", layout)
        assert pdf_pages(path)[0] == 1
        text = flat(pdf_text(path))
        shown = 4 if layout == "a4" else 6
        assert f"{12 - shown} more measures not shown" in text
        assert "earlier PDSA cycles not shown" in text
        assert "was shortened to fit" in text  # the long aim was cut with a note
    book.close()


def _crowded_project(book) -> int:
    team = teams.add_team(book, Team(name="Ward 9")).id
    aim = "Reduce pressure ulcers on Ward 9 " + "and keep every patient's skin intact " * 25
    project = projects.add_project(book, Project(team_id=team, title="Skin integrity",
                                                 aim_statement=aim)).id
    start = date(2024, 1, 1)
    for k in range(12):
        measure = measures.add_measure(book, Measure(
            project_id=project, name=f"Skin measure {k + 1}", value_type=ValueType.CONTINUOUS,
            kind=list(MeasureKind)[k % 3])).id
        record_data_points(book, measure, [DataPoint(measure_id=measure, period=start + timedelta(weeks=w),
                                                     value=float(10 + (w * 7 + k) % 5))
                                           for w in range(100)])
    root = drivers.add_node(book, DriverNode(project_id=project, level=DriverLevel.AIM,
                                             text="No pressure ulcers")).id
    primary = drivers.add_node(book, DriverNode(project_id=project, parent_id=root,
                                                level=DriverLevel.PRIMARY, text="Skin checks")).id
    idea = drivers.add_node(book, DriverNode(project_id=project, parent_id=primary,
                                             level=DriverLevel.CHANGE_IDEA,
                                             text="SSKIN bundle at every turn")).id
    for n in range(1, 21):
        pdsa.add_cycle(book, PdsaCycle(change_idea_id=idea, cycle_number=n, title=f"Test {n}",
                                       started_on=start + timedelta(weeks=2 * n),
                                       decision=PdsaDecision.ADAPT,
                                       learning="Turns were recorded on most shifts."))
    return project


def test_long_text_shrinks_then_is_shortened_never_clipped(qapp):
    short = fit_text("Falls per week", 200, 40, 10)
    assert not short.shortened and short.text == "Falls per week"
    long = fit_text("word " * 400, 200, 60, 10, min_points=8)
    assert long.shortened and long.text.endswith(ELLIPSIS) and long.height <= 60
    assert long.font.pixelSize() == round(8 * 96 / 72)


def test_a_failed_save_keeps_the_old_file_and_leaves_no_half_written_one(tmp_path):
    target = tmp_path / "board.xlsx"
    target.write_bytes(b"old report")
    with pytest.raises(RuntimeError), written_atomically(target) as temp:
        temp.write_bytes(b"half a rep")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["board.xlsx"]
    with pytest.raises(ReportNotSaved, match="Choose a folder"):
        with written_atomically(tmp_path / "missing" / "board.pdf"):
            pass


def test_a_new_project_reports_what_is_still_missing(qapp, tmp_path):
    book = open_workbook(tmp_path / "new.qidesk", "Sam Jones", create=True,
                         backup_folder=tmp_path / "backups")
    team = teams.add_team(book, Team(name="Ward 2")).id
    project = projects.add_project(book, Project(team_id=team, title="Hydration")).id
    measures.add_measure(book, Measure(project_id=project, name="Jugs refilled by 10:00"))
    text = flat(pdf_text(export_project_pdf(project_report_data(book, project),
                                            tmp_path / "new.pdf")))
    for missing in ("Not written yet.", "No team members recorded yet.",
                    "No driver diagram drawn yet.", "No PDSA cycles recorded yet.",
                    "No findings or learning written yet.", "Jugs refilled by 10:00 Outcome measure",
                    "no data yet No data yet."):
        assert missing in text
    board = flat(pdf_text(export_board_pdf(board_report_rows(book), tmp_path / "b.pdf", "Board")))
    assert "No data yet" in board and "Not signed off yet." in board
    book.close()


def _project(book, title: str) -> int:
    return next(p.id for p in projects.list_projects(book, teams.list_teams(book)[0].id)
                if p.title == title)


def test_the_falls_a4_report_draws_its_fifteen_box_driver_diagram_readably(demo, tmp_path):
    data = project_report_data(demo, _project(demo, "Reducing inpatient falls"))
    assert len(data.nodes) == 15
    path = export_project_pdf(data, tmp_path / "falls.pdf", "a4")
    text = flat(pdf_text(path))
    assert "summarised" not in text and "too big to read" not in text
    boxes = [n.text for n in data.nodes if n.level != DriverLevel.AIM]
    for box in boxes:
        assert flat(box) in text, box
    # As readable as the page's own text: the boxes' words at least 7.5 points (they
    # printed at about 5.5 before the diagram had a print geometry), and every change
    # idea's status in words beside its mark.
    drawn = _diagram_words(path)
    sizes = [size for word, size in drawn if any(word in box.split() for box in boxes)]
    assert len(sizes) > 60 and min(sizes) >= 7.5
    ideas = [n for n in data.nodes if n.level == DriverLevel.CHANGE_IDEA]
    statuses = " ".join(word for word, _size in drawn)
    for label in ("Adopted", "Abandoned", "Testing"):
        assert label in statuses
    assert statuses.count("Not tested yet") == 1 + sum(n.status in (None, ChangeIdeaStatus.UNTESTED)
                                                       for n in ideas)  # and the key's
    # No empty band between the diagram (its status key last) and the charts below.
    assert _gap_above_key_measures(path) < 50


def test_the_print_diagram_keeps_every_word_and_mark_inside_its_own_box(demo):
    """Narrower print columns: words wrap inside their boxes, no box overlaps another, and a
    status word put beside a label's last line never covers its words (on screen it
    stays on a line of its own)."""
    beside = 0
    for project in projects.list_projects(demo, teams.list_teams(demo)[0].id):
        data = project_report_data(demo, project.id)
        for geometry in (PRINT, SCREEN):
            scene = diagram_scene(data.aim_text, data.nodes, geometry)
            items = {}
            for item in scene.items():
                items.setdefault((item.data(ITEM_ROLE), item.data(ITEM_NODE)), item)
            boxes = {node: item.rect() for (role, node), item in items.items() if role == "box"}
            assert len(boxes) >= len(data.nodes)  # and an aim box when they have none
            assert {b.width() for b in boxes.values()} <= set(geometry.column_widths)
            assert overlapping_pairs([Rect(b.x(), b.y(), b.width(), b.height())
                                      for b in boxes.values()]) == []
            for (role, node), item in items.items():
                if role in ("label", "status", "symbol") and node >= 0:
                    assert boxes[node].contains(item.sceneBoundingRect()), (role, node)
            for (role, node), status in items.items():
                if role != "status":
                    continue
                label = items[("label", node)]
                words, mark = status.sceneBoundingRect(), items[("symbol", node)]
                assert not mark.sceneBoundingRect().intersects(words)
                if words.top() >= label.sceneBoundingRect().bottom():
                    continue
                assert geometry.status_beside_words
                beside += 1
                assert words.left() >= label.x() + last_line_width(label) + 8
                assert words.bottom() <= label.sceneBoundingRect().bottom()
    assert beside >= 3


def _diagram_words(path) -> list[tuple[str, float]]:
    """(word, font size in points) of the words between the "Driver diagram" heading and
    the "Key measures" heading, in reading order."""
    lines = [re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*)</word>', line)
             for line in pdf_text(path, "-bbox").splitlines()]
    words = [(m.group(3), float(m.group(1)), float(m.group(2))) for m in lines if m]
    start = next(k for k, (w, _t, _b) in enumerate(words) if w == "Driver") + 2
    end = next(k for k, (w, _t, _b) in enumerate(words) if w == "Key" and k > start)
    # A word's box is its font's ascent + descent tall: turn that back into a font size.
    em = QFont()
    em.setPixelSize(100)
    metrics = QFontMetricsF(em)
    per_point = (metrics.ascent() + metrics.descent()) / 100
    return [(w, (bottom - top) / per_point) for w, top, bottom in words[start:end]]


def _gap_above_key_measures(path) -> float:
    """Space between the lowest word above the "Key measures" heading and the heading."""
    found = _words(path)
    heading = min(y for _, _, y, w in found if w == "Key")
    return heading - max(y for _, _, y, _w in found if y < heading - 1)


def test_only_a_huge_driver_diagram_is_summarised_and_the_summary_leaves_no_gap(qapp, tmp_path):
    book = open_workbook(tmp_path / "big.qidesk", "Sam Jones", create=True,
                         backup_folder=tmp_path / "backups")
    data = project_report_data(book, _crowded_project(book))
    path = export_project_pdf(data, tmp_path / "big.pdf", "a4")
    text = flat(pdf_text(path))
    assert f"Driver diagram ({len(data.nodes)} boxes) summarised" in text
    assert _gap_above_key_measures(path) < 50
    book.close()


def test_a_poster_gives_a_diagram_a_little_too_tall_more_room_rather_than_a_summary(qapp,
                                                                                   tmp_path):
    book = open_workbook(tmp_path / "mid.qidesk", "Sam Jones", create=True,
                         backup_folder=tmp_path / "backups")
    team = teams.add_team(book, Team(name="Ward 9")).id
    project = projects.add_project(book, Project(team_id=team, title="Missed doses",
                                                 aim_statement="Fewer missed doses by June.")).id
    aim = drivers.add_node(book, DriverNode(project_id=project, level=DriverLevel.AIM,
                                            text="Fewer missed doses")).id
    for p in range(3):  # 3 primaries, 6 secondaries, 12 change ideas
        primary = drivers.add_node(book, DriverNode(project_id=project, parent_id=aim,
                                                    level=DriverLevel.PRIMARY,
                                                    text=f"Medicines on the ward {p}")).id
        for s in range(2):
            secondary = drivers.add_node(book, DriverNode(
                project_id=project, parent_id=primary, level=DriverLevel.SECONDARY,
                text=f"Stock checked daily {p}.{s}")).id
            for i in range(2):
                drivers.add_node(book, DriverNode(
                    project_id=project, parent_id=secondary, level=DriverLevel.CHANGE_IDEA,
                    text=f"Red apron on the drug round {p}.{s}.{i}"))
    data = project_report_data(book, project)
    poster = export_project_pdf(data, tmp_path / "mid-a3.pdf", "a3")
    text = flat(pdf_text(poster))
    assert "summarised" not in text
    for n in range(3):
        assert f"Red apron on the drug round {n}.1.1" in text
    assert min(size for _word, size in _diagram_words(poster)) >= 6.5
    book.close()


@pytest.mark.parametrize("layout", ["a4", "a3"])
def test_chart_tiles_keep_small_points_a_readable_plot_and_whole_findings(demo, tmp_path,
                                                                          layout):
    """Markers scaled to the tile, the plot never squashed flat by annotation labels,
    and each finding ending on a full stop rather than an ellipsis."""
    from qidesk.reports.chart_tile import SMALLEST_SYMBOL, ChartTile, key_finding
    from qidesk.reports.project_report import ProjectReport

    for project in projects.list_projects(demo, teams.list_teams(demo)[0].id):
        data = project_report_data(demo, project.id)
        report = ProjectReport(data, layout)
        tiles = []
        original = ChartTile.paint

        def spy(tile, painter, rect, _tiles=tiles):
            original(tile, painter, rect)
            _tiles.append((tile, rect))

        ChartTile.paint = spy
        try:
            path = write_report(report, tmp_path / f"{project.id}-{layout}.pdf")
        finally:
            ChartTile.paint = original
        assert tiles
        text = flat(pdf_text(path))
        for tile, rect in tiles:
            name = tile.chart.measure.name
            points = len(tile.chart.periods)
            # Neighbouring points stay apart: the symbol no wider than their spacing.
            assert tile.symbol <= max(SMALLEST_SYMBOL, rect.width() * 0.85 / points), name
            # Room for at least three tick labels of the y axis (about 9 px each).
            assert tile.plot_height >= 35, name
            # The finding's first sentence whole, or its lead-in up to a colon, with
            # its full stop: never cut mid-sentence.
            first = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", key_finding(tile.chart))[0]
            whole = [first] + [first[:m.start()] + "." for m in re.finditer(": ", first)]
            assert any(flat(w) in text for w in whole), (name, first)


def write_report(report, path):
    from qidesk.reports.report_file import write_pdf
    return write_pdf(path, report.page, report.paint, title=report.title)


def test_a_finding_that_does_not_fit_keeps_its_first_whole_sentence(qapp):
    from qidesk.reports.page_layout import fit_sentences

    text = ("Outside the limits: 1 point above the upper limit (12 Jan 2026). A point outside "
            "the 3-sigma limits is unlikely by chance: this is a signal of concern.")
    whole = fit_sentences(text, 2000, 100, 8)
    assert whole.text == text and not whole.shortened
    first = fit_sentences(text, 400, 14, 8)
    assert first.text == "Outside the limits: 1 point above the upper limit (12 Jan 2026)."
    assert not first.shortened
    long = ("Only common-cause variation (1 Nov 2025 – 1 Oct 2026): with 12 useful points, "
            "no run longer than 7 and at least 3 crossings of the centre line.")
    lead = fit_sentences(long, 400, 14, 8)
    assert lead.text == "Only common-cause variation (1 Nov 2025 – 1 Oct 2026)."
