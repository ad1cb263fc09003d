"""Freed memory given back to the system, and memory nobody needs let go of.

glibc keeps the memory Python and Qt free inside its heap for reuse, and hands it back to
the system only from the heap's top. Building, laying out and drawing every page ahead
frees megabytes in the middle (text layouts, drawing, temporary strings), which then stays
resident while the kiosk idles for hours. ``malloc_trim(0)`` returns every whole free page
(the pages stay mapped and come back on demand, zeroed). It took 0.05-0.4 ms here; still,
it is called when nothing else is due: once the pages are all ready ahead, on the welcome
screen. Where the C library has no ``malloc_trim`` (musl, macOS, Windows) this does nothing.

And Python's cyclic garbage collector kept out of the way of work that makes many objects
that stay: a full content load (:func:`gc_paused`) and start-up until the first paint
(:func:`collector_off_for_start_up`, :func:`start_up_over`).
"""

from __future__ import annotations

import contextlib
import gc
import linecache
import sys
from collections.abc import Callable, Iterator

_TRIM: list[Callable[[int], int] | None] = []  # looked up once: the function, or None


def _malloc_trim() -> Callable[[int], int] | None:
    if not _TRIM:
        function = None
        if sys.platform.startswith("linux"):
            import ctypes  # (here: the content loader, also for check-content, imports this module)

            try:
                function = ctypes.CDLL(None).malloc_trim  # (the C library the process runs on)
                function.argtypes = [ctypes.c_size_t]
                function.restype = ctypes.c_int
            except (OSError, AttributeError):
                function = None
        _TRIM.append(function)
    return _TRIM[0]


def give_back() -> bool:
    """Return the heap's free pages to the system; False where that cannot be done."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def forget_source_lines() -> None:
    """Drop the source lines Python keeps for tracebacks. PySide reads the whole source of
    every module imported after it, to learn whether the module uses PySide's opt-in
    features (its ``feature_imported``), and Python's line cache keeps every line: ~6.5 MB
    of strings for the kiosk's ~300 modules, held for good. Only a traceback needs them,
    and it reads them again from the files."""
    linecache.clearcache()


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside (as before when it was off already). A full
    content load makes ~30,000 objects that stay; Python's collector, counting them as
    they come, walked the growing heap again and again: ~10 % of the load. What the load
    leaves in cycles is collected after, at the collector's next turn."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def collector_off_for_start_up() -> None:
    """Python's cyclic collector off until :func:`start_up_over`. A start makes ~35,000
    objects that stay for good (modules, classes, the welcome screen's wrappers); the
    collector, counting them as they came, walked them again and again (~55 young and 5
    older collections, 20-30 ms, measured with ``gc.callbacks`` on the 2-core box)."""
    gc.disable()


def start_up_over() -> None:
    """After the first paint: what start-up made is set aside (``gc.freeze``: the
    collector does not walk it again; a full walk of it took ~20 ms) and the collector is
    on again for whatever comes after. What start-up left in reference cycles, ~1,200
    objects (~130 kB: the argument parser, the Markdown converters of a start without the
    content cache), stays: collecting it first cost those ~20 ms. Does nothing to a
    collector that is on (tests, tools)."""
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()


def start_up_may_go() -> None:
    """What start-up made may be collected again (``gc.unfreeze``): the screens it built
    are being replaced."""
    gc.unfreeze()
