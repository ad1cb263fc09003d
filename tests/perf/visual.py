"""Visually complete, measured from outside: launch a program and watch the X screen.

    python -m tests.perf.visual --display :5 [--still 1.5] [--timeout 30] -- PROGRAM ARGS...

Any program is measured the same way (the kiosk and Chromium alike), by a separate process
that samples the screen: a few full-width rows read back from the X server (XGetImage, via
Qt's xcb screen grab) every ~5 ms, from just before the launch until the rows have not
changed for ``--still`` seconds. The figure is the time of the first sample equal to the
final picture: when the screen first looked as it ended up. Prints one JSON line; the
program (and everything it started) is then killed.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from itertools import pairwise

ROWS = 12  # full-width rows, spread evenly down the screen
PERIOD_S = 0.005


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--display", required=True)
    parser.add_argument("--still", type=float, default=1.5, help="seconds unchanged that end the watch")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--shot", help="save the final screen here (PNG), to see what was measured")
    parser.add_argument("--frames", help="save the whole screen at each change into this folder (slows sampling: "
                                          "to see what changed, not to time it)")
    parser.add_argument("program", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    program = args.program[1:] if args.program[:1] == ["--"] else args.program
    if not program:
        parser.error("no program to launch")

    os.environ["DISPLAY"] = args.display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(["visual-sampler"])
    screen = app.primaryScreen()
    size = screen.geometry()
    ys = [round((i + 0.5) * size.height() / ROWS) for i in range(ROWS)]

    def sample() -> bytes:
        digest = hashlib.blake2b(digest_size=16)
        for y in ys:
            image = screen.grabWindow(0, 0, y, size.width(), 1).toImage()
            digest.update(bytes(image.constBits()))
        return digest.digest()

    before = sample()
    samples: list[tuple[float, bytes]] = []
    t0 = time.perf_counter()
    child = subprocess.Popen(program, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    last_change = None
    previous = before
    try:
        while True:
            now = time.perf_counter() - t0
            picture = sample()
            samples.append((now, picture))
            if picture != previous:
                last_change = now
                previous = picture
                if args.frames:
                    screen.grabWindow(0).save(os.path.join(args.frames, f"{now:07.3f}.png"))
            if last_change is not None and now - last_change >= args.still:
                break
            if now > args.timeout:
                break
            time.sleep(max(0.0, PERIOD_S - (time.perf_counter() - t0 - now)))
    finally:
        if args.shot:
            screen.grabWindow(0).save(args.shot)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait(10)
    final = samples[-1][1]
    complete = next(t for t, picture in samples if picture == final)
    changes = sum(1 for (_, a), (_, b) in pairwise(samples) if a != b)
    # Each time the picture changed, and whether it then looked as it ended up: a picture
    # that was complete and then changed again (a flash) shows up here.
    timeline = [(round(t, 3), picture == final) for (_, a), (t, picture) in pairwise(samples) if picture != a]
    gaps = [b - a for (a, _), (b, _) in pairwise(samples)]
    record = {
        "visually_complete_s": complete if final != before else None,
        "last_change_s": last_change,
        "timed_out": last_change is None or samples[-1][0] > args.timeout,
        "samples": len(samples),
        "changes": changes,
        "timeline": timeline,
        "differs_after_complete": sum(1 for t, picture in samples if t > complete and picture != final),
        "sample_gap_median_ms": 1000 * sorted(gaps)[len(gaps) // 2] if gaps else None,
    }
    sys.stdout.write(json.dumps(record) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
