"""The two X11 requests Qt has no API for: "put this window on every desktop" and "does this
window still exist?". Spoken straight to Qt's own XCB connection through ctypes (libxcb is
loaded by Qt's xcb platform plugin anyway), so no X library is added to the build.

Everything here is a no-op that returns None/False off X11 (Wayland, Windows, offscreen).
"""

from __future__ import annotations

import ctypes
import logging
from ctypes import POINTER, Structure, c_char_p, c_int, c_uint, c_uint8, c_uint16, c_uint32, c_void_p

from PySide6.QtGui import QGuiApplication

log = logging.getLogger(__name__)

ALL_DESKTOPS = 0xFFFFFFFF  # _NET_WM_DESKTOP's "every desktop" (EWMH)
_CLIENT_MESSAGE = 33
_PROP_MODE_REPLACE = 0
_ATOM_CARDINAL = 6
# A client message to the root window reaches the window manager with these (EWMH).
_SUBSTRUCTURE_NOTIFY_AND_REDIRECT = (1 << 19) | (1 << 20)


class _Cookie(Structure):
    _fields_ = [("sequence", c_uint)]


class _AtomReply(Structure):
    _fields_ = [("response_type", c_uint8), ("pad0", c_uint8), ("sequence", c_uint16), ("length", c_uint32),
                ("atom", c_uint32)]


class _TreeReply(Structure):
    _fields_ = [("response_type", c_uint8), ("pad0", c_uint8), ("sequence", c_uint16), ("length", c_uint32),
                ("root", c_uint32), ("parent", c_uint32), ("children_len", c_uint16), ("pad1", c_uint8 * 14)]


class _ClientMessage(Structure):
    _fields_ = [("response_type", c_uint8), ("format", c_uint8), ("sequence", c_uint16), ("window", c_uint32),
                ("type", c_uint32), ("data", c_uint32 * 5)]


class _Xcb:
    """The few libxcb calls used here, with their C signatures."""

    def __init__(self, connection: int) -> None:
        # By soname: Qt's xcb plugin has loaded it already, so this finds that copy.
        # (ctypes.util.find_library runs ldconfig: 4 ms, and 9 ms to import, at start.)
        name = "libxcb.so.1"
        lib = ctypes.CDLL(name)
        libc = ctypes.CDLL("libc.so.6")
        self.free = libc.free
        self.free.argtypes = [c_void_p]
        self.conn = c_void_p(connection)
        lib.xcb_intern_atom.argtypes = [c_void_p, c_uint8, c_uint16, c_char_p]
        lib.xcb_intern_atom.restype = _Cookie
        lib.xcb_intern_atom_reply.argtypes = [c_void_p, _Cookie, POINTER(c_void_p)]
        lib.xcb_intern_atom_reply.restype = POINTER(_AtomReply)
        lib.xcb_query_tree.argtypes = [c_void_p, c_uint32]
        lib.xcb_query_tree.restype = _Cookie
        lib.xcb_query_tree_reply.argtypes = [c_void_p, _Cookie, POINTER(c_void_p)]
        lib.xcb_query_tree_reply.restype = POINTER(_TreeReply)
        lib.xcb_change_property.argtypes = [c_void_p, c_uint8, c_uint32, c_uint32, c_uint32, c_uint8, c_uint32, c_void_p]
        lib.xcb_change_property.restype = _Cookie
        lib.xcb_send_event.argtypes = [c_void_p, c_uint8, c_uint32, c_uint32, c_void_p]
        lib.xcb_send_event.restype = _Cookie
        lib.xcb_flush.argtypes = [c_void_p]
        lib.xcb_flush.restype = c_int
        self.lib = lib

    def atom(self, name: bytes) -> int:
        cookie = self.lib.xcb_intern_atom(self.conn, 0, len(name), name)
        reply = self.lib.xcb_intern_atom_reply(self.conn, cookie, None)
        if not reply:
            return 0
        try:
            return int(reply.contents.atom)
        finally:
            self.free(reply)

    def root_of(self, window: int) -> int | None:
        """The window's root, or None when the window no longer exists (a round trip)."""
        error = c_void_p()
        reply = self.lib.xcb_query_tree_reply(self.conn, self.lib.xcb_query_tree(self.conn, window), ctypes.byref(error))
        if error.value:
            self.free(error)
        if not reply:
            return None
        try:
            return int(reply.contents.root)
        finally:
            self.free(reply)


def _xcb() -> _Xcb | None:
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication) or QGuiApplication.platformName() != "xcb":
        return None
    native = app.nativeInterface()
    connection = getattr(native, "connection", None)
    if connection is None:
        return None
    try:
        return _Xcb(int(connection()))
    except (OSError, AttributeError) as exc:  # no libxcb to be found: keep running without
        log.warning("X11 requests unavailable: %s", exc)
        return None


class X11Window:
    """One top-level window's X11 requests; every method is harmless off X11."""

    def __init__(self, window_id: int) -> None:
        self.window_id = window_id
        self._xcb = _xcb()

    @property
    def available(self) -> bool:
        return self._xcb is not None

    def exists(self) -> bool:
        """False when another program destroyed the window (``xdotool windowclose``)."""
        if self._xcb is None:
            return True
        return self._xcb.root_of(self.window_id) is not None

    def ask_all_desktops(self) -> bool:
        """Ask to be on every desktop: the property (read when the window is mapped) and the
        EWMH request to the window manager (for a window already on screen)."""
        xcb = self._xcb
        if xcb is None:
            return False
        root = xcb.root_of(self.window_id)
        desktop_atom = xcb.atom(b"_NET_WM_DESKTOP")
        if root is None or not desktop_atom:
            return False
        value = c_uint32(ALL_DESKTOPS)
        xcb.lib.xcb_change_property(xcb.conn, _PROP_MODE_REPLACE, self.window_id, desktop_atom, _ATOM_CARDINAL, 32, 1,
                                    ctypes.byref(value))
        message = _ClientMessage(response_type=_CLIENT_MESSAGE, format=32, window=self.window_id, type=desktop_atom)
        message.data[0] = ALL_DESKTOPS
        message.data[1] = 2  # source indication: a pager/tool acting for the user, which WMs obey
        xcb.lib.xcb_send_event(xcb.conn, 0, root, _SUBSTRUCTURE_NOTIFY_AND_REDIRECT, ctypes.byref(message))
        xcb.lib.xcb_flush(xcb.conn)
        return True
