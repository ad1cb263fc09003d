"""Build the offline one-folder kiosk app, smoke-test it and zip it.

    python build_spec/build.py

Run it with the Python that has the kiosk installed (``pip install -e .``), on the
OS the app is for: Linux builds a Linux app, Windows a Windows app (the same spec).
It installs PyInstaller if missing, builds ``dist/kiosk/`` (work files in
``build/pyinstaller/``), prunes what the app never loads, runs
``dist/kiosk/kiosk --self-test`` and ``check-content`` offscreen, then writes
``dist/kiosk-<version>-<os>-<arch>.zip`` and prints both sizes.

Exits non-zero with a message when any step fails or the folder is over the size
budget (``--max-mb``, default 120).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SPEC_DIR = Path(__file__).resolve().parent
ROOT = SPEC_DIR.parent
SPEC = SPEC_DIR / "kiosk.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
APP_DIR = DIST / "kiosk"
# Tested with 6.22; the spec uses PyInstaller 6's layout (_internal/) and hook API.
PYINSTALLER_REQUIREMENT = "pyinstaller>=6.10,<7"
DEFAULT_MAX_MB = 120.0
SMOKE_TIMEOUT_S = 180

sys.path.insert(0, str(SPEC_DIR))  # qt_selection is shared with kiosk.spec and hooks/
from icu_stub import replace_icu_data  # noqa: E402 (found through the path above)
from qt_selection import SYSTEM_PROVIDED, plugin_name, wanted  # noqa: E402 (found through the path above)

# Plugins the kiosk cannot do without, by OS (key: is Windows). Speech engines are
# optional at run time (the kiosk hides its speaker button without one), so only mock.
REQUIRED_PLUGINS = {
    False: {"platforms/qxcb", "platforms/qoffscreen", "imageformats/qsvg", "texttospeech/qtexttospeech_mock"},
    True: {"platforms/qwindows", "platforms/qoffscreen", "imageformats/qsvg", "texttospeech/qtexttospeech_mock"},
}


class BuildError(RuntimeError):
    """A build step failed; the message says which and why."""


def step(text: str) -> None:
    print(f"\n==> {text}", flush=True)


def ensure_pyinstaller() -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        step(f"installing {PYINSTALLER_REQUIREMENT}")
        run([sys.executable, "-m", "pip", "install", "--disable-pip-version-check", PYINSTALLER_REQUIREMENT], "pip install")
    import PyInstaller

    print(f"PyInstaller {PyInstaller.__version__}, Python {platform.python_version()} ({sys.executable})")


def ensure_app_dependencies() -> None:
    """PyInstaller builds without complaint when a dependency is missing; say so up front."""
    missing = [name for name in ("PySide6", "markdown", "nh3", "textstat", "kiosk") if importlib.util.find_spec(name) is None]
    if missing:
        raise BuildError(f"not importable: {', '.join(missing)}. Install the kiosk first: pip install -e .")


def run(command: list[str], what: str, env: dict[str, str] | None = None, timeout: float | None = None) -> str:
    """Run ``command``, echoing its output; raise BuildError on a non-zero exit or a time-out."""
    print("$ " + " ".join(command), flush=True)
    try:
        result = subprocess.run(
            command, check=False, cwd=ROOT, env=env, timeout=timeout, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
    except subprocess.TimeoutExpired as exc:
        raise BuildError(f"{what} did not finish within {timeout:.0f} s") from exc
    except OSError as exc:
        raise BuildError(f"{what} could not start: {exc}") from exc
    print(result.stdout, end="", flush=True)
    if result.returncode != 0:
        raise BuildError(f"{what} failed (exit code {result.returncode}); its output is above")
    return result.stdout


def build() -> None:
    step("building with PyInstaller")
    run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(WORK),
            str(SPEC),
        ],
        "PyInstaller",
    )
    if not executable().is_file():
        raise BuildError(f"PyInstaller finished but {executable()} does not exist")


def executable() -> Path:
    return APP_DIR / ("kiosk.exe" if sys.platform == "win32" else "kiosk")


def internal_dir() -> Path:
    """sys._MEIPASS of the built app (PyInstaller 6: _internal/)."""
    return APP_DIR / "_internal"


def prune() -> None:
    """Remove what the spec's filters should already have kept out, and what PyInstaller adds anyway."""
    step("pruning")
    base = internal_dir()
    removed: list[tuple[str, int]] = []

    def remove(path: Path) -> None:
        size = folder_bytes(path) if path.is_dir() else path.stat().st_size
        removed.append((path.relative_to(APP_DIR).as_posix(), size))
        shutil.rmtree(path) if path.is_dir() else path.unlink()

    for path in sorted(base.rglob("*"), reverse=True):  # children before their folders
        if path.is_symlink():
            # PyInstaller 6 links each Qt library into _internal/ as well. The extension
            # modules and plugins find Qt through their own RPATHs, so the links are not
            # needed, and a zip would hold every linked library twice (zip has no links).
            if base in path.resolve().parents:
                path.unlink()
                removed.append((path.relative_to(APP_DIR).as_posix(), 0))
            continue
        if not path.exists():
            continue
        rel = path.relative_to(base).as_posix()
        if path.is_dir():
            if path.name == "__pycache__" or rel == "assets/screenshots":
                remove(path)
            elif not any(path.iterdir()):
                path.rmdir()
        elif path.suffix == ".pyi" or not wanted(rel):
            remove(path)
    for rel, size in removed:
        print(f"  removed {rel} ({size / 1e3:.0f} kB)")
    print(f"pruned {len(removed)} item(s), {sum(size for _, size in removed) / 1e6:.1f} MB")
    try:
        stubbed = replace_icu_data(base)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        raise BuildError(f"could not build the ICU data stub: {exc} {getattr(exc, 'stderr', '') or ''}") from exc
    if stubbed:
        path, before, after = stubbed
        print(f"ICU data: {path.relative_to(APP_DIR)} {before / 1e6:.1f} MB replaced by an empty stub ({after / 1e3:.0f} kB)")
    for needed in ("assets/fonts", "assets/icons", "assets/illustrations", "content"):
        if not (base / needed).is_dir():
            raise BuildError(f"the build lacks {needed}/ in {base}")
    plugins = {path.relative_to(base).as_posix() for path in (base / "PySide6").rglob("plugins/*/*")}
    names = {f"{p.split('/')[-2]}/{plugin_name(p)}" for p in plugins}
    lacking = sorted(REQUIRED_PLUGINS[sys.platform == "win32"] - names)
    if lacking:
        raise BuildError(f"the build lacks Qt plugin(s) {', '.join(lacking)}; it has {', '.join(sorted(names))}")
    print("Qt plugins: " + ", ".join(sorted(names)))
    if sys.platform.startswith("linux"):
        check_linked_libraries(base)


def check_linked_libraries(base: Path) -> None:
    """Linux: every bundled library must find the libraries it links (ldd), bar the system's own."""
    if shutil.which("ldd") is None:
        print("ldd not found: skipping the linked-library check")
        return
    problems = []
    for path in sorted(base.rglob("*.so*")):
        if not path.is_file() or path.is_symlink():
            continue
        result = subprocess.run(["ldd", str(path)], check=False, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for line in result.stdout.splitlines():
            name = line.strip().split(" ", 1)[0]
            if "not found" in line and name not in SYSTEM_PROVIDED:
                problems.append(f"{path.relative_to(APP_DIR)}: {name} not found")
    if problems:
        raise BuildError("bundled libraries miss dependencies:\n  " + "\n  ".join(problems))
    print("linked libraries: all found (from the clinic machine, not bundled: " + ", ".join(sorted(SYSTEM_PROVIDED)) + ")")


def smoke_test() -> str:
    """``kiosk --self-test`` and ``kiosk check-content`` offscreen, isolated from this machine's config."""
    step("smoke test")
    with tempfile.TemporaryDirectory(prefix="kiosk-smoke-") as scratch:
        env = dict(os.environ)
        env.pop("KIOSK_CONFIG", None)
        env.update(
            QT_QPA_PLATFORM="offscreen",
            KIOSK_DATA_DIR=str(Path(scratch, "data")),  # the log goes here, not into the builder's home
            KIOSK_SYSTEM_CONFIG_DIR=str(Path(scratch, "etc")),  # no /etc/tmbb-kiosk of the build machine
            KIOSK_SPEECH_ENGINE="mock",  # no speech service needed on a build machine
            QT_LOGGING_RULES="qt.multimedia.*=false",
        )
        output = run([str(executable()), "--self-test"], "the self-test (dist/kiosk/kiosk --self-test)", env, SMOKE_TIMEOUT_S)
        run([str(executable()), "check-content"], "check-content (dist/kiosk/kiosk check-content)", env, SMOKE_TIMEOUT_S)
    return next((line for line in output.splitlines() if line.startswith("self-test")), "self-test: no summary line")


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def check_budget(folder: Path, max_mb: float) -> int:
    """The folder's size in bytes (files only, as the zip holds them); BuildError over ``max_mb``."""
    size = folder_bytes(folder)
    if size > max_mb * 1e6:
        raise BuildError(f"{folder.name} is {size / 1e6:.1f} MB, over the {max_mb:g} MB budget")
    return size


def zip_app() -> Path:
    step("zipping")
    from kiosk import __version__

    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform.rstrip("0123456789"))
    base = DIST / f"kiosk-{__version__}-{system}-{platform.machine().lower()}"
    archive = Path(shutil.make_archive(str(base), "zip", root_dir=DIST, base_dir=APP_DIR.name))
    print(f"wrote {archive}")
    return archive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-mb", type=float, default=DEFAULT_MAX_MB, help="fail when dist/kiosk is larger (MB = 10^6 bytes)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        ensure_pyinstaller()
        ensure_app_dependencies()
        build()
        prune()
        self_test_line = smoke_test()
        size = check_budget(APP_DIR, args.max_mb)
        archive = zip_app()
    except BuildError as exc:
        print(f"\nBUILD FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"\n{self_test_line}")
    print(f"folder: {APP_DIR} {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB), budget {args.max_mb:.0f} MB")
    print(f"zip:    {archive} {archive.stat().st_size / 1e6:.1f} MB ({archive.stat().st_size / 2**20:.1f} MiB)")
    print(f"built in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
