"""Hostile content packs (issue 19): how long the kiosk takes to load or refuse each.

    python -m tests.perf.hostile [--src DIR] [--only NAME ...] [--timeout 150] [--json out.json]

Each pack is the test pack (tests/packmaker.py) with one hostile change, written to a
temporary folder. For each, in fresh processes running the kiosk from ``--src`` (default:
this checkout; name another checkout, such as the main branch's, for before/after
figures):

- load: ``load_library`` as the kiosk calls it at start, in seconds, and whether the pack
  loaded, was refused (ContentError), crashed (another exception) or timed out;
- check: ``kiosk check-content`` wall time (process start included), its exit code, and
  whether it printed a traceback;
- for the packs named ``questions-*``: build the kiosk offscreen, then the time from
  ``controller.model.start()`` (a tap on Start, pages not yet built) to the first page shown,
  and from there to the checklist page painted.

Not part of the test run: the tests assert the structural bounds instead (a hostile page
never reaches python-markdown; entries past a limit are never read).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.packmaker import make_pack  # noqa: E402

CONFIG = 'clinic_name = "Sunrise Pain Clinic"\nclinic_phone = "555-0142"\nlanguages = ["en"]\n'


def page(text: str) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        (folder / "risks.md").write_text(text, encoding="utf-8")
    return write


def manifest(old: str, new: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / "pack.toml"
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return edit


def questions(count: int) -> Callable[[Path], None]:
    """``count`` more questions, 20 a group (in as many more groups as that takes)."""
    def add(folder: Path) -> None:
        path = folder / "pack.toml"
        groups = "".join(f'\n[[groups]]\nid = "g{g}"\ntitle = "Group {g}"\n' for g in range((count + 19) // 20))
        extra = "".join(f'\n[[questions]]\nid = "x{i}"\ngroup = "g{i // 20}"\ntext = "Q{i}?"\nwhy = "W."\n' for i in range(count))
        path.write_text(path.read_text(encoding="utf-8") + groups + extra, encoding="utf-8")
    return add


def empty_language(folder: Path) -> None:
    for child in folder.iterdir():
        child.unlink()


def link_to(target: str) -> Callable[[Path], None]:
    def link(folder: Path) -> None:
        (folder / "risks.md").unlink()
        (folder / "risks.md").symlink_to(target)
    return link


def sparse_link(folder: Path) -> None:
    huge = folder.parent.parent / "sparse.bin"
    with huge.open("wb") as file:
        file.truncate(2 * 1024**3)
    link_to(str(huge))(folder)


def at_every_limit(folder: Path) -> None:
    """25 pages each near a 25th of every bound shared by a language's pages, paragraphs
    at their length bound, lists at their depth bound: the slowest pack that is accepted."""
    path = folder / "pack.toml"
    text = path.read_text(encoding="utf-8")
    body = "[" * 4 + "word " * 330 + "\n\n" + "".join("    " * (i % 4) + f"- *a* item {i}\n" for i in range(30))
    for i in range(20):
        (folder / f"more-{i}.md").write_text(body, encoding="utf-8")
        text += f'\n[[pages]]\nid = "more-{i}"\nsection = "steps"\nkind = "info"\ntitle = "More {i}"\nfile = "more-{i}.md"\n'
    path.write_text(text, encoding="utf-8")
    for name in ("intro.md", "step-one.md", "risks.md", "summary.md"):
        (folder / name).write_text(body, encoding="utf-8")


PACKS: dict[str, Callable[[Path], None]] = {
    "good": lambda folder: None,
    "dashes-500": page("- " * 500 + "x\n"),
    "indented-300": page("".join("    " * i + "- x\n" for i in range(300))),
    "quotes-500": page(">" * 500 + " x\n"),
    "brackets-10k": page("[" * 10_000 + "x" + ")" * 10_000 + "\n"),
    "open-links-10k": page("[a](" * 10_000 + "\n"),
    "brackets-100k": page("[" * 100_000 + "\n"),
    "emphasis-20k": page("*a " * 20_000 + "\n"),
    "underscores-20k": page("_a " * 20_000 + "\n"),
    "backticks-20k": page("`a " * 20_000 + "\n"),
    "lt-100k": page("<" * 100_000 + "\n"),
    "tags-30k": page("<a " * 30_000 + "\n"),
    # Inside the page size: refused by the paragraph and mark bounds instead.
    "brackets-in-size": page("[" * 4_000 + "x" + ")" * 4_000 + "\n"),
    "emphasis-in-size": page("*a*" * 6_000 + "\n"),
    "backticks-in-size": page("`a " * 6_000 + "\n"),
    "tags-in-size": page("<a " * 6_000 + "\n"),
    "deep-in-size": page("".join("    " * i + "- x\n" for i in range(80))),
    "format-pad": manifest('step_of = "Step {n} of {total}"', 'step_of = "Step {n:>300000000} of {total}"'),
    "format-zz": manifest('idle_note = "Clears after {minutes} minutes"', 'idle_note = "Clears after {minutes:zz} minutes"'),
    "html-title": manifest('title = "Risks"', 'title = "<img src=\\"x.png\\" width=50000>"'),
    "empty-en": empty_language,
    "link-passwd": link_to("/etc/passwd"),
    "link-sparse-2GB": sparse_link,
    "questions-2000": questions(2_000),
    "questions-58": questions(58),  # with the pack's own 2: the limit (and 4 groups)
    "at-every-limit": at_every_limit,
}

LOAD = """
import sys, time
from pathlib import Path
from kiosk.core.content import load_library
from kiosk.core.errors import ContentError
root, pictures = Path(sys.argv[1]), Path(sys.argv[2])
values = {"clinic_name": "Sunrise Pain Clinic", "clinic_phone": "555-0142", "emergency_number": "911"}
start = time.perf_counter()
try:
    load_library(root, ["en"], values, pictures)
    outcome = "loaded"
except ContentError as exc:
    outcome = f"refused ({len(exc.problems)} problem(s))"
except BaseException as exc:
    outcome = f"CRASH {type(exc).__name__}"
print(f"{time.perf_counter() - start:.4f} {outcome}")
"""

UI = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["KIOSK_SPEECH_ENGINE"] = "mock"
from pathlib import Path
from PySide6.QtWidgets import QApplication
from kiosk.core.settings import Settings
from kiosk.ui.app import application, build_kiosk, load_content
application()
settings = Settings(clinic_name="Sunrise Pain Clinic", clinic_phone="555-0142", languages=("en",))
kiosk = build_kiosk(settings, load_content(settings, Path(sys.argv[1])), size=(1280, 800))
kiosk.window.show()
start = time.perf_counter()
kiosk.controller.model.start()
QApplication.processEvents()
first = time.perf_counter()
checklist = next(p.id for p in kiosk.controller.pack.pages if p.kind == "checklist")
kiosk.controller.show(checklist)
QApplication.processEvents()
kiosk.window.grab()
print(f"{first - start:.3f} {time.perf_counter() - first:.3f}")
os._exit(0)
"""


def child_env(src: Path, data: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(src), KIOSK_DATA_DIR=str(data), QT_QPA_PLATFORM="offscreen")
    env.pop("KIOSK_CONFIG", None)
    return env


def run(args: list[str], env: dict[str, str], timeout: float) -> tuple[float, subprocess.CompletedProcess[str] | None]:
    start = time.perf_counter()
    try:
        result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env, cwd=env["KIOSK_DATA_DIR"],
                                check=False)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, None
    return time.perf_counter() - start, result


def measure(name: str, src: Path, work: Path, timeout: float) -> dict[str, object]:
    base = work / name
    folder, _ = make_pack(base, picture="spine-facets.svg")
    PACKS[name](folder)
    (base / "kiosk.toml").write_text(CONFIG, encoding="utf-8")
    data = base / "data"
    data.mkdir()
    env = child_env(src, data)
    pictures = src / "assets" / "illustrations"
    figures: dict[str, object] = {"pack": name}
    wall, result = run([sys.executable, "-c", LOAD, str(base / "content"), str(pictures)], env, timeout)
    if result is None:
        figures["load"] = f"TIMEOUT after {wall:.0f} s"
    elif result.returncode != 0 or not result.stdout.strip():
        figures["load"] = f"CRASH (exit {result.returncode}): {result.stderr.strip().splitlines()[-1:]}"
    else:
        seconds, outcome = result.stdout.split(" ", 1)
        figures["load"] = f"{float(seconds):.3f} s {outcome.strip()}"
    wall, result = run([sys.executable, "-m", "kiosk", "--config", str(base / "kiosk.toml"), "check-content",
                        str(base / "content")], env, timeout)
    if result is None:
        figures["check"] = f"TIMEOUT after {wall:.0f} s"
    else:
        traceback = ", TRACEBACK" if "Traceback" in result.stderr else ""
        figures["check"] = f"{wall:.2f} s exit {result.returncode}{traceback}"
    if name.startswith("questions-"):
        wall, result = run([sys.executable, "-c", UI, str(base / "content")], env, timeout)
        if result is None or result.returncode != 0:
            figures["ui"] = "TIMEOUT" if result is None else "refused or failed"
        else:
            first, checklist = result.stdout.split()
            figures["ui"] = f"tap to first page {float(first):.3f} s, to checklist {float(checklist):.3f} s"
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.hostile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--src", type=Path, default=ROOT, help="the checkout whose kiosk to run (default: this one)")
    parser.add_argument("--only", nargs="*", choices=list(PACKS), help="just these packs")
    parser.add_argument("--timeout", type=float, default=150, help="seconds before a child is stopped (default 150)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="kiosk-hostile-") as work:
        for name in args.only or PACKS:
            figures = measure(name, args.src.resolve(), Path(work), args.timeout)
            rows.append(figures)
            extra = f" | {figures['ui']}" if "ui" in figures else ""
            print(f"{name:16} | load {figures['load']:40} | check-content {figures['check']}{extra}", flush=True)
    if args.json:
        args.json.write_text(json.dumps({"src": str(args.src), "rows": rows}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
