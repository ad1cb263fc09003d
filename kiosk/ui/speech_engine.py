"""The platform's speech engine on a thread of its own (``ThreadedEngine``), for the
``Speaker`` in ``kiosk.ui.speech``.

speech-dispatcher's engine takes 2-3 s to list its 13,000 espeak-ng voices (and blocks
for ever when the service is wedged), which used to hold the first picture back; started
here, the GUI thread never waits for it, and its start is niced (``give_way``)."""

from __future__ import annotations

import atexit
import logging
import os
import threading
from typing import Any

import shiboken6
from PySide6.QtCore import Q_ARG, QCoreApplication, QLocale, QMetaObject, QObject, Qt, QThread, Signal, Slot

log = logging.getLogger("kiosk.ui.speech")  # (one logger for read aloud, as before the split)


def qt_engine(name: str, parent: QObject) -> Any:
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as exc:  # e.g. the audio libraries are missing
        log.info("speech unavailable: %s", exc)
        return None
    if name and name not in QTextToSpeech.availableEngines():
        log.info("speech unavailable: no engine %r (installed: %s)", name, ", ".join(QTextToSpeech.availableEngines()) or "none")
        return None
    try:
        return QTextToSpeech(name, parent) if name else QTextToSpeech(parent)
    except Exception:
        log.exception("speech engine %r failed to start", name)
        return None


PLACEHOLDER_ENGINE = "mock"  # Qt's test engine: starts at once; replaced on the thread
ENGINE_NICE = 10  # how much lower the engine thread's CPU priority is than the window's


def give_way() -> int | None:
    """Lower the calling thread's CPU priority by ``ENGINE_NICE`` (on Linux a thread's nice
    value is its own); its new nice value, or None where that cannot be done. Starting
    speech-dispatcher's engine parses 13,000 voices: 1.5-2 s of CPU, in the seconds when
    the window is being built and painted and the X server is drawing it. On a 2-core box
    those compete; niced, the parse takes what they leave. (A speech-dispatcher this thread
    autostarts inherits the value; speaking a sentence takes it little CPU.)"""
    try:
        tid = threading.get_native_id()
        nice = min(19, os.getpriority(os.PRIO_PROCESS, tid) + ENGINE_NICE)
        os.setpriority(os.PRIO_PROCESS, tid, nice)
    except (AttributeError, OSError):  # no per-thread priorities here; start as we are
        return None
    return nice


class _EngineWorker(QObject):
    """Lives on the engine's thread and makes the engine there, so that everything the
    engine owns belongs to that thread. Its calls are queued in order: ``create`` (quick),
    then the engine's ``setEngine`` (slow, in C++, holding no Python lock), then ``probe``."""

    def __init__(self, name: str, owner: ThreadedEngine) -> None:
        super().__init__()
        self._name = name
        self._owner = owner
        self.tts: Any = None
        self.nice: int | None = None

    @Slot()
    def create(self) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        self.nice = give_way()
        owner = self._owner
        tts = QTextToSpeech(PLACEHOLDER_ENGINE, self)
        tts.stateChanged.connect(owner._on_state)  # (to an object of the GUI thread: queued)
        tts.errorOccurred.connect(owner._on_error)
        tts.localeChanged.connect(owner._on_locale)
        self.tts = tts
        QMetaObject.invokeMethod(tts, "setEngine", Qt.ConnectionType.QueuedConnection, Q_ARG(str, self._name))
        QMetaObject.invokeMethod(self, "probe", Qt.ConnectionType.QueuedConnection)

    @Slot()
    def probe(self) -> None:
        """Read what the Speaker needs here, where a read cannot meet a half-built engine."""
        tts = self.tts
        try:
            self._owner._started.emit(tts, tts.state(), list(tts.availableLocales()), tts.locale())
        except RuntimeError:  # the kiosk closed while its engine was starting: no one to tell
            log.info("speech engine started after its window closed")


class ThreadedEngine(QObject):
    """A QTextToSpeech that lives on a thread of its own, shaped like the parts of it the
    Speaker uses. Calls go to it as queued calls; its state and locale are mirrored here
    from its signals. ``ready`` fires once its engine has started (or failed to)."""

    ready = Signal()
    stateChanged = Signal(object)  # noqa: N815 (Qt's names)
    errorOccurred = Signal(object, str)  # noqa: N815
    _started = Signal(object, object, object, object)  # (engine, state, locales, locale), from the thread

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtTextToSpeech import QTextToSpeech

        self._name = name
        self._state: Any = QTextToSpeech.State.Error
        self._locales: list[QLocale] = []
        self._locale = QLocale.c()
        self._tts: Any = None
        self.thread_ = QThread()
        self.thread_.setObjectName("speech-engine")
        self._worker = _EngineWorker(name, self)
        self._worker.moveToThread(self.thread_)
        self._started.connect(self._on_started)
        # However this wrapper goes (its parent deleted, the application quitting), the
        # thread ends first: Qt aborts the process when a running QThread is destroyed.
        thread, worker = self.thread_, self._worker
        self.destroyed.connect(lambda: _end_thread(thread, worker))
        _LIVE[id(thread)] = (thread, worker)  # and at exit, for a speaker nobody deleted
        # The slow part runs on that thread: the GUI thread never waits for it.
        self.thread_.start()
        QMetaObject.invokeMethod(self._worker, "create", Qt.ConnectionType.QueuedConnection)

    def _on_started(self, tts: Any, state: Any, locales: list[QLocale], locale: QLocale) -> None:
        self._tts = tts
        self._state, self._locales, self._locale = state, locales, locale
        self.ready.emit()

    def _on_state(self, state: Any) -> None:
        self._state = state
        self.stateChanged.emit(state)

    def _on_error(self, reason: Any, message: str) -> None:
        self.errorOccurred.emit(reason, message)

    def _on_locale(self, locale: QLocale) -> None:
        self._locale = locale

    def engine(self) -> str:
        return self._name

    def state(self) -> Any:
        return self._state

    def availableLocales(self) -> list[QLocale]:  # noqa: N802
        return list(self._locales)

    def locale(self) -> QLocale:
        return self._locale

    def setLocale(self, locale: QLocale) -> None:  # noqa: N802
        self._locale = locale
        QMetaObject.invokeMethod(self._tts, "setLocale", Qt.ConnectionType.QueuedConnection, Q_ARG(QLocale, locale))

    def setVolume(self, volume: float) -> None:  # noqa: N802
        QMetaObject.invokeMethod(self._tts, "setVolume", Qt.ConnectionType.QueuedConnection, Q_ARG(float, volume))

    def say(self, text: str) -> None:
        QMetaObject.invokeMethod(self._tts, "say", Qt.ConnectionType.QueuedConnection, Q_ARG(str, text))

    def stop(self) -> None:
        QMetaObject.invokeMethod(self._tts, "stop", Qt.ConnectionType.QueuedConnection)

    def close(self) -> None:
        _end_thread(self.thread_, self._worker)


CLOSE_WAIT_MS = 3000
_STUCK: list[QThread] = []  # threads whose engine never finished starting (see _end_thread)


_LIVE: dict[int, tuple[QThread, QObject]] = {}  # every engine thread not yet ended


def _end_thread(thread: QThread, worker: QObject) -> None:
    """Delete the engine on its thread and end the thread. A start that hangs (a wedged
    speech-dispatcher never answers) is not waited for beyond CLOSE_WAIT_MS: that thread
    is kept referenced, so nothing destroys it while it runs; at exit it is waited for
    once more, then ended (``_end_all_threads``)."""
    _LIVE.pop(id(thread), None)
    if not shiboken6.isValid(thread) or thread in _STUCK or not thread.isRunning():
        return  # (already ended: at exit, or by close())
    worker.deleteLater()  # with its engine, on their thread, before it ends
    thread.quit()
    if not thread.wait(CLOSE_WAIT_MS):
        log.warning("the speech engine did not finish starting; leaving its thread behind")
        _STUCK.append(thread)


EXIT_WAIT_MS = 10000


@atexit.register
def _end_all_threads() -> None:
    for thread, worker in list(_LIVE.values()):
        _end_thread(thread, worker)
    # The process is ending: a thread still busy with its engine (a slow machine took over
    # CLOSE_WAIT_MS) must not be left for Python's teardown to destroy while it runs, which
    # Qt aborts the process for ("QThread: Destroyed while thread ... is still running").
    for thread in _STUCK:
        if shiboken6.isValid(thread) and not thread.wait(EXIT_WAIT_MS):
            thread.terminate()
            thread.wait(1000)


def threaded_qt_engine(name: str, parent: QObject) -> Any:
    """The platform's engine, started on its own thread; None when there is none."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError:
        return qt_engine(name, parent)  # (which says why there is no speech)
    engines = QTextToSpeech.availableEngines()
    if name == PLACEHOLDER_ENGINE or PLACEHOLDER_ENGINE not in engines:
        # Qt's mock engine (the tests') starts at once; and with no placeholder to start
        # from (the frozen build ships it; a trimmed Qt may not), start on this thread.
        return qt_engine(name, parent)
    real = [e for e in engines if e != PLACEHOLDER_ENGINE]
    if not real or (name and name not in real):
        log.info("speech unavailable: no engine %r (installed: %s)", name, ", ".join(engines))
        return None
    engine = ThreadedEngine(name, parent)
    app = QCoreApplication.instance()
    if app is not None:  # the thread ends before the application does, however it ends
        app.aboutToQuit.connect(engine.close)
    return engine


def dispose(tts: Any) -> None:
    if isinstance(tts, ThreadedEngine):
        tts.close()
    tts.deleteLater()
