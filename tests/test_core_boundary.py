"""kiosk.core must not import Qt: it is the part CLI tools and tests use without a window."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import kiosk.core

CORE = Path(kiosk.core.__file__).parent


def test_core_imports_without_qt() -> None:
    modules = sorted(".".join(("kiosk", "core", *p.relative_to(CORE).with_suffix("").parts)).removesuffix(".__init__")
                     for p in CORE.rglob("*.py"))
    assert len(modules) >= 6 and "kiosk.core.content.loader" in modules
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'):\n"
        "            raise ImportError('Qt is not allowed in kiosk.core: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {modules!r}: __import__(m)\n"
        "assert not any(k.startswith(('PySide6', 'shiboken6')) for k in sys.modules)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_core_source_mentions_no_qt() -> None:
    for path in CORE.rglob("*.py"):
        assert "PySide6" not in path.read_text(encoding="utf-8"), path


KIOSK = CORE.parent
MAX_MODULE_LINES = 400  # issue 13: no module past this; the controller only wires (≤ 250)
MAX_CONTROLLER_LINES = 250


def test_no_module_outgrows_its_limit() -> None:
    """A module that grows past 400 lines is doing two jobs: split it (widgets.py, cache.py and
    screens.py each crossed it once as features were merged)."""
    sizes = {str(p.relative_to(KIOSK.parent)): len(p.read_text(encoding="utf-8").splitlines()) for p in KIOSK.rglob("*.py")}
    assert len(sizes) > 50
    assert {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES} == {}
    assert sizes[str(Path("kiosk", "ui", "controller.py"))] <= MAX_CONTROLLER_LINES
