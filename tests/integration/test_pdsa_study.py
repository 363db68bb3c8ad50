"""Study against real figures in a real workbook, and the ramp's rules (one transaction each)."""

from __future__ import annotations

from datetime import date

import pytest

from qidesk.domain.changes import ChangeAction
from qidesk.domain.entities import DataPoint, DriverNode, PdsaCycle
from qidesk.domain.enums import ChangeIdeaStatus, DriverLevel, PdsaDecision, PdsaStatus
from qidesk.domain.errors import ValidationError
from qidesk.services import data_points, drivers, history, measures, pdsa
from qidesk.services.pdsa_study import study_cycle

TODAY = date(2026, 7, 15)
# Falls and bed days per month: about 8 per 1,000 bed days, then 4 after the change.
FIGURES = {1: (8, 1000), 2: (7, 1000), 3: (9, 1000), 4: (4, 1000), 5: (5, 1100), 6: (3, 900)}


@pytest.fixture
def idea(wb, ward) -> int:
    aim = drivers.add_node(wb, DriverNode(project_id=ward.project_id, level=DriverLevel.AIM,
                                          text="Halve falls by December")).id
    primary = drivers.add_node(wb, DriverNode(project_id=ward.project_id, parent_id=aim,
                                              level=DriverLevel.PRIMARY, text="Supervision")).id
    return drivers.add_node(wb, DriverNode(project_id=ward.project_id, parent_id=primary,
                                           level=DriverLevel.CHANGE_IDEA,
                                           text="Bay nursing")).id


@pytest.fixture
def falls_rate(wb, ward) -> int:
    measures.update_measure(wb, ward.bed_days, rate_multiplier=1000.0,
                            improvement_direction="down", unit="per 1,000 bed days")
    for month, (falls, bed_days) in FIGURES.items():
        data_points.record_data_point(wb, DataPoint(measure_id=ward.bed_days,
                                                    period=date(2026, month, 1),
                                                    numerator=falls, denominator=bed_days))
    return ward.bed_days


def predicted_cycle(wb, idea, falls_rate, value: float, **fields) -> PdsaCycle:
    cycle_id = pdsa.add_cycle(wb, PdsaCycle(
        change_idea_id=idea, cycle_number=1, title="Bay nursing in bay 3",
        predictions="Falls per 1,000 bed days will be below 5 by 30 June",
        status=PdsaStatus.DOING, started_on=date(2026, 4, 1), planned_end=date(2026, 6, 30),
        prediction_measure_id=falls_rate, prediction_value=value,
        prediction_by=date(2026, 6, 30), **fields)).id
    pdsa.set_linked_measures(wb, cycle_id, [falls_rate])
    return pdsa.get_cycle(wb, cycle_id)


def test_numeric_prediction_is_judged_on_the_figures_over_the_cycle(wb, idea, falls_rate):
    cycle = predicted_cycle(wb, idea, falls_rate, 5.0)
    # The prediction points the measure's better way unless told otherwise.
    assert cycle.prediction_direction == "below"
    study = study_cycle(wb, cycle, TODAY)
    points = [p for p in data_points.list_data_points(wb, falls_rate)
              if date(2026, 4, 1) <= p.period <= date(2026, 6, 30)]
    expected = sum(p.numerator for p in points) / sum(p.denominator for p in points) * 1000
    assert study.prediction.observed == pytest.approx(expected) == pytest.approx(4.0)
    assert study.prediction.points == 3 and study.prediction.met is True
    assert "below 5 per 1,000 bed days by 30 Jun 2026" in study.prediction.sentence
    assert "prediction met" in study.prediction.sentence
    [window] = study.measures
    assert window.periods == (date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1))
    assert window.values[0] == pytest.approx(4.0)


def test_a_prediction_the_figures_do_not_bear_out_is_not_met(wb, idea, falls_rate):
    cycle = predicted_cycle(wb, idea, falls_rate, 3.5)
    study = study_cycle(wb, cycle, TODAY)
    assert study.prediction.met is False and "prediction not met" in study.prediction.sentence
    pdsa.update_cycle(wb, cycle.id, prediction_direction="above")
    assert study_cycle(wb, pdsa.get_cycle(wb, cycle.id), TODAY).prediction.met is True


def test_no_figures_yet_leaves_the_prediction_open(wb, idea, falls_rate):
    cycle = predicted_cycle(wb, idea, falls_rate, 5.0)
    pdsa.update_cycle(wb, cycle.id, started_on=date(2026, 7, 1), planned_end=date(2026, 8, 31),
                      prediction_by=date(2026, 8, 31))
    study = study_cycle(wb, pdsa.get_cycle(wb, cycle.id), TODAY)
    assert study.prediction.met is None and study.points_in_window == 0
    assert "No figures recorded yet" in study.prediction.sentence


def test_chart_findings_over_the_window(wb, idea, falls_rate):
    later = {date(2026, m, 1): f for m, f in ((7, 2), (8, 3), (9, 2), (10, 3), (11, 2), (12, 2))}
    earlier = {date(2025, m, 1): f for m, f in ((7, 8), (8, 9), (9, 7), (10, 8), (11, 9), (12, 8))}
    for period, falls in {**earlier, **later}.items():
        data_points.record_data_point(wb, DataPoint(measure_id=falls_rate, period=period,
                                                    numerator=falls, denominator=1000))
    cycle = predicted_cycle(wb, idea, falls_rate, 5.0)
    pdsa.update_cycle(wb, cycle.id, finished_on=date(2026, 12, 31))
    study = study_cycle(wb, pdsa.get_cycle(wb, cycle.id), date(2027, 1, 10))
    [window] = study.measures
    assert len(window.periods) == 9
    # Nine months below the median from April: the chart's shift, said over the cycle.
    assert any("signal of improvement" in text for text in window.findings), window.findings


def test_adapt_then_adopt_carries_the_plan_and_sets_the_idea(wb, idea, falls_rate):
    first = predicted_cycle(wb, idea, falls_rate, 5.0, scale="Bay 3, day shifts",
                            plan_who="Nurse in charge", data_plan="Datix falls")
    done = pdsa.decide(wb, first.id, PdsaDecision.ADAPT, next_step="Add a break buddy",
                       decided_on=date(2026, 6, 30))
    [second_id] = done.ids("pdsa_cycle", ChangeAction.CREATED)
    second = pdsa.get_cycle(wb, second_id)
    assert (second.cycle_number, second.status, second.decision) == (2, PdsaStatus.PLANNED, None)
    assert (second.scale, second.plan_who, second.data_plan, second.prediction_value) == (
        "Bay 3, day shifts", "Nurse in charge", "Datix falls", 5.0)
    assert pdsa.linked_measures(wb, second_id) == [falls_rate]
    after = pdsa.get_cycle(wb, first.id)
    assert (after.status, after.decision, after.decided_on, after.finished_on) == (
        PdsaStatus.DONE, PdsaDecision.ADAPT, date(2026, 6, 30), date(2026, 6, 30))
    assert _idea_status(wb, idea) == ChangeIdeaStatus.TESTING
    third = pdsa.decide(wb, second_id, PdsaDecision.ADOPT, next_step="Spread to all bays",
                        decided_on=date(2026, 7, 31)).ids("pdsa_cycle", ChangeAction.CREATED)
    assert [c.cycle_number for c in pdsa.list_cycles(wb, idea)] == [1, 2, 3]
    assert len(third) == 1 and _idea_status(wb, idea) == ChangeIdeaStatus.ADOPTED
    # Deciding again on an earlier cycle records the decision, never a second cycle 3.
    pdsa.decide(wb, first.id, PdsaDecision.ADOPT, next_step="", decided_on=date(2026, 7, 1))
    assert [c.cycle_number for c in pdsa.list_cycles(wb, idea)] == [1, 2, 3]


def test_abandon_needs_a_reason_and_closes_the_ramp(wb, idea, falls_rate):
    cycle = predicted_cycle(wb, idea, falls_rate, 5.0)
    with pytest.raises(ValidationError) as refused:
        pdsa.decide(wb, cycle.id, PdsaDecision.ABANDON, next_step=" ",
                    decided_on=date(2026, 6, 30))
    assert refused.value.field == "next_step"
    pdsa.decide(wb, cycle.id, PdsaDecision.ABANDON, decided_on=date(2026, 6, 30),
                next_step="Not enough staff at night to keep one nurse in the bay")
    assert len(pdsa.list_cycles(wb, idea)) == 1
    assert _idea_status(wb, idea) == ChangeIdeaStatus.ABANDONED
    assert "Not enough staff" in pdsa.get_cycle(wb, cycle.id).next_step


def test_undo_decision_puts_the_cycle_and_idea_back(wb, idea, falls_rate):
    before = predicted_cycle(wb, idea, falls_rate, 5.0)
    pdsa.new_cycle(wb, idea)  # cycle 2 already planned: adapt starts nothing new
    pdsa.delete_cycle(wb, pdsa.list_cycles(wb, idea)[1].id)
    status = _idea_status(wb, idea)
    made = pdsa.decide(wb, before.id, PdsaDecision.ADAPT, next_step="Try nights",
                       decided_on=date(2026, 6, 30)).ids("pdsa_cycle", ChangeAction.CREATED)
    pdsa.undo_decision(wb, before.id, before, status, made[0])
    assert pdsa.get_cycle(wb, before.id) == before
    assert [c.id for c in pdsa.list_cycles(wb, idea)] == [before.id]
    history.restore_record(wb, "pdsa_cycle", made[0])
    assert len(pdsa.list_cycles(wb, idea)) == 2


def test_new_cycle_numbers_on_and_starts_testing_the_idea(wb, idea):
    assert _idea_status(wb, idea) == ChangeIdeaStatus.UNTESTED
    first = pdsa.new_cycle(wb, idea, title="First small test").id
    second = pdsa.new_cycle(wb, idea).id
    assert [pdsa.get_cycle(wb, i).cycle_number for i in (first, second)] == [1, 2]
    assert _idea_status(wb, idea) == ChangeIdeaStatus.TESTING


def test_stage_dates_in_order(wb, idea, falls_rate):
    cycle = predicted_cycle(wb, idea, falls_rate, 5.0)
    with pytest.raises(ValidationError) as early:
        pdsa.update_cycle(wb, cycle.id, studied_on=date(2026, 3, 1))
    assert early.value.field == "studied_on"
    with pytest.raises(ValidationError) as backwards:
        pdsa.save_cycle(wb, cycle.id, {"studied_on": date(2026, 6, 30),
                                       "decided_on": date(2026, 6, 1)}, [])
    assert backwards.value.field == "decided_on"
    assert pdsa.linked_measures(wb, cycle.id) == [falls_rate]  # nothing half-saved


def _idea_status(wb, idea_id: int) -> ChangeIdeaStatus:
    return next(n for n in drivers.change_ideas(wb, drivers.driver_diagram(wb, 1)[0].project_id)
                if n.id == idea_id).status


def test_a_bundle_from_before_stage_dates_still_imports(wb, ward, idea, falls_rate, tmp_path):
    """Bundles written before format 2 have no Study/Act dates or prediction direction."""
    import json
    import zipfile

    from qidesk.domain.entities import Team
    from qidesk.services import sharing, teams
    from qidesk.services.sharing_format import payload_checksum

    first = predicted_cycle(wb, idea, falls_rate, 5.0, study_results="Fewer falls")
    pdsa.decide(wb, first.id, PdsaDecision.ADAPT, next_step="Nights too",
                decided_on=date(2026, 6, 30))
    bundle = tmp_path / "falls.qidesk-project"
    sharing.export_project(wb, ward.project_id, bundle)
    with zipfile.ZipFile(bundle) as z:
        manifest = json.loads(z.read("manifest.json"))
        payload = json.loads(z.read("project.json"))
    for cycle in payload["pdsa_cycle"]:
        for name in ("studied_on", "decided_on", "prediction_direction"):
            del cycle[name]
    raw = json.dumps(payload).encode()
    manifest.update(format_version=1, payload_sha256=payload_checksum(raw))
    with zipfile.ZipFile(bundle, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("project.json", raw)
    ward9 = teams.add_team(wb, Team(name="Ward 9")).id
    new_project = sharing.import_project(wb, bundle, ward9).id
    [imported] = [i for i in drivers.change_ideas(wb, new_project)]
    cycles = pdsa.list_cycles(wb, imported.id)
    assert [(c.cycle_number, c.decision, c.decided_on) for c in cycles] == [
        (1, PdsaDecision.ADAPT, None), (2, None, None)]
    assert cycles[0].next_step == "Nights too" and cycles[0].prediction_value == 5.0


def test_findings_of_another_phase_are_left_out(tmp_path):
    from qidesk.services.charts import measure_chart
    from qidesk.services.demo import write_demo_workbook
    from qidesk.services.workbook import open_workbook

    path = tmp_path / "ward7.qidesk"
    write_demo_workbook(path)
    with open_workbook(path, read_only=True) as demo:
        bays = measures.find_measure(demo, "Bays with a member of staff present at spot check")
        first = next(c for c in pdsa.list_cycles(demo, _idea_of(demo, bays.project_id))
                     if c.cycle_number == 1)
        chart = measure_chart(demo, bays.id)
        assert any(f.text.startswith("Phase 2: ") for f in chart.findings)
        [window] = study_cycle(demo, first, TODAY).measures
        assert window.periods and not any(t.startswith("Phase 2: ") for t in window.findings)


def _idea_of(wb, project_id: int) -> int:
    return next(i.id for i in drivers.change_ideas(wb, project_id) if i.text.startswith("Bay nursing"))
