"""Moving stage pictures: frame cost and CPU while playing, and what runs afterwards.

    python -m tests.perf.motion [--size 1920x1080] [--realtime SECONDS] [--json out.json]

Frame time: every stage page of every topic (English) is shown in a 1920x1080 window and
its picture stepped through at 30 frames a second of animation time with a clock the probe
moves; each frame is the player's tick plus a synchronous repaint of the picture (the
rectangle its update() asks for; the rest of the window is not redrawn). CPU: one
stage played in real time in the Qt event loop for ``--realtime`` seconds (process CPU time
/ wall time). Afterwards: the active timers left on the page once the last beat is shown.
Not part of ``pytest``; the figures depend on the machine's load (see README.md)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
if os.environ.get("KIOSK_PERF_SRC"):  # bench --src: measure another checkout's kiosk
    sys.path.insert(0, os.environ["KIOSK_PERF_SRC"])


def _size(text: str) -> tuple[int, int]:
    w, h = text.lower().split("x")
    return int(w), int(h)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=_size, default=(1920, 1080))
    parser.add_argument("--realtime", type=float, default=0.0, help="also play one stage for this long, for CPU")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.core.settings import Settings
    from kiosk.ui.app import build_kiosk, load_content

    app = QApplication.instance() or QApplication([])
    settings = Settings()
    library = load_content(settings, None)
    kiosk = build_kiosk(settings, library, size=args.size)
    kiosk.window.show()
    app.processEvents()
    frames: list[float] = []
    redraws = drawn_frames = 0
    left_running = 0
    for topic in library.topics:
        kiosk.controller.show(f"{topic}/{library.topic_packs(topic)['en'].pages[0].id}")
        for page in kiosk.controller.pack.pages:
            if page.kind != "stage":
                continue
            kiosk.controller.show(page.id)
            app.processEvents()
            view = kiosk.controller.views[page.id]
            player = view.player
            # The page's own start comes a turn after its first paint: let it happen, then
            # stop it, so that it cannot start the real clock after the stepping below.
            deadline = time.perf_counter() + 5
            while not player.playing and time.perf_counter() < deadline:
                app.processEvents()
            player.stop()
            now = [0.0]
            player.clock = lambda now=now: now[0]
            player.replay()
            before = view.picture.redraws
            steps = int(player.motion.seconds * 30) + 1
            for i in range(steps):
                now[0] = i / 30
                start = time.perf_counter()
                player.tick()
                view.picture.repaint()  # what the picture's update() asks Qt to paint: its own rectangle
                frames.append((time.perf_counter() - start) * 1000)
            redraws += view.picture.redraws - before
            drawn_frames += steps
            app.processEvents()
            left_running += sum(1 for t in view.findChildren(QTimer) if t.isActive())
    result: dict[str, object] = {
        "size": f"{args.size[0]}x{args.size[1]}",
        "frames": len(frames),
        "frame_ms_p50": round(statistics.median(frames), 2),
        "frame_ms_p95": round(sorted(frames)[int(len(frames) * 0.95) - 1], 2),
        "frame_ms_max": round(max(frames), 2),
        "pictures_redrawn": f"{redraws} of {drawn_frames} frames (the rest looked alike and were reused)",
        "timers_running_after_the_last_beat": left_running,
    }
    if args.realtime:
        kiosk.controller.show("thoracic-mbb/injection")
        view = kiosk.controller.views["injection"]
        view.player.clock = time.monotonic
        loop = QEventLoop()
        QTimer.singleShot(round(args.realtime * 1000), loop.quit)
        cpu, wall = time.process_time(), time.perf_counter()
        view.player.replay()
        loop.exec()
        result["cpu_percent_of_a_core_while_playing"] = round(
            100 * (time.process_time() - cpu) / (time.perf_counter() - wall), 1)
    kiosk.window.allow_close()
    kiosk.window.close()
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    # Leave without the interpreter's teardown, as probe.py does: the figures are written,
    # and on a slow day the speech engine may still be starting on its thread (its 13,000
    # voices take seconds niced), which Qt aborts the process for when it is torn down.
    code = main()
    sys.stdout.flush()
    os._exit(code)
