# ruff: noqa: E402  (the clock starts before any import)
"""One measurement in a fresh process; prints one JSON line (``bench.py`` runs it).

    python tests/perf/probe.py cold  [--fullscreen]   # prints "painted" at the welcome screen's first paint
    python tests/perf/probe.py turns --laps 25        # page turns, then PSS
    python tests/perf/probe.py idle  --seconds 60     # CPU on the attract screen
    python tests/perf/probe.py load  --runs 20        # content load: full (cache miss), then from the cache

Run as a script (not ``-m``) so that cold start imports nothing but the kiosk.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()  # as early as possible: the child's own clock for the cold-start breakdown

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
if os.environ.get("KIOSK_PERF_SRC"):  # bench --src: measure another checkout's kiosk
    sys.path.insert(0, os.environ["KIOSK_PERF_SRC"])
from tests.perf.common import bench_settings, content_languages, prepare_env, pss_kib, smaps_kib


def emit(record: dict) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


# --------------------------------------------------------------------------- cold start


def cold(fullscreen: bool, keep_cache: bool = False) -> None:
    """Start the kiosk through its real entry point (``kiosk [--windowed]``) and report the
    welcome screen's first paint. ``build_kiosk`` is wrapped (not edited) to hook the paint.
    ``keep_cache``: once the figures are out, wait (up to 10 s) for the content cache the
    kiosk writes after its first paint, so that the next start finds it, as a kiosk that
    has run before does."""
    marks = {"probe_start": 0.0}
    import tempfile

    try:  # The real entry turns the collector off before it imports the kiosk; so does the probe.
        from kiosk.core.heap import collector_off_for_start_up
    except ImportError:  # (a checkout from before it, measured with bench --src)
        pass
    else:
        collector_off_for_start_up()
    langs = content_languages() or ["en"]
    config = Path(tempfile.mkdtemp(prefix="kiosk-perf-config-")) / "kiosk.toml"
    config.write_text('clinic_name = "Sunrise Pain Clinic"\nclinic_phone = "555-0142"\n'
                      f"languages = {json.dumps(langs)}\nstatistics = true\n", encoding="utf-8")
    from PySide6.QtCore import QEvent, QObject, QTimer

    import kiosk.__main__ as entry
    import kiosk.ui.app as appmod

    marks["imports_done"] = time.perf_counter() - T0
    original_build = appmod.build_kiosk

    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, watched, event):  # noqa: N802
            if not self.seen and event.type() == QEvent.Type.Paint:
                self.seen = True
                marks["first_paint_event"] = time.perf_counter() - T0
                # Fires once the whole paint pass (and its flush to the backing store) is over.
                QTimer.singleShot(0, done)
            return False

    def done() -> None:
        marks["painted"] = time.perf_counter() - T0
        sys.stdout.write("painted\n")
        sys.stdout.flush()
        marks["pss_kib"] = pss_kib()
        marks["markdown_imported"] = "markdown" in sys.modules  # (a start from the content cache renders none)
        emit(marks)
        cache = _content_cache() if keep_cache else None
        if cache is None:
            os._exit(0)  # the kiosk refuses to close; skipping teardown is not part of start-up
        deadline = time.perf_counter() + 10

        def written() -> None:
            if cache.is_file() or time.perf_counter() > deadline:
                os._exit(0)

        poll.timeout.connect(written)
        poll.start(20)

    poll = QTimer()

    def build(*args, **kwargs):  # type: ignore[no-untyped-def]
        marks["build_start"] = time.perf_counter() - T0
        kiosk = original_build(*args, **kwargs)
        marks["build_done"] = time.perf_counter() - T0
        hook = FirstPaint(kiosk.app)
        build.hook = hook  # type: ignore[attr-defined]
        kiosk.controller.welcome.installEventFilter(hook)
        for child in kiosk.controller.welcome.findChildren(QObject):
            child.installEventFilter(hook)
        return kiosk

    appmod.build_kiosk = build
    argv = ["--config", str(config)] + ([] if fullscreen else ["--windowed"])
    entry.main(argv)
    emit({"error": "event loop ended before the welcome screen was painted", **marks})
    sys.exit(1)


def _content_cache() -> Path | None:
    """Where the kiosk keeps its content cache (None for a checkout from before it)."""
    try:
        from kiosk.core.paths import content_cache_path
    except ImportError:
        return None
    return Path(content_cache_path())


# --------------------------------------------------------------------------- page turns + memory


def _build(size=(1920, 1080)):  # type: ignore[no-untyped-def]
    from kiosk.ui.app import application, build_kiosk, load_content

    application()
    settings = bench_settings()
    library = load_content(settings, None)
    kiosk = build_kiosk(settings, library, size=size)
    kiosk.window.show()
    return kiosk


def _settle(app, seconds: float = 0.3) -> None:  # type: ignore[no-untyped-def]
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.005)


def _settled(c) -> bool:  # type: ignore[no-untyped-def]
    """The kiosk's start-up work is over: every page made ahead and drawn once (the work the
    welcome screen does while nobody is there), and the speech engine started (its thread
    reads the system's voices). A checkout from before either has nothing to wait for."""
    ahead = getattr(getattr(c, "screens", None), "ahead", None)
    if ahead is not None and (ahead.working or ahead.missing() is not None):
        return False
    return getattr(getattr(c, "speaker", None), "_starting", None) is None


def turns(laps: int, click: bool, settled: bool = False) -> None:
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    kiosk = _build()
    app, c, w = kiosk.app, kiosk.controller, kiosk.window
    _settle(app, 0.5)
    settled_s = None
    if settled:  # as a patient finds it: on the welcome screen since start-up
        deadline = time.perf_counter() + 120
        while not _settled(c) and time.perf_counter() < deadline:
            _settle(app, 0.05)
        settled_s = time.perf_counter() - T0 if _settled(c) else None
        _settle(app, 0.5)
    pss_built, anon_built = pss_kib(), smaps_kib("Anonymous")

    class PaintWatch(QObject):
        """Watches only the page being turned to (an object filter on it, for the length of
        one turn): an application-wide Python filter would itself cost ~1.5 ms a turn."""

        painted = False

        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.painted = True
            return False

    watch = PaintWatch()
    samples: list[dict] = []

    def turn(language: str, topic: str | None) -> None:
        before = c.session.page_id
        on_welcome = before is None
        t0 = time.perf_counter()
        if click:
            cards = getattr(c.welcome, "cards", None) or {}  # (a checkout from before topics has one start)
            button = (cards.get(topic) or c.welcome.start) if on_welcome else w.footer.next
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        elif on_welcome and topic is not None:
            c.model.start(topic)
        else:
            c.next()
        after = c.session.page_id
        target = c.welcome if after is None else c.views[after]
        watch.painted = False
        target.installEventFilter(watch)
        t1 = time.perf_counter()
        deadline = t1 + 5
        while not watch.painted and time.perf_counter() < deadline:
            app.processEvents()
        t2 = time.perf_counter()
        target.removeEventFilter(watch)
        # Deferred deletes and anything else posted by the turn, outside the timing.
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        samples.append({"lang": language, "topic": topic or "", "from": before or "welcome", "to": after or "welcome",
                        "ms": (t2 - t0) * 1000, "handler_ms": (t1 - t0) * 1000, "painted": watch.painted})

    # Every topic in every language. The reset after "I'm done" returns to the default
    # language, so each lap chooses its language again on the welcome screen, as a patient
    # would (before, only the first Spanish lap was Spanish), and then its topic's card.
    topics = list(getattr(c.library, "topics", None) or [None])
    for topic in topics:
        for language in c.library.languages:
            if c.session.page_id is not None:
                c.reset_session()
            for _ in range(laps):
                if c.session.language != language:
                    c.model.set_language(language)
                    _settle(app, 0.2)
                pack = c.library.pack(language, topic) if topic is not None else c.pack
                for _ in range(len(pack.pages) + 1):  # welcome -> every page -> "I'm done" -> welcome
                    turn(language, topic)
                    # Give pending timers (idle watcher, drift) a chance, as a patient's pause would.
                    app.processEvents()
    _settle(app, 0.3)
    import gc

    gc.collect()
    emit({"samples": samples, "settled_s": settled_s, "languages": c.library.languages, "topics": [t or "" for t in topics], "pss_built_kib": pss_built,
          "pss_walked_kib": pss_kib(),
          "anon_built_kib": anon_built, "anon_walked_kib": smaps_kib("Anonymous"), "pages": [p.id for p in c.pack.pages]})
    w.allow_close()
    os._exit(0)  # see main(): skip interpreter teardown


# --------------------------------------------------------------------------- idle CPU


def idle(seconds: float, warmup: float) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer

    kiosk = _build()
    app = kiosk.app
    counts = {"timer": 0, "paint": 0, "update_request": 0}

    class Counter(QObject):
        def eventFilter(self, watched, event):  # noqa: N802
            kind = event.type()
            if kind == QEvent.Type.Timer:
                counts["timer"] += 1
            elif kind == QEvent.Type.Paint:
                counts["paint"] += 1
            elif kind == QEvent.Type.UpdateRequest:
                counts["update_request"] += 1
            return False

    state: dict[str, float] = {}

    def begin() -> None:
        for key in counts:
            counts[key] = 0
        state["wall"] = time.perf_counter()
        state["cpu"] = time.process_time()

    def finish() -> None:
        wall = time.perf_counter() - state["wall"]
        cpu = time.process_time() - state["cpu"]
        emit({"wall_s": wall, "cpu_s": cpu, "cpu_percent": 100 * cpu / wall, "events": counts,
              "on_welcome": kiosk.window.on_welcome(), "pss_kib": pss_kib()})
        kiosk.window.allow_close()
        app.exit(0)

    counter = Counter()
    app.installEventFilter(counter)
    QTimer.singleShot(int(warmup * 1000), begin)
    QTimer.singleShot(int((warmup + seconds) * 1000), finish)
    app.exec()


# --------------------------------------------------------------------------- content load


def load(runs: int) -> None:
    """Each run: a full load with no content cache (a miss, which writes it), then a load
    served from that cache (a hit). A checkout from before the cache (``bench --src``)
    gives full loads only. Where the kiosk writes the cache after its first paint
    (``load_content(..., store_later=...)``), the miss is timed as the start pays it, without
    the write; the write is timed apart (``store_ms``), before the hit."""
    import inspect

    from kiosk.ui.app import load_content

    settings = bench_settings()
    cache = _content_cache()
    deferred = "store_later" in inspect.signature(load_content).parameters
    miss, hit, store = [], [], []
    for _ in range(runs):
        if cache is not None:
            cache.unlink(missing_ok=True)
        stores: list = []
        t0 = time.perf_counter()
        load_content(settings, None, store_later=stores.append) if deferred else load_content(settings, None)
        t1 = time.perf_counter()
        for job in stores:
            job()
        store.append((time.perf_counter() - t1) * 1000)
        t1 = time.perf_counter()
        if cache is not None and not cache.is_file():
            emit({"error": f"no content cache was written to {cache}"})
            sys.exit(1)
        library = load_content(settings, None)
        t2 = time.perf_counter()
        miss.append((t1 - t0) * 1000)
        hit.append((t2 - t1) * 1000)
    # Every topic's packs (a checkout from before topics has the default topic's only).
    packs = [pack for topic in getattr(library, "topic_map", {"": library.packs}).values() for pack in topic.values()]
    emit({"ms": miss, "hit_ms": hit if cache is not None else miss, "store_ms": store if deferred else None,
          "packs": len(packs), "pages": sum(len(p.pages) for p in packs)})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("cold", "turns", "idle", "load"))
    parser.add_argument("--fullscreen", action="store_true")
    parser.add_argument("--keep-cache", action="store_true", help="cold: leave once the content cache is written")
    parser.add_argument("--laps", type=int, default=25)
    parser.add_argument("--click", action="store_true", help="turn pages with real mouse clicks on Next")
    parser.add_argument("--settled", action="store_true", help="turn pages once the kiosk's start-up work is over")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    prepare_env(speech=os.environ.get("KIOSK_SPEECH_ENGINE"))
    if args.mode == "cold":
        cold(args.fullscreen, args.keep_cache)
    elif args.mode == "turns":
        turns(args.laps, args.click, args.settled)
    elif args.mode == "idle":
        idle(args.seconds, args.warmup)
    else:
        load(args.runs)
    # PySide6 6.12 can abort in interpreter teardown after QTest clicks ("none_dealloc:
    # deallocating None"); the figures are already printed, so leave without teardown.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
