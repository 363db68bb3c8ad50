"""Where QIDesk keeps things, and that shipped resources are found."""

from __future__ import annotations

from qidesk.paths import app_paths, resource


def test_portable_mode_keeps_everything_under_one_folder(tmp_path):
    paths = app_paths(tmp_path / "stick")
    paths.ensure()
    for folder in (paths.data, paths.logs, paths.settings, paths.backups):
        assert folder.is_dir()
        assert folder.is_relative_to(tmp_path / "stick")
    assert paths.default_workbook.parent == paths.data


def test_tests_never_touch_the_real_user_folders(tmp_path_factory):
    paths = app_paths()
    assert "qidesk" in str(paths.data)
    assert str(paths.data).startswith(str(tmp_path_factory.getbasetemp()))


def test_shipped_resources_are_found_from_source():
    assert resource("style.qss").read_text(encoding="utf-8").startswith("/*")
    assert resource("icons/qidesk.png").stat().st_size > 1000
