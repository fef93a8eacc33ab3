"""On X11, Qt keeps hidden helper windows named after the application: its "client leader" (1x1,
never shown) is called "nnviz", and its clipboard window "Qt Selection Owner for nnviz". A user or a
script looking for nnviz's window by name (`xdotool search --name nnviz`) found one of those first:
closing it, or sending it Ctrl+Q, did nothing, and the app ran on (with training and labs running, a
quit that never came). `rename_hidden_windows(window)` gives them names without the application's,
so that the only window called nnviz is the one on screen.

Through Qt's own xcb connection (QNativeInterface.QX11Application) with ctypes: the requests follow
Qt's, so the windows Qt created with the main window exist by then.
"""

from __future__ import annotations

import ctypes
import ctypes.util

from PySide6.QtWidgets import QApplication, QWidget

ANY_TYPE, ATOM_STRING, ATOM_WM_NAME = 0, 31, 39  # predefined X atoms
PROP_MODE_REPLACE = 0
SELECTION_OWNER = b"Qt Selection Owner"
LEADER = b"Qt client leader window"  # what Qt itself calls it in its debug builds


class _Cookie(ctypes.Structure):
    _fields_ = [("sequence", ctypes.c_uint)]


class _AtomReply(ctypes.Structure):
    _fields_ = [("response_type", ctypes.c_uint8), ("pad0", ctypes.c_uint8), ("sequence", ctypes.c_uint16),
                ("length", ctypes.c_uint32), ("atom", ctypes.c_uint32)]


class _PropertyReply(ctypes.Structure):
    _fields_ = [("response_type", ctypes.c_uint8), ("format", ctypes.c_uint8), ("sequence", ctypes.c_uint16),
                ("length", ctypes.c_uint32), ("type", ctypes.c_uint32), ("bytes_after", ctypes.c_uint32),
                ("value_len", ctypes.c_uint32), ("pad0", ctypes.c_uint8 * 12)]


class _TreeReply(ctypes.Structure):
    _fields_ = [("response_type", ctypes.c_uint8), ("pad0", ctypes.c_uint8), ("sequence", ctypes.c_uint16),
                ("length", ctypes.c_uint32), ("root", ctypes.c_uint32), ("parent", ctypes.c_uint32),
                ("children_len", ctypes.c_uint16), ("pad1", ctypes.c_uint8 * 14)]


class _Setup(ctypes.Structure):  # the start of xcb_setup_t
    _fields_ = [("status", ctypes.c_uint8), ("pad0", ctypes.c_uint8), ("protocol_major_version", ctypes.c_uint16),
                ("protocol_minor_version", ctypes.c_uint16), ("length", ctypes.c_uint16),
                ("release_number", ctypes.c_uint32), ("resource_id_base", ctypes.c_uint32),
                ("resource_id_mask", ctypes.c_uint32)]


def _signatures(lib) -> None:
    p, u8, u32 = ctypes.c_void_p, ctypes.c_uint8, ctypes.c_uint32
    for name, args, result in (
            ("xcb_get_setup", [p], ctypes.POINTER(_Setup)),
            ("xcb_intern_atom", [p, u8, ctypes.c_uint16, ctypes.c_char_p], _Cookie),
            ("xcb_intern_atom_reply", [p, _Cookie, p], ctypes.POINTER(_AtomReply)),
            ("xcb_query_tree", [p, u32], _Cookie),
            ("xcb_query_tree_reply", [p, _Cookie, p], ctypes.POINTER(_TreeReply)),
            ("xcb_query_tree_children", [ctypes.POINTER(_TreeReply)], ctypes.POINTER(u32)),
            ("xcb_get_property", [p, u8, u32, u32, u32, u32, u32], _Cookie),
            ("xcb_get_property_reply", [p, _Cookie, p], ctypes.POINTER(_PropertyReply)),
            ("xcb_get_property_value", [ctypes.POINTER(_PropertyReply)], p),
            ("xcb_change_property", [p, u8, u32, u32, u32, u8, u32, ctypes.c_char_p], _Cookie),
            ("xcb_flush", [p], ctypes.c_int)):
        fn = getattr(lib, name)
        fn.argtypes, fn.restype = args, result


class _Connection:
    """Qt's xcb connection, with the few requests needed here (each reply freed after use)."""

    def __init__(self, lib, conn: int) -> None:
        self.lib, self.conn = lib, ctypes.c_void_p(conn)
        self.free = ctypes.CDLL(None).free
        self.free.argtypes = [ctypes.c_void_p]

    def atom(self, name: bytes) -> int:
        reply = self.lib.xcb_intern_atom_reply(self.conn, self.lib.xcb_intern_atom(self.conn, 0, len(name), name),
                                               None)
        if not reply:
            return 0
        value = reply.contents.atom
        self.free(reply)
        return value

    def tree(self, window: int) -> tuple[int, list[int]]:
        """(the root window, the children of window)."""
        reply = self.lib.xcb_query_tree_reply(self.conn, self.lib.xcb_query_tree(self.conn, window), None)
        if not reply:
            return 0, []
        children = self.lib.xcb_query_tree_children(reply)
        result = reply.contents.root, [children[i] for i in range(reply.contents.children_len)]
        self.free(reply)
        return result

    def name(self, window: int) -> bytes:
        cookie = self.lib.xcb_get_property(self.conn, 0, window, ATOM_WM_NAME, ANY_TYPE, 0, 256)
        reply = self.lib.xcb_get_property_reply(self.conn, cookie, None)
        if not reply:
            return b""
        value = ctypes.string_at(self.lib.xcb_get_property_value(reply), reply.contents.value_len)
        self.free(reply)
        return value

    def rename(self, window: int, name: bytes) -> None:
        lib, conn = self.lib, self.conn
        lib.xcb_change_property(conn, PROP_MODE_REPLACE, window, ATOM_WM_NAME, ATOM_STRING, 8, len(name), name)
        lib.xcb_change_property(conn, PROP_MODE_REPLACE, window, self.atom(b"_NET_WM_NAME"), self.atom(b"UTF8_STRING"),
                                8, len(name), name)

    def same_client(self, a: int, b: int) -> bool:
        setup = self.lib.xcb_get_setup(self.conn).contents
        return a & ~setup.resource_id_mask == b & ~setup.resource_id_mask


def rename_hidden_windows(window: QWidget) -> list[bytes]:
    """Rename this process's top-level X windows, other than `window`, whose name has the application's
    name in it. Returns their old names (empty off X11, or when libxcb is not found)."""
    app = QApplication.instance()
    if app is None or app.platformName() != "xcb":
        return []
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("xcb") or "libxcb.so.1")
    except OSError:
        return []
    _signatures(lib)
    x = _Connection(lib, int(app.nativeInterface().connection()))
    own, app_name = int(window.winId()), app.applicationName().encode()
    root, _ = x.tree(own)
    renamed = []
    for child in x.tree(root)[1]:
        old = x.name(child) if child != own and x.same_client(child, own) else b""
        if app_name and app_name in old:
            x.rename(child, SELECTION_OWNER if old.startswith(SELECTION_OWNER) else LEADER)
            renamed.append(old)
    lib.xcb_flush(x.conn)
    return renamed
