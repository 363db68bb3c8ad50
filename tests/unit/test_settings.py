"""Preferences survive restarts, corrupt files and newer versions."""

from __future__ import annotations

import json

from qidesk.settings import RECENT_LIMIT, Settings, load_settings, save_settings


def test_settings_round_trip(tmp_path):
    path = tmp_path / "settings.json"
    settings = Settings(run_chart_rules="ihi", idle_sign_out_minutes=5)
    settings.remember_workbook(tmp_path / "ward7.qidesk")
    save_settings(settings, path)
    again = load_settings(path)
    assert again.run_chart_rules == "ihi"
    assert again.idle_sign_out_minutes == 5
    assert again.last_workbook == str(tmp_path / "ward7.qidesk")


def test_recent_workbooks_are_most_recent_first_without_repeats(tmp_path):
    settings = Settings()
    for i in range(RECENT_LIMIT + 3):
        settings.remember_workbook(tmp_path / f"w{i}.qidesk")
    settings.remember_workbook(tmp_path / "w5.qidesk")
    assert settings.recent_workbooks[0].endswith("w5.qidesk")
    assert len(settings.recent_workbooks) == RECENT_LIMIT
    assert len(set(settings.recent_workbooks)) == RECENT_LIMIT


def test_corrupt_settings_give_defaults(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    assert load_settings(path) == Settings()


def test_keys_from_a_newer_version_are_kept(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 9, "future_option": [1, 2], "idle_sign_out_minutes": 20}))
    settings = load_settings(path)
    assert settings.idle_sign_out_minutes == 20
    save_settings(settings, path)
    assert json.loads(path.read_text())["future_option"] == [1, 2]


def test_settings_from_a_hand_edited_or_older_file_are_made_safe(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"version": 1, "run_chart_rules": "western-electric", '
                    '"idle_sign_out_minutes": 0, "last_workbook": "/x/ward.qidesk", '
                    '"from_the_future": 1}', encoding="utf-8")
    settings = load_settings(path)
    assert settings.run_chart_rules == "anhoej" and settings.idle_sign_out_minutes == 15
    assert settings.welcome_shown  # version 1 users have used QIDesk before
    assert settings._unknown == {"from_the_future": 1}


def test_a_missing_workbook_is_forgotten(tmp_path):
    settings = Settings()
    settings.remember_workbook(tmp_path / "a.qidesk")
    settings.remember_workbook(tmp_path / "b.qidesk")
    settings.forget_workbook(tmp_path / "b.qidesk")
    assert settings.recent_workbooks == [str(tmp_path / "a.qidesk")]
    assert settings.last_workbook is None
