"""A validated content library kept between starts (issue 20).

Every start used to parse the TOML, render and sanitise the Markdown of every pack
(and import python-markdown and nh3 to do it). A library that loaded without a single
problem is stored in the data folder, under a key that hashes everything its loading
depended on; a start whose inputs hash to the same key reads it back instead.

The key covers: every file the loader could read (the content folder's own listing,
each topic folder and its language folders, the interface words (the content folder's
``interface/`` and the bundled one), the clinic's ``illustrations/`` and the bundled
pictures: every entry's name and kind, a symbolic link's target, each regular file's
bytes), where those folders really are, the placeholder values, the languages and topics
in order, the app's version, the loader's own source
and the Markdown libraries it uses, and the Python version. File bytes are hashed, not
trusted to size and mtime: an edit that keeps both (or a copy with ``cp -p``) still
changes the key. Only files too large for the loader to accept are keyed by size,
mtime and inode: such a file is either unused or makes the content invalid, and invalid
content is never stored.

The kiosk stores a library after its first paint, on a worker thread (``store_later``):
the first start does not wait for the files to be hashed again and the file written.

The file holds content only, never patient data: plain JSON (never pickle, so a file
someone else wrote cannot run code), behind a header with a checksum. A missing,
corrupt, truncated or foreign file is a miss, and is rewritten after the full load.
``kiosk check-content`` never uses this: it always validates in full.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import kiosk
from kiosk.core.atomic import write_atomic
from kiosk.core.content.cache_data import library_from_data, library_to_data
from kiosk.core.content.kinds import PAGE_KINDS
from kiosk.core.content.model import (
    CLINIC_PICTURES,
    INTERFACE,
    MAX_MANIFEST_BYTES,
    MAX_PICTURE_BYTES,
    ContentLibrary,
)
from kiosk.core.content.topics import bundled_interface, topic_folders
from kiosk.core.content_files import ContentFileError, read_bounded
from kiosk.core.digest import sha256
from kiosk.core.markdown_limits import MAX_PAGE_BYTES

MAGIC = "tmbb-kiosk content cache"
# Bump when the stored form changes (the source hash below catches the loader's own changes).
FORMAT = 4  # 2: topics, the topic cards and the link warnings; 3: the check of understanding; 4: stage pictures that move
# A file larger than this is refused by the loader whatever it is (every read is bounded
# by one of these limits), so its bytes cannot change a library that loads.
_HASHED_BYTES = max(MAX_MANIFEST_BYTES, MAX_PAGE_BYTES, MAX_PICTURE_BYTES)
_MAX_CACHE_BYTES = 50_000_000
_CORE = Path(__file__).resolve().parent.parent  # kiosk/core
# The code whose behaviour decides what a load gives.
_LOADER_SOURCES = (*sorted(Path(__file__).resolve().parent.glob("*.py")),
                   _CORE / "render.py", _CORE / "markdown_limits.py", _CORE / "content_files.py", _CORE / "errors.py",
                   _CORE / "diary.py")  # (it writes the {{diary_plan}} text into a page)
_LIBRARIES = ("markdown", "nh3", "tomli")


def load_library(*args: Any, **kwargs: Any) -> ContentLibrary:
    """:func:`kiosk.core.content.loader.load_library`, imported on a miss: a start served
    from the cache does not import the loader, its TOML readers or the TOML parser."""
    from kiosk.core.content import loader

    return loader.load_library(*args, **kwargs)


def load_library_cached(content_root: Path, languages: list[str], values: dict[str, str], illustrations_dir: Path,
                        cache_file: Path, topics: list[str] | None = None, default_topic: str | None = None,
                        interface_dir: Path | None = None, offered: list[str] | None = None,
                        store_later: Callable[[Callable[[], bool]], object] | None = None) -> ContentLibrary:
    """:func:`~kiosk.core.content.loader.load_library`, served from ``cache_file`` when that
    holds the library of exactly these inputs. After a full load that found no problem
    the library is stored there (best effort: a data folder that cannot be written just
    means no cache). Raises ContentError like ``load_library``; a failed load stores nothing.

    ``store_later``: given the store (a callable, True when it wrote the file) instead of
    it being run here, to run it later on any thread: the kiosk's first start shows the
    welcome screen first (hashing the files again and writing cost ~10 ms, and an fsync
    on a slow card far more). The file is written atomically and checked when read, so a
    store cut short by a crash or a power cut is never served."""
    inputs = (content_root, languages, values, illustrations_dir, topics, default_topic, interface_dir, offered)
    key = cache_key(*inputs)
    cached = read_cache(cache_file, key)
    if cached is not None:
        return cached
    library = load_library(*inputs)

    def store() -> bool:
        # Stored only when the files did not change since they were read: otherwise this
        # library could be stored under the key of files it was not made from.
        return cache_key(*inputs) == key and write_cache(cache_file, key, library)

    if store_later is None:
        store()
    else:
        store_later(store)
    return library


# --------------------------------------------------------------------------- the key


def cache_key(content_root: Path, languages: list[str], values: dict[str, str], illustrations_dir: Path,
              topics: list[str] | None = None, default_topic: str | None = None, interface_dir: Path | None = None,
              offered: list[str] | None = None) -> str:
    """A hash of everything :func:`load_library` would depend on, given these arguments."""
    content_root = Path(content_root)
    chosen = topic_folders(content_root) if topics is None else list(topics)
    fallback = interface_dir or bundled_interface()
    folders = [content_root, content_root / INTERFACE, fallback]  # (the root's listing: its topics, an old layout)
    for topic in chosen:
        folders += [content_root / topic] + [content_root / topic / language for language in languages]
    folders += [content_root / CLINIC_PICTURES, Path(illustrations_dir)]
    material = {
        "magic": MAGIC, "format": FORMAT, "app": kiosk.__version__, "python": sys.version,
        "code": code_fingerprint(), "root": str(content_root), "languages": list(languages),
        "topics": [topics, default_topic, str(fallback), offered],
        "values": sorted(values.items()), "illustrations": str(illustrations_dir),
        "folders": [_folder_fingerprint(folder) for folder in folders],
        # Page kinds registered at run time (a plug-in) decide what loads too.
        "kinds": sorted(repr(kind) for kind in PAGE_KINDS.values()),
    }
    return sha256(json.dumps(material, sort_keys=True).encode("utf-8")).hexdigest()


def code_fingerprint() -> str:
    """The loader's source and the Markdown libraries' files: a changed loader (in a
    checkout, without a new version number) or an upgraded library changes the key.
    A frozen build has no source files: there the executable itself is the code."""
    digest = sha256()
    for path in _LOADER_SOURCES:
        digest.update(path.name.encode("utf-8") + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\1missing")
    for name in _LIBRARIES:
        spec = find_spec(name)  # finds the module without importing it
        digest.update(f"\0{name}={_stat_text(spec.origin if spec else None)}".encode())
    if getattr(sys, "frozen", False):
        digest.update(f"\0frozen={_stat_text(sys.executable)}".encode())
    return digest.hexdigest()


def _stat_text(path: str | None) -> str:
    if path is None:
        return "none"
    try:
        info = os.stat(path)
    except OSError:
        return f"{path}:missing"
    return f"{path}:{info.st_size}:{info.st_mtime_ns}"


def _folder_fingerprint(folder: Path) -> list[object]:
    """The folder's kind and real path, and each entry: name, kind, and a regular file's bytes."""
    kind = _kind(folder)
    entries: list[object] = []
    try:
        listing = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        return [str(folder), kind, f"unlistable:{exc.errno}"]
    for entry in listing:
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError as exc:
            entries.append([entry.name, f"unreadable:{exc.errno}"])
            continue
        if stat.S_ISLNK(info.st_mode):
            entries.append([entry.name, "link", _readlink(entry.path)])
        elif stat.S_ISDIR(info.st_mode):
            entries.append([entry.name, "folder"])
        elif not stat.S_ISREG(info.st_mode):
            entries.append([entry.name, "other", info.st_mode])
        else:
            entries.append([entry.name, "file", _file_digest(Path(entry.path), info)])
    return [str(folder), kind, os.path.realpath(folder), entries]


def _kind(path: Path) -> str:
    try:
        info = os.lstat(path)
    except OSError:
        return "missing"
    if stat.S_ISLNK(info.st_mode):
        return "link:" + _readlink(str(path))
    return "folder" if stat.S_ISDIR(info.st_mode) else f"other:{info.st_mode}"


def _readlink(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def _file_digest(path: Path, info: os.stat_result) -> str:
    if info.st_size > _HASHED_BYTES:
        return f"large:{info.st_size}:{info.st_mtime_ns}:{info.st_ino}"
    try:
        data = read_bounded(path, _HASHED_BYTES)
    except ContentFileError as exc:
        return f"unreadable:{exc}"
    return sha256(data).hexdigest()


# --------------------------------------------------------------------------- the file


def read_cache(cache_file: Path, key: str) -> ContentLibrary | None:
    """The library stored in ``cache_file`` under ``key``, or None: no file, another key,
    or a file that is damaged or not ours."""
    try:
        data = read_bounded(Path(cache_file), _MAX_CACHE_BYTES)
    except ContentFileError:
        return None
    header, _, payload = data.partition(b"\n")
    try:
        head = json.loads(header)
        if not (isinstance(head, dict) and head.get("magic") == MAGIC and head.get("format") == FORMAT
                and head.get("key") == key and head.get("sha256") == sha256(payload).hexdigest()):
            return None
        return library_from_data(json.loads(payload))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):  # (UnicodeDecodeError is a ValueError)
        return None


def write_cache(cache_file: Path, key: str, library: ContentLibrary) -> bool:
    """Store ``library`` under ``key``, atomically; False when the data folder cannot take it."""
    payload = json.dumps(library_to_data(library), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = json.dumps({"magic": MAGIC, "format": FORMAT, "key": key, "sha256": sha256(payload).hexdigest()})
    try:
        write_atomic(Path(cache_file), header.encode("utf-8") + b"\n" + payload, create_folder=False, private=True)
    except OSError:
        return False
    return True
