"""A real wheel (``pip install .``, not editable) carries its content and assets.

Builds the wheel from a copy of the checkout, installs it without dependencies into a
scratch folder and runs ``check-content`` and ``--self-test`` from that installed copy,
in a working directory outside the checkout (this venv still provides PySide6 etc.).
About 10 seconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Not copied: build output, the venv, VCS data, caches. A build inside the checkout
# would leave build/ and *.egg-info behind (and a stale build/lib can put deleted
# modules into the next wheel), so the wheel is built from a clean copy instead.
SKIP = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "*.pyc", ".pytest_cache", "shots")


def pip(*args: str, cwd: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args], check=False,
                            cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel file, the folder it is installed into)."""
    scratch = tmp_path_factory.mktemp("wheel")
    source = scratch / "source"
    shutil.copytree(ROOT, source, ignore=SKIP)
    pip("wheel", "--no-deps", "-q", "-w", str(scratch / "dist"), str(source), cwd=scratch)
    (wheel,) = (scratch / "dist").glob("*.whl")
    target = scratch / "target"
    pip("install", "--no-deps", "-q", "--target", str(target), str(wheel), cwd=scratch)
    return wheel, target


def run_installed(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(target))
    return subprocess.run([sys.executable, *args], check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_wheel_carries_content_and_assets(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("assets", "content"):
        for path in (ROOT / folder).rglob("*"):
            rel = path.relative_to(ROOT).as_posix()
            if path.is_file() and not rel.startswith("assets/screenshots/") and "__pycache__" not in rel:
                assert f"kiosk/_data/{rel}" in names, f"{rel} is not in the wheel"
    assert not [n for n in names if n.startswith("kiosk/_data/assets/screenshots/")], "README pictures do not belong in the wheel"
    assert not [n for n in names if n.startswith(("assets/", "content/"))], "no top-level data folders in site-packages"
    # Every module of the checkout, so a new subpackage cannot silently drop out.
    for path in (ROOT / "kiosk").rglob("*.py"):
        assert path.relative_to(ROOT).as_posix() in names, f"{path} is not in the wheel"


def test_installed_kiosk_checks_content_and_self_tests(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, target = installed
    where = run_installed(target, tmp_path, "-c",
                          "import kiosk; from kiosk.core.resources import assets_dir, content_dir;"
                          "print(kiosk.__file__); print(assets_dir()); print(content_dir())")
    assert where.returncode == 0, where.stderr
    module, assets, content = (Path(line) for line in where.stdout.splitlines())
    assert module.is_relative_to(target), f"imported {module}, not the installed copy"
    assert assets == target / "kiosk" / "_data" / "assets"
    assert content == target / "kiosk" / "_data" / "content"

    check = run_installed(target, tmp_path, "-m", "kiosk", "check-content")
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.strip().endswith("OK")
    assert "en/what-it-is.md: grade" in check.stdout

    self_test = run_installed(target, tmp_path, "-m", "kiosk", "--self-test")
    assert self_test.returncode == 0, self_test.stdout + self_test.stderr
    assert "self-test OK" in self_test.stdout
    assert "Traceback" not in check.stderr + self_test.stderr
