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
