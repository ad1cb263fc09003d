"""A change event without Qt: the walkthrough model emits, views subscribe.

The model lives in ``kiosk.core`` (no Qt, testable without a screen, usable from the
command line); Qt's signals would bring Qt in with them. A list of callbacks is all it needs:
one thread, called in the order they were connected. A bound method is held weakly (as
psygnal and Qt do): a subscriber that goes away is simply dropped, and the model never
keeps a controller, a window and all its widgets alive through a reference cycle."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from types import MethodType
from typing import Generic, ParamSpec

P = ParamSpec("P")


class Event(Generic[P]):
    """``event.connect(callback)``; ``event.emit(...)`` calls every callback in turn."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[], Callable[P, object] | None]] = []

    def connect(self, callback: Callable[P, object]) -> Callable[P, object]:
        if isinstance(callback, MethodType):
            self._callbacks.append(weakref.WeakMethod(callback))
        else:
            self._callbacks.append(lambda: callback)
        return callback

    def disconnect(self, callback: Callable[P, object]) -> None:
        """Forget ``callback`` (no error if it was never connected)."""
        self._callbacks = [ref for ref in self._callbacks if ref() not in (callback, None)]

    def emit(self, *args: P.args, **kwargs: P.kwargs) -> None:
        for ref in list(self._callbacks):  # a callback may disconnect itself
            callback = ref()
            if callback is None:
                self._callbacks.remove(ref)
            else:
                callback(*args, **kwargs)

    def __len__(self) -> int:
        return sum(1 for ref in self._callbacks if ref() is not None)
