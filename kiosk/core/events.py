"""A change event without Qt: the walkthrough model emits, views subscribe.

The model lives in ``kiosk.core`` (no Qt, testable without a screen, usable from the
command line); Qt's signals would pull PySide6 in. A list of callbacks is all it needs:
one thread, called in the order they were connected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, ParamSpec

P = ParamSpec("P")


class Event(Generic[P]):
    """``event.connect(callback)``; ``event.emit(...)`` calls every callback in turn."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[P, object]] = []

    def connect(self, callback: Callable[P, object]) -> Callable[P, object]:
        self._callbacks.append(callback)
        return callback

    def disconnect(self, callback: Callable[P, object]) -> None:
        """Forget ``callback`` (no error if it was never connected)."""
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, *args: P.args, **kwargs: P.kwargs) -> None:
        for callback in list(self._callbacks):  # a callback may disconnect itself
            callback(*args, **kwargs)

    def __len__(self) -> int:
        return len(self._callbacks)
