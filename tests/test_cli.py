"""The command line as clinic IT uses it: check-content and screenshots."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from kiosk.__main__ import build_parser, main
from kiosk.core.settings import load_settings
from tests.packmaker import make_pack


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", *args], check=False, capture_output=True, text=True, timeout=300, cwd=cwd)


def test_check_content_passes_on_shipped_content() -> None:
    result = run_cli("check-content")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("OK")
    assert "en/what-it-is.md: grade" in result.stdout
    assert "Traceback" not in result.stderr


def test_check_content_reports_file_and_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    folder, _ = make_pack(tmp_path, picture="spine-facets.svg")
    (folder / "risks.md").write_text("Fine.\n\n<script>alert(1)</script>\n")
    (folder / "summary.md").write_text("")
    code = main(["check-content", str(tmp_path / "content")])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{folder / 'risks.md'}:3: raw HTML is not allowed" in out
    assert f"{folder / 'summary.md'}:1: page is empty" in out
    assert "2 problem(s) found." in out


def test_check_content_fails_a_hard_page(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    folder, _ = make_pack(tmp_path, picture="spine-facets.svg")
    (folder / "risks.md").write_text(
        "Notwithstanding contemporaneous pharmacological considerations, interventional radiological "
        "administration of corticosteroid formulations necessitates comprehensive individualised "
        "evaluation of contraindications, anticoagulation management and procedural sedation requirements.\n"
    )
    code = main(["check-content", str(tmp_path / "content")])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{folder / 'risks.md'}:1: reading level grade" in out and "limit <= 7" in out


def test_check_content_missing_folder_is_a_message(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = main(["check-content", str(tmp_path / "nowhere")])
    out = capsys.readouterr().out
    assert code == 1 and f"content folder {tmp_path / 'nowhere'} not found" in out


def test_screenshots_write_every_page_of_every_topic(tmp_path: Path) -> None:
    result = run_cli("screenshots", "--out", str(tmp_path), "--size", "1280x800", "--lang", "en")
    assert result.returncode == 0, result.stderr
    shots = sorted(p.name for p in tmp_path.glob("*.png"))
    from kiosk.core.settings import Settings
    from kiosk.ui.app import load_content

    library = load_content(Settings(), None)
    assert len(library.topics) >= 2
    expected = ["en-00-welcome-1280x800.png"]
    for topic in library.topics:
        prefix = "en-" if topic == library.default_topic else f"en-{topic}-"
        pages = library.pack("en", topic).pages
        for i, page in enumerate(pages):
            expected.append(f"{prefix}{i + 1:02d}-{page.id}-1280x800.png")
            if page.kind == "diary":  # a second picture, of its practice scale
                expected.append(f"{prefix}{i + 1:02d}-{page.id}-practice-1280x800.png")
            if page.kind == "check":  # and two of the check's feedback: not quite, and right
                expected.append(f"{prefix}{i + 1:02d}-{page.id}-feedback-1280x800.png")
                expected.append(f"{prefix}{i + 1:02d}-{page.id}-right-1280x800.png")
    assert shots == sorted(expected)
    image = QImage(str(tmp_path / shots[1]))
    assert (image.width(), image.height()) == (1280, 800)
    # The other topic's pages show its own words, not the default topic's.
    rfa = [t for t in library.topics if t != library.default_topic][0]
    first = QImage(str(tmp_path / f"en-01-{library.pack('en').pages[0].id}-1280x800.png"))
    other = QImage(str(tmp_path / f"en-{rfa}-01-{library.pack('en', rfa).pages[0].id}-1280x800.png"))
    assert first != other


def test_screenshots_of_one_topic_and_an_unknown_one(tmp_path: Path) -> None:
    library_topics = ["thoracic-rfa"]
    result = run_cli("screenshots", "--out", str(tmp_path), "--lang", "es", "--topic", library_topics[0], "--size", "1280x800")
    assert result.returncode == 0, result.stderr
    shots = sorted(p.name for p in tmp_path.glob("*.png"))
    assert shots and all(s.startswith("es-thoracic-rfa-") for s in shots)
    result = run_cli("screenshots", "--out", str(tmp_path), "--topic", "knee")
    assert result.returncode == 1 and "no topic 'knee' here (topics: thoracic-mbb, thoracic-rfa)" in result.stderr


def test_self_test_passes() -> None:
    result = run_cli("--self-test")
    assert result.returncode == 0, result.stderr
    from kiosk.core.settings import Settings
    from kiosk.ui.app import load_content

    library = load_content(Settings(), None)
    screens = sum(1 + len(library.pack(lang, topic).pages) for lang in library.languages for topic in library.topics)
    screens -= (len(library.topics) - 1) * len(library.languages)  # the welcome screen once per language
    # Every page of every topic is drawn, not only the default topic's.
    assert f"self-test OK: {len(library.topics)} topic(s), {len(library.languages)} language(s), {screens} screens rendered" \
        in result.stdout


def test_bad_size_is_a_message() -> None:
    result = run_cli("screenshots", "--out", "/tmp/x", "--size", "big")
    assert result.returncode == 2 and "size must look like 1280x800" in result.stderr


# --- Global options before or after the command ---------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["--config", "a.toml", "--content", "pack", "check-content"],
        ["check-content", "--config", "a.toml", "--content", "pack"],
        ["--config", "a.toml", "check-content", "--content", "pack"],
        ["--content", "pack", "check-content", "--config", "a.toml"],
    ],
)
def test_global_options_either_side_of_the_command(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert (args.command, args.config, args.content) == ("check-content", Path("a.toml"), Path("pack"))


def test_options_after_run() -> None:
    args = build_parser().parse_args(["run", "--windowed", "--config", "a.toml", "--content", "pack"])
    assert (args.windowed, args.self_test, args.config, args.content) == (True, False, Path("a.toml"), Path("pack"))
    args = build_parser().parse_args(["--windowed", "run"])
    assert args.windowed and args.config is None and args.content is None
    assert build_parser().parse_args(["run", "--self-test"]).self_test


@pytest.mark.parametrize("command", [["stats"], ["set-pin"], ["print-test"], ["screenshots", "--out", "x"]])
def test_every_command_takes_config_after_it(command: list[str]) -> None:
    args = build_parser().parse_args([*command, "--config", "a.toml"])
    assert args.config == Path("a.toml")


@pytest.mark.parametrize("order", ["before", "after"])
def test_set_pin_with_config_on_either_side(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, order: str) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('clinic_name = "Sunrise"\n', encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("24681357\n24681357\n"))
    argv = ["--config", str(config), "set-pin", "--stdin"] if order == "before" else ["set-pin", "--stdin", "--config", str(config)]
    assert main(argv) == 0
    assert 'pin_hash = "' in config.read_text(encoding="utf-8")


@pytest.mark.parametrize("argv", [["--self-test", "check-content"], ["--windowed", "stats"], ["--self-test", "screenshots", "--out", "x"]])
def test_run_only_options_with_another_command_are_refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert f"{argv[0]} applies only to running the kiosk" in capsys.readouterr().err


# --- set-pin refuses surprises -------------------------------------------------------


def test_set_pin_into_a_missing_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("24681357\n24681357\n"))
    config = tmp_path / "tmbb-kisok" / "kiosk.toml"  # a typo in the folder name
    assert main(["set-pin", "--stdin", "--config", str(config)]) == 1
    assert f"folder {config.parent} does not exist" in capsys.readouterr().err
    assert not config.parent.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_set_pin_leaves_the_config_readable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """README step 2: root sets the PIN in a 640 root:kiosk file the kiosk user must still read."""
    config = tmp_path / "kiosk.toml"
    config.write_text('clinic_name = "Sunrise"\n', encoding="utf-8")
    config.chmod(0o640)
    monkeypatch.setattr("sys.stdin", io.StringIO("24681357\n24681357\n"))
    assert main(["--config", str(config), "set-pin", "--stdin"]) == 0
    assert config.stat().st_mode & 0o777 == 0o640


# --- Clear refusals -------------------------------------------------------------------


def test_print_test_into_a_missing_folder_names_the_folder(tmp_path: Path) -> None:
    pdf = tmp_path / "nowhere" / "sample.pdf"
    result = run_cli("print-test", "--pdf", str(pdf))
    assert result.returncode == 1
    assert f"folder {pdf.parent} does not exist" in result.stderr
    assert "printer" not in result.stderr and "Traceback" not in result.stderr


def test_print_test_writes_a_pdf(tmp_path: Path) -> None:
    pdf = tmp_path / "sample.pdf"
    result = run_cli("print-test", "--pdf", str(pdf))
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("language", ["en", "es"])
def test_print_test_prints_the_ablations_handout_with_topic(tmp_path: Path, language: str) -> None:
    """IT checks each procedure's printed handout (issue 14): --topic picks the ablation's, in
    either language; an unknown topic is refused like the screenshots' --topic."""
    import pypdf

    from kiosk.core.settings import Settings
    from kiosk.ui.app import load_content

    pack = load_content(Settings(languages=("en", "es")), None).pack(language, "thoracic-rfa")
    pdf = tmp_path / "rfa.pdf"
    result = run_cli("print-test", "--topic", "thoracic-rfa", "--lang", language, "--pdf", str(pdf))
    assert result.returncode == 0, result.stderr
    text = " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(str(pdf)).pages).split())
    assert pack.handout.intro in text and pack.handout.warning_title in text
    assert all(" ".join(q.text.split()) in text for q in pack.questions[:3])  # the sample's questions
    assert " ".join(pack.warnings[0].signs[0].split()) in text  # the collapsed lung, first of the 911 tier
    result = run_cli("print-test", "--topic", "knee", "--pdf", str(tmp_path / "knee.pdf"))
    assert result.returncode == 1 and "no topic 'knee' here (topics: thoracic-mbb, thoracic-rfa)" in result.stderr
    assert not (tmp_path / "knee.pdf").exists()


@pytest.mark.parametrize("days", ["0", "-3", "many", "100000"])
def test_stats_days_must_be_a_sensible_count(days: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["stats", "--days", days])
    assert exit_info.value.code == 2
    assert "--days" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["screenshots", "--out", "{tmp}"], ["print-test", "--pdf", "{tmp}/x.pdf"]])
def test_unknown_language_is_refused(tmp_path: Path, command: list[str]) -> None:
    result = run_cli(*[part.format(tmp=tmp_path) for part in command], "--lang", "fr")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "no language 'fr' in the content (available: en, es)" in result.stderr
    assert not list(tmp_path.iterdir()), "nothing is written for a language that does not exist"


# --- Config problems fail check-content and --self-test --------------------------------

BROKEN_CONFIGS = {
    "bad value": 'clinic_name = "Sunrise"\nclinic_phone = "555-0142"\nidle_seconds = "soon"\nmystery = 1\n',
    "broken TOML": 'clinic_name = "Sunrise"\nclinic_phone = "555-0142"\nidle_seconds = [\n',
}


@pytest.mark.parametrize("case", sorted(BROKEN_CONFIGS))
def test_check_content_fails_on_config_problems(tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(BROKEN_CONFIGS[case], encoding="utf-8")
    problems = load_settings(config).problems
    assert problems
    assert main(["check-content", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    for problem in problems:
        assert problem in out
    assert "en/what-it-is.md: grade" in out  # the content was still checked
    assert not out.strip().endswith("OK")


def test_check_content_fails_on_an_unreadable_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "kiosk.toml"
    folder.mkdir()  # a folder where the file should be: reading it fails
    assert main(["--config", str(folder), "check-content"]) == 1
    assert str(folder) in capsys.readouterr().out


def test_self_test_fails_on_config_problems(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(BROKEN_CONFIGS["bad value"], encoding="utf-8")
    result = run_cli("--config", str(config), "--self-test")
    assert result.returncode == 1, result.stdout + result.stderr
    for problem in load_settings(config).problems:
        assert problem in result.stderr
    assert "self-test OK" not in result.stdout and "Traceback" not in result.stderr


def test_readme_commands_table_lists_every_command() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    (commands,) = re.findall(r"\{([\w,-]+)\}", build_parser().format_usage())
    for name in commands.split(","):
        if name != "run":
            assert f"`kiosk {name}" in table, f"README's Commands table lacks {name}"
    for option in ("--version", "--config", "--content", "--windowed", "--self-test"):
        assert f"`kiosk {option}" in table, f"README's Commands table lacks {option}"
    assert "before or after the command" in table


def test_an_unknown_language_in_the_config_is_left_out_not_fatal(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('clinic_name = "Sunrise"\nclinic_phone = "555-0142"\nlanguages = ["en", "fr", "es"]\n')
    check = run_cli("--config", str(config), "check-content")
    assert check.returncode == 1
    assert f"{config}:3: languages: no content for 'fr'" in check.stdout
    assert "content/fr" not in check.stdout and "Traceback" not in check.stderr
    test = run_cli("--config", str(config), "--self-test")
    assert test.returncode == 1 and "no content for 'fr'" in test.stderr
    assert "2 language(s)" in test.stderr and "screens rendered" in test.stderr  # English and Spanish were still drawn
