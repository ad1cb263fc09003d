"""The config file: defaults merged, bad values skipped with a message, never a crash."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.settings import Settings, load_settings, ordered_languages, parse_settings


def test_defaults() -> None:
    s = Settings()
    assert s.idle_seconds == 90 and s.warning_seconds == 20
    assert s.is_demo


def test_values_are_merged_over_defaults(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('clinic_name = "Sunrise Pain Clinic"\nclinic_phone = "555-0142"\nidle_seconds = 120\nlanguages = ["en", "es"]\ndefault_language = "es"\n')
    s = load_settings(path)
    assert (s.clinic_name, s.clinic_phone, s.idle_seconds, s.warning_seconds) == ("Sunrise Pain Clinic", "555-0142", 120, 20)
    assert not s.is_demo and s.problems == ()
    assert ordered_languages(s) == ["es", "en"]


def test_bad_values_are_reported_and_defaulted() -> None:
    s = parse_settings('idle_seconds = "soon"\nhide_cursor = 1\nfoo = 3\nwarning_seconds = 2\n', "kiosk.toml")
    assert s.idle_seconds == 90 and s.hide_cursor is False and s.warning_seconds == 20
    assert any("idle_seconds must be a whole number" in p for p in s.problems)
    assert any("unknown key 'foo'" in p for p in s.problems)
    assert any("warning_seconds must be between" in p for p in s.problems)


def test_unreadable_files_give_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "missing.toml").problems[0].endswith("config file not found; using defaults")
    broken = tmp_path / "broken.toml"
    broken.write_text("clinic_name = \n")
    s = load_settings(broken)
    assert s.clinic_name == Settings().clinic_name and "not valid TOML" in s.problems[0]
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert "not UTF-8" in load_settings(binary).problems[0]


def test_default_language_must_be_offered() -> None:
    s = parse_settings('languages = ["en"]\ndefault_language = "es"\n')
    assert s.default_language == "en" and s.problems


def test_config_precedence(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kiosk.core.settings import find_config

    beside, system = tmp_path / "app", tmp_path / "etc"
    beside.mkdir()
    system.mkdir()
    assert find_config(None, beside, system) is None
    (system / "kiosk.toml").write_text("")
    assert find_config(None, beside, system) == system / "kiosk.toml"
    (beside / "kiosk.toml").write_text("")
    assert find_config(None, beside, system) == beside / "kiosk.toml"
    monkeypatch.setenv("KIOSK_CONFIG", str(tmp_path / "env.toml"))
    assert find_config(None, beside, system) == tmp_path / "env.toml"
    assert find_config(tmp_path / "cli.toml", beside, system) == tmp_path / "cli.toml"


def test_set_pin_writes_atomically_and_keeps_other_lines(tmp_path: Path) -> None:
    from kiosk.core.settings import set_config_value

    path = tmp_path / "kiosk.toml"
    path.write_text('# our clinic\nclinic_name = "Sunrise"\npin_hash = "old"\n')
    set_config_value(path, "pin_hash", "new")
    assert path.read_text() == '# our clinic\nclinic_name = "Sunrise"\npin_hash = "new"\n'
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk.toml"]  # no temp file left behind
