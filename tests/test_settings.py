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
    set_config_value(path, "pin_hash", GOOD_HASH)
    assert path.read_text() == f'# our clinic\nclinic_name = "Sunrise"\npin_hash = "{GOOD_HASH}"\n'
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk.toml"]  # no temp file left behind


GOOD_HASH = "scrypt$131072$8$1$c2FsdHNhbHRzYWx0c2FsdA==$ZGlnZXN0ZGlnZXN0ZGlnZXN0ZGlnZXN0ZGlnZXN0MTI="


def test_problems_name_file_line_and_key() -> None:
    s = parse_settings('clinic_name = "Sunrise"\nidle_seconds = "soon"\n\nlanguages = "en"\nfoo = 3\n', "/etc/kiosk.toml")
    assert s.clinic_name == "Sunrise"
    assert "/etc/kiosk.toml:2: idle_seconds must be a whole number; using the default" in s.problems
    assert any(p.startswith("/etc/kiosk.toml:4: languages must be a list") for p in s.problems)
    assert any(p.startswith("/etc/kiosk.toml:5: unknown key 'foo'") for p in s.problems)


def test_a_broken_line_costs_only_its_own_key() -> None:
    text = (f'clinic_name = "Sunrise Pain Clinic\nclinic_phone = "555-0142"\nlanguages = [\n  "en",\n  "es",\n]\n'
            f'idle_seconds = 120\npin_hash = "{GOOD_HASH}"\n')
    s = parse_settings(text, "kiosk.toml")
    assert s.clinic_name == Settings().clinic_name  # the broken quote: default for this key only
    assert (s.clinic_phone, s.languages, s.idle_seconds, s.pin_hash) == ("555-0142", ("en", "es"), 120, GOOD_HASH)
    assert not s.pin_hash_lost  # staff can still get in
    assert any(p.startswith("kiosk.toml:1: not valid TOML") for p in s.problems)
    assert "kiosk.toml:1: clinic_name: this line cannot be read; using the default" in s.problems


def test_a_pin_hash_that_cannot_be_read_is_marked_lost(tmp_path: Path) -> None:
    assert parse_settings('pin_hash = "1234"\n', "k.toml").pin_hash_lost  # a PIN typed in, not a hash
    assert parse_settings('pin_hash = "scrypt$1\n', "k.toml").pin_hash_lost  # a broken line
    assert not parse_settings('pin_hash = ""\n', "k.toml").pin_hash_lost
    assert not parse_settings(f'pin_hash = "{GOOD_HASH}"\n', "k.toml").pin_hash_lost
    folder = tmp_path / "kiosk.toml"
    folder.mkdir()  # a path that cannot be read as a file (permission denied acts the same)
    unreadable = load_settings(folder)
    assert unreadable.pin_hash_lost and "cannot read config file" in unreadable.problems[0]
    assert not load_settings(tmp_path / "missing.toml").pin_hash_lost


def test_unknown_languages_are_left_out_and_blamed_on_the_config_key(tmp_path: Path) -> None:
    from kiosk.core.settings import drop_missing_languages

    for code in ("en", "es"):
        (tmp_path / "thoracic-mbb" / code).mkdir(parents=True)
    s = parse_settings('languages = ["en", "fr", "es"]\ndefault_language = "fr"\n', "kiosk.toml")
    served = drop_missing_languages(s, tmp_path)
    assert served.languages == ("en", "es") and served.default_language == "en"
    assert any(p.startswith("kiosk.toml:1: languages: no content for 'fr'") and "serving en, es" in p for p in served.problems)
    (tmp_path / "thoracic-rfa" / "en").mkdir(parents=True)  # a language must be in every topic served
    assert drop_missing_languages(parse_settings('languages = ["en", "es"]\n'), tmp_path).languages == ("en",)
    assert any(p.startswith("kiosk.toml:2: default_language: 'fr' has no content") for p in served.problems)
    assert drop_missing_languages(parse_settings('languages = ["en"]\n'), tmp_path).problems == ()
