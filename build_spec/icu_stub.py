"""Linux: swap Qt's 32 MB ICU data library for an empty one of the same name.

The PySide6 wheel's QtCore links ICU (``libicui18n``, ``libicuuc`` and ``libicudata``,
whose only content is one 32 MB data blob). Qt 6 reads that data for QCollator, for
non-UTF codecs in QStringConverter and for time-zone display names; its QLocale
tables, text layout, regular expressions and case mapping do not need it (ICU's case
mapping tables are compiled into libicuuc). The kiosk uses none of those three
(tests/test_frozen_build.py checks), so the frozen build replaces the blob with an
empty table of contents: ICU's own "stubdata" library, the one ICU itself builds with
when its data is packaged apart. Measured with the stub in place (PySide6 6.11.3):
the whole test suite passes; QCollator warns "Could not create collator" and compares
by code point, QStringDecoder("windows-1252") is invalid, QTimeZone.displayName is "".

The stub is assembled with GNU as and ld from binutils, which PyInstaller already
needs on Linux (objdump, objcopy, strip).
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

DATA_LIBRARY = re.compile(r"libicudata\.so\.(\d+)$")


def empty_icu_data() -> bytes:
    """ICU common data with no entries (ICU's stubdata.cpp, little-endian, ASCII family)."""
    header = struct.pack("<HBB", 32, 0xDA, 0x27)  # headerSize, magic1, magic2 (MappedData)
    info = struct.pack(
        "<HHBBBB4s4s4s",
        20, 0,  # UDataInfo size, reserved
        0, 0, 2, 0,  # little-endian, ASCII charset family, sizeof(UChar), reserved
        b"ToCP", bytes((1, 0, 0, 0)), bytes(4),  # data format "ToCP" 1.0, data version 0
    )
    toc = struct.pack("<IIII", 0, 0, 0, 0)  # count 0, reserved, one empty (name, data) entry
    return header + info + bytes(8) + toc


def assembly(version: str) -> str:
    symbol = f"icudt{version}_dat"  # the entry point libicuuc looks up
    data = empty_icu_data()
    return "\n".join([
        ".section .rodata",
        f".globl {symbol}",
        f".type {symbol}, %object",
        f".size {symbol}, {len(data)}",
        ".balign 16",
        f"{symbol}:",
        ".byte " + ", ".join(str(b) for b in data),
        '.section .note.GNU-stack,"",%progbits',  # no executable stack
        "",
    ])


def find_data_library(bundle: Path) -> Path | None:
    matches = [p for p in bundle.rglob("libicudata.so.*") if DATA_LIBRARY.search(p.name) and not p.is_symlink()]
    return matches[0] if len(matches) == 1 else None


def replace_icu_data(bundle: Path) -> tuple[Path, int, int] | None:
    """Replace the bundle's libicudata with an empty stub: (path, bytes before, bytes after),
    or None when there is nothing to replace (not Linux, big-endian, not exactly one
    libicudata). RuntimeError without binutils; CalledProcessError when as or ld fail."""
    if not sys.platform.startswith("linux") or sys.byteorder != "little":
        return None
    library = find_data_library(bundle)
    if library is None:
        return None
    if shutil.which("as") is None or shutil.which("ld") is None:
        raise RuntimeError("GNU as and ld (binutils) are needed to build the ICU data stub")
    match = DATA_LIBRARY.search(library.name)
    assert match is not None
    before = library.stat().st_size
    with tempfile.TemporaryDirectory(prefix="kiosk-icu-stub-") as scratch:
        source, obj, out = (Path(scratch, name) for name in ("stub.s", "stub.o", library.name))
        source.write_text(assembly(match.group(1)), encoding="ascii")
        subprocess.run(["as", str(source), "-o", str(obj)], check=True, capture_output=True, text=True)
        subprocess.run(["ld", "-shared", "-soname", library.name, "-o", str(out), str(obj)],
                       check=True, capture_output=True, text=True)
        shutil.copyfile(out, library)
    return library, before, library.stat().st_size
