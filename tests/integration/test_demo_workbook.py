"""The demo workbook: written through the services, re-opened, complete, deterministic,
and its falls project really shows the improvement on an SPC chart."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from qidesk.analysis import spc
from qidesk.domain.enums import (
    AnnotationKind,
    ChangeIdeaStatus,
    DriverLevel,
    Frequency,
    MeasureKind,
    PdsaDecision,
    ReviewSubject,
    ValueType,
)
from qidesk.domain.errors import ValidationError
from qidesk.domain.periods import periods_between
from qidesk.domain.pid_guard import pid_warnings
from qidesk.services import data_points, drivers, imports, measures, pdsa, projects, reviews, series, teams
from qidesk.services.demo import WARD_NAME, write_demo_workbook
from qidesk.services.workbook import open_workbook

_TIMESTAMPS = {"id", "entered_at", "reviewed_at"}


def _build(folder: Path, name: str = "demo.qidesk") -> Path:
    path = folder / name
    write_demo_workbook(path)
    return path


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """One demo build for the read-only checks (with the user folders kept isolated)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("QIDESK_DATA_DIR", str(tmp_path_factory.mktemp("data")))
        return _build(tmp_path_factory.mktemp("demo"))


def _content(path: Path) -> dict:
    """Everything a team sees, without ids and timestamps (which differ between builds)."""
    def plain(entity) -> dict:
        return {k: v for k, v in dataclasses.asdict(entity).items()
                if k not in _TIMESTAMPS and not k.endswith("_id")}

    with open_workbook(path, read_only=True) as wb:
        content: dict = {"staff": [s.name for s in teams.list_staff(wb)]}
        for team in teams.list_teams(wb):
            for project in projects.list_projects(wb, team.id):
                key = f"{team.name}/{project.title}"
                content[key] = [plain(project)] + [plain(m) for m in projects.list_members(wb, project.id)]
                content[key] += [plain(s) for s in projects.score_history(wb, project.id)]
                for node in drivers.driver_diagram(wb, project.id):
                    content[key].append(plain(node))
                    content[key] += [plain(c) for c in pdsa.list_cycles(wb, node.id)]
                for measure in measures.list_measures(wb, project.id):
                    content[key].append(plain(measure))
                    content[key] += [plain(p) for p in data_points.list_data_points(wb, measure.id)]
                    content[key] += [plain(p) for p in measures.list_phases(wb, measure.id)]
                    content[key] += [plain(a) for a in measures.list_annotations(wb, measure.id)]
    return content


def _everything(path: Path):
    """(workbook, team, projects, {measure name: measure}) opened read-only."""
    wb = open_workbook(path, read_only=True)
    (team,) = teams.list_teams(wb)
    found = projects.list_projects(wb, team.id)
    all_measures = {m.name: m for p in found for m in measures.list_measures(wb, p.id)}
    return wb, team, found, all_measures


def test_demo_has_one_ward_three_projects_and_every_kind_of_measure(demo):
    wb, team, found, all_measures = _everything(demo)
    with wb:
        assert team.name == WARD_NAME
        assert sorted(p.title for p in found) == [
            "Discharges before noon", "NEWS2 observations on time", "Reducing inpatient falls"]
        assert len(all_measures) == 14
        values = [m.value_type for m in all_measures.values()]
        assert set(values) == set(ValueType)
        assert {m.frequency for m in all_measures.values()} == set(Frequency)
        assert {m.kind for m in all_measures.values()} == set(MeasureKind)
        for project in found:
            kinds = {m.kind for m in measures.list_measures(wb, project.id)}
            assert kinds == set(MeasureKind), project.title
        assert all(m.definition and m.data_source for m in all_measures.values())
        assert len(teams.list_staff(wb)) >= 8


def test_demo_series_are_long_and_plausible_for_a_28_bed_ward(demo):
    wb, _, _, all_measures = _everything(demo)
    with wb:
        loaded = series.load_series(wb, [m.id for m in all_measures.values()])
        rate = loaded[all_measures["Falls per 1,000 occupied bed days"].id]
        weekly = loaded[all_measures["NEWS2 observations on time"].id]
    months = (rate.periods[-1].year - rate.periods[0].year) * 12 + rate.periods[-1].month - rate.periods[0].month + 1
    assert 18 <= months <= 24
    assert rate.periods[-1] == date(2026, 10, 1)
    bed_days = np.array(rate.denominators)
    assert bed_days.min() > 700 and bed_days.max() <= 28 * 31
    rates = np.array(rate.numerators) / bed_days * 1000
    before, after = rates[:9].mean(), rates[12:].mean()
    assert 6.0 <= before <= 9.0 and 3.5 <= after <= 5.0
    expected_weeks = periods_between(date(2024, 11, 4), date(2026, 10, 26), Frequency.WEEK)
    assert len(weekly.periods) == len(expected_weeks) - 1  # one audit missed (a gap)
    assert sum(weekly.excluded) == 1


def test_falls_series_shows_a_signal_after_bay_nursing(demo):
    wb, _, _, all_measures = _everything(demo)
    with wb:
        rate = all_measures["Falls per 1,000 occupied bed days"]
        points = data_points.list_data_points(wb, rate.id)
        (split,) = measures.list_phases(wb, rate.id)
    y = [p.numerator for p in points]
    n = [p.denominator for p in points]
    adopted = [p.period for p in points].index(split.start_date)
    whole = spc(y, n, chart="u", multiply=1000)
    assert whole.runs_signal.any()  # non-random variation over the two years
    frozen = spc(y, n, chart="u", multiply=1000, freeze=adopted)
    assert frozen.runs_signal[adopted:].all()  # every month since adoption is part of the shift
    assert np.mean(y[adopted:]) < np.mean(y[:adopted])


def test_driver_diagram_pdsa_ramps_annotations_and_reviews(demo):
    wb, _, found, all_measures = _everything(demo)
    with wb:
        falls = next(p for p in found if p.title == "Reducing inpatient falls")
        nodes = drivers.driver_diagram(wb, falls.id)
        assert {n.level for n in nodes} == set(DriverLevel)
        ideas = {n.text: n for n in nodes if n.level == DriverLevel.CHANGE_IDEA}
        assert set(n.status for n in ideas.values()) == set(ChangeIdeaStatus)
        ramp = pdsa.list_cycles(wb, ideas["Bay nursing: a named nurse or HCA stays in each bay"].id)
        assert [c.decision for c in ramp] == [PdsaDecision.ADAPT, PdsaDecision.ADAPT, PdsaDecision.ADOPT]
        assert all(c.predictions and c.study_results for c in ramp)
        numeric = [c for c in ramp if c.prediction_value is not None]
        assert numeric and all(c.prediction_measure_id and c.prediction_by for c in numeric)
        assert pdsa.linked_measures(wb, ramp[-1].id)
        socks = pdsa.list_cycles(wb, ideas["Non-slip slipper socks for every patient"].id)
        assert [c.decision for c in socks] == [PdsaDecision.ABANDON]
        kinds = Counter(a.kind for m in all_measures.values() for a in measures.list_annotations(wb, m.id))
        assert set(kinds) == set(AnnotationKind)
        assert any(a.pdsa_cycle_id for m in all_measures.values() for a in measures.list_annotations(wb, m.id))
        signed = reviews.list_reviews(wb, ReviewSubject.PROJECT, falls.id)
        assert signed and signed[0].reviewer == "Lisa Duffy" and signed[0].comment
        rate = all_measures["Falls per 1,000 occupied bed days"]
        assert reviews.list_reviews(wb, ReviewSubject.MEASURE, rate.id)
        assert all(m.baseline_points is None or m.baseline_points >= 2 for m in all_measures.values())
        assert any(m.baseline_points for m in all_measures.values())
        assert {p.entered_by for p in data_points.list_data_points(wb, rate.id)} == {"Tom Reilly"}


def test_demo_text_holds_nothing_that_looks_like_patient_data(demo):
    flagged = {k: v for k, values in _content(demo).items() for v in values
               if isinstance(v, dict) for text in v.values()
               if isinstance(text, str) and pid_warnings(text)}
    assert flagged == {}


def test_demo_is_deterministic(demo, tmp_path):
    second = _build(tmp_path, "again.qidesk")
    assert _content(second) == _content(demo)
    for path in (demo, second):  # the exported data of every measure, byte for byte
        wb, _, _, all_measures = _everything(path)
        with wb:
            for number, measure in enumerate(all_measures.values()):
                imports.export_measure_data(wb, measure.id, tmp_path / f"{path.stem}-{number}.csv")
    for number in range(14):
        assert (tmp_path / f"demo-{number}.csv").read_bytes() == (tmp_path / f"again-{number}.csv").read_bytes()


def test_demo_refuses_to_overwrite_a_file(tmp_path):
    existing = tmp_path / "ward.qidesk"
    existing.write_bytes(b"a ward's real workbook")
    with pytest.raises(ValidationError, match="already exists"):
        write_demo_workbook(existing)
    assert existing.read_bytes() == b"a ward's real workbook"


def test_demo_file_is_a_healthy_workbook_left_closed(demo):
    connection = sqlite3.connect(f"file:{demo}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()
    with open_workbook(demo, "Checker") as wb:
        assert not wb.read_only  # the builder's lease was released


def test_demo_through_the_command_line(tmp_path, capsys):
    from qidesk.app import main

    path = tmp_path / "cli demo.qidesk"
    assert main(["demo", str(path)]) == 0
    assert main(["check", str(path)]) == 0
    assert "integrity ok" in capsys.readouterr().out
    export = tmp_path / "falls.xlsx"
    assert main(["export", str(path), "--measure", "Falls per 1,000 occupied bed days", str(export)]) == 0
    assert main(["demo", str(path)]) == 1  # never over an existing file


def test_days_between_events_match_the_event_dates(demo):
    wb, _, _, all_measures = _everything(demo)
    with wb:
        points = data_points.list_data_points(wb, all_measures["Days between falls with harm"].id)
    gaps = [(b.period - a.period).days for a, b in zip(points, points[1:])]
    assert [p.value for p in points[1:]] == gaps
    assert len(points) >= 12  # enough rare events for a t chart


def test_every_demo_measure_charts_with_the_expected_chart_types(demo):
    from qidesk.services.charts import measure_chart

    wb, _, _, all_measures = _everything(demo)
    with wb:
        charted = {name: measure_chart(wb, m.id) for name, m in all_measures.items()}
    assert all(c.has_data and c.findings for c in charted.values())
    weekly_falls = charted["Falls per week"]
    assert weekly_falls.chart == "c" and weekly_falls.phase_starts
    assert {c.chart for c in charted.values()} >= {"u", "c", "p", "i", "g", "t"}
