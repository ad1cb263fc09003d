"""The content cache (issue 20): a start whose inputs are unchanged reads the validated
library back instead of loading it again; any change to those inputs is a miss, even
one that keeps a file's size and mtime; a damaged cache file is ignored and rewritten;
invalid content is never stored; ``check-content`` never uses the cache."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.core.content import ContentLibrary, cache, load_library, topic_folders
from kiosk.core.content.cache import cache_key, load_library_cached, read_cache, write_cache
from kiosk.core.digest import blake2b, sha256
from kiosk.core.errors import ContentError
from kiosk.core.kiosk_content import load_kiosk_content
from kiosk.core.paths import content_cache_path
from kiosk.core.resources import assets_dir, content_dir
from kiosk.core.settings import Settings, load_settings

VALUES = {"clinic_name": "Sunrise Pain Clinic", "clinic_phone": "555-0142", "emergency_number": "911"}
LANGUAGES = ["en", "es"]


class Inputs:
    """A copy of the shipped content and pictures, loaded through the cache in ``data``."""

    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path / "content"
        self.pictures = tmp_path / "pictures"
        shutil.copytree(content_dir(), self.root)
        shutil.copytree(assets_dir() / "illustrations", self.pictures)
        self.cache_file = tmp_path / "data" / "content-cache.json"
        self.cache_file.parent.mkdir()
        self.values = dict(VALUES)
        self.languages = list(LANGUAGES)

    def load(self) -> ContentLibrary:
        return load_library_cached(self.root, self.languages, self.values, self.pictures, self.cache_file)

    def fresh(self) -> ContentLibrary:
        return load_library(self.root, self.languages, self.values, self.pictures)


@pytest.fixture
def inputs(tmp_path: Path) -> Inputs:
    return Inputs(tmp_path)


@pytest.fixture
def full_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The content folder of every full (uncached) load the cache makes."""
    calls: list[Path] = []

    def counting(root: Path, *arguments: Any) -> ContentLibrary:
        calls.append(root)
        return load_library(root, *arguments)

    monkeypatch.setattr(cache, "load_library", counting)
    return calls


def same_lines(a: ContentLibrary, b: ContentLibrary) -> bool:
    """The fields dataclass equality leaves out (each page's and question's manifest line)."""
    return all([p.line for p in a.packs[lang].pages] == [p.line for p in b.packs[lang].pages]
               and [q.line for q in a.packs[lang].questions] == [q.line for q in b.packs[lang].questions]
               for lang in a.packs)


def rewrite_keeping_size_and_mtime(path: Path, old: bytes, new: bytes) -> None:
    """Replace ``old`` by ``new`` (as long) in ``path``, then put its mtime back: a change
    that size and mtime alone cannot see."""
    assert len(old) == len(new)
    data = path.read_bytes()
    assert old in data, (path, old)
    before = os.stat(path)
    path.write_bytes(data.replace(old, new, 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_a_second_load_is_a_hit_equal_to_a_fresh_load(inputs: Inputs, full_loads: list[Path]) -> None:
    first = inputs.load()
    assert len(full_loads) == 1 and inputs.cache_file.is_file()
    second = inputs.load()
    assert len(full_loads) == 1  # served from the cache
    fresh = inputs.fresh()
    assert second == fresh == first
    assert same_lines(second, fresh)
    assert second.default_language == "en" and list(second.packs) == ["en", "es"]
    assert second.pack("en").page("risks").html == fresh.pack("en").page("risks").html


# Each change: (what it does to the inputs, what a load must then show). Every file edit
# keeps the file's size and mtime.
def edit_page(inputs: Inputs) -> Callable[[ContentLibrary], bool]:
    rewrite_keeping_size_and_mtime(inputs.root / "thoracic-mbb" / "en" / "risks.md", b"Every procedure", b"EVERY procedure")
    return lambda library: "EVERY procedure" in library.pack("en").page("risks").html


def edit_manifest(inputs: Inputs) -> Callable[[ContentLibrary], bool]:
    rewrite_keeping_size_and_mtime(inputs.root / "thoracic-mbb" / "en" / "pack.toml", b'title = "X-ray guidance"', b'title = "X-RAY guidance"')
    return lambda library: library.pack("en").page("imaging").title == "X-RAY guidance"


def edit_picture(inputs: Inputs) -> Callable[[ContentLibrary], bool]:
    # Still the same size, but no longer a drawing: the loader must refuse it now.
    rewrite_keeping_size_and_mtime(inputs.pictures / "stage-imaging.svg", b"<svg", b"<div")
    return lambda library: False  # (a load must raise)


def edit_motion(inputs: Inputs) -> Callable[[ContentLibrary], bool]:
    rewrite_keeping_size_and_mtime(inputs.pictures / "stage-imaging.motion.toml", b"seconds = 4", b"seconds = 5")
    return lambda library: library.pack("es").page("imaging").illustration.motion.beats[0].seconds == 5  # type: ignore[union-attr]


def edit_interface_words(inputs: Inputs) -> Callable[[ContentLibrary], bool]:
    rewrite_keeping_size_and_mtime(inputs.root / "interface" / "en.toml", b'next = "Next"', b'next = "NEXT"')
    return lambda library: library.pack("en").ui["next"] == "NEXT"


def change_diary_schedule(inputs: Inputs) -> Callable[[ContentLibrary], bool]:
    # The config's diary_schedule and diary_daily_days become the {{diary_plan}} on a page.
    before = inputs.fresh().pack("en").page("after").html
    inputs.values.update(Settings(diary_schedule=("0:30", "2:00"), diary_daily_days=2).placeholder_values())
    for key in ("clinic_name", "clinic_phone", "emergency_number"):
        inputs.values[key] = VALUES[key]
    return lambda library: library.pack("en").page("after").html != before


def change_placeholder(inputs: Inputs) -> Callable[[ContentLibrary], bool]:
    inputs.values["clinic_phone"] = "555-0199"
    return lambda library: any("555-0199" in p.html for p in library.pack("en").pages)


def change_languages(inputs: Inputs) -> Callable[[ContentLibrary], bool]:
    inputs.languages = ["es", "en"]
    return lambda library: library.default_language == "es"


def add_clinic_picture(inputs: Inputs) -> Callable[[ContentLibrary], bool]:
    # The clinic's own picture of the same name comes before the bundled one.
    (inputs.root / "illustrations").mkdir()
    shutil.copy2(inputs.pictures / "stage-imaging.svg", inputs.root / "illustrations" / "stage-imaging.svg")
    return lambda library: library.pack("en").page("imaging").illustration.path.parent == inputs.root / "illustrations"  # type: ignore[union-attr]


def remove_picture(inputs: Inputs) -> Callable[[ContentLibrary], bool]:
    (inputs.pictures / "stage-imaging.svg").unlink()
    return lambda library: False


def add_unused_file(inputs: Inputs) -> Callable[[ContentLibrary], bool]:
    # Not used by any page: the library is the same, but the cache cannot know that.
    (inputs.root / "thoracic-mbb" / "en" / "draft.md").write_text("A draft.\n", encoding="utf-8")
    return lambda library: True


def link_page(inputs: Inputs) -> Callable[[ContentLibrary], bool]:
    # The same bytes, but through a symbolic link: the loader refuses links.
    page = inputs.root / "thoracic-mbb" / "en" / "risks.md"
    outside = inputs.root.parent / "risks-elsewhere.md"
    shutil.copy2(page, outside)
    page.unlink()
    page.symlink_to(outside)
    return lambda library: False


CHANGES = [edit_page, edit_manifest, edit_picture, edit_motion, edit_interface_words, change_diary_schedule,
           change_placeholder, change_languages, add_clinic_picture, remove_picture, add_unused_file, link_page]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__ for c in CHANGES])
def test_a_change_is_never_served_stale(inputs: Inputs, full_loads: list[Path], change: Callable[[Inputs], Callable[[ContentLibrary], bool]]) -> None:
    inputs.load()
    inputs.load()
    assert len(full_loads) == 1  # the cache was in use before the change
    shows_change = change(inputs)
    try:
        expected: ContentLibrary | None = inputs.fresh()
    except ContentError:
        expected = None
    if expected is None:
        with pytest.raises(ContentError):
            inputs.load()
        return
    library = inputs.load()
    assert len(full_loads) == 2
    assert library == expected and shows_change(library)
    assert inputs.load() == expected and len(full_loads) == 2  # and the new library is cached in turn


def test_invalid_content_is_never_cached(inputs: Inputs) -> None:
    (inputs.root / "thoracic-mbb" / "en" / "risks.md").write_text("<b>raw HTML</b>\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ContentError):
            inputs.load()
    assert not inputs.cache_file.exists()


def test_content_that_changes_while_it_loads_is_not_stored(inputs: Inputs, monkeypatch: pytest.MonkeyPatch) -> None:
    def load_then_edit(root: Path, *arguments: Any) -> ContentLibrary:
        library = load_library(root, *arguments)
        (root / "thoracic-mbb" / "en" / "risks.md").write_text("Edited while it loaded.\n\n{{warning_signs}}\n", encoding="utf-8")
        return library

    monkeypatch.setattr(cache, "load_library", load_then_edit)
    inputs.load()
    assert not inputs.cache_file.exists()


def test_a_store_left_for_later_writes_only_when_run_and_only_unchanged_content(inputs: Inputs) -> None:
    """``store_later`` gets the write instead of it being done before the load returns (the
    kiosk runs it after its first paint); content edited before it runs is not stored."""
    stores: list[Callable[[], bool]] = []
    library = load_library_cached(inputs.root, inputs.languages, inputs.values, inputs.pictures, inputs.cache_file,
                                  store_later=stores.append)
    assert len(stores) == 1 and not inputs.cache_file.exists()
    assert stores[0]() and inputs.load() == library == inputs.fresh()
    inputs.cache_file.unlink()
    stores.clear()
    load_library_cached(inputs.root, inputs.languages, inputs.values, inputs.pictures, inputs.cache_file, store_later=stores.append)
    (inputs.root / "thoracic-mbb" / "en" / "risks.md").write_text("Edited after it loaded.\n\n{{warning_signs}}\n", encoding="utf-8")
    assert not stores[0]() and not inputs.cache_file.exists()
    stores.clear()
    edited = load_library_cached(inputs.root, inputs.languages, inputs.values, inputs.pictures, inputs.cache_file,
                                 store_later=stores.append)
    assert stores.pop()() and inputs.load() == edited
    load_library_cached(inputs.root, inputs.languages, inputs.values, inputs.pictures, inputs.cache_file, store_later=stores.append)
    assert stores == []  # (a hit has nothing to store)


def corrupt_truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def corrupt_flipped_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-100] ^= 0x01  # inside the payload: still JSON, but not what was stored
    path.write_bytes(bytes(data))


def corrupt_garbage(path: Path) -> None:
    path.write_bytes(os.urandom(5000))


def corrupt_empty(path: Path) -> None:
    path.write_bytes(b"")


def corrupt_foreign_json(path: Path) -> None:
    path.write_text(json.dumps({"something": "else"}), encoding="utf-8")


def corrupt_wrong_shape(path: Path) -> None:
    # Our header and a checksum that matches, over a payload of the wrong shape.
    header = json.loads(path.read_bytes().partition(b"\n")[0])
    payload = json.dumps({"default_language": "en", "packs": [{"language": 1}]}).encode()
    header["sha256"] = hashlib.sha256(payload).hexdigest()
    path.write_bytes(json.dumps(header).encode() + b"\n" + payload)


def corrupt_pickle(path: Path) -> None:
    path.write_bytes(b"\x80\x04\x95" + b"\x00" * 100)


def corrupt_deeply_nested(path: Path) -> None:
    path.write_bytes(b"[" * 200_000)  # json recurses once per level


CORRUPTIONS = [corrupt_truncated, corrupt_flipped_byte, corrupt_garbage, corrupt_empty, corrupt_foreign_json,
               corrupt_wrong_shape, corrupt_pickle, corrupt_deeply_nested]


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=[c.__name__ for c in CORRUPTIONS])
def test_a_damaged_cache_is_ignored_and_rewritten(inputs: Inputs, full_loads: list[Path], corrupt: Callable[[Path], None]) -> None:
    inputs.load()
    corrupt(inputs.cache_file)
    assert inputs.load() == inputs.fresh()
    assert len(full_loads) == 2  # a full load, not the damaged file
    key = cache_key(inputs.root, inputs.languages, inputs.values, inputs.pictures)
    assert read_cache(inputs.cache_file, key) == inputs.fresh()  # rewritten
    inputs.load()
    assert len(full_loads) == 2


def test_a_cache_under_another_key_is_a_miss(inputs: Inputs) -> None:
    library = inputs.load()
    assert read_cache(inputs.cache_file, "0" * 64) is None
    assert read_cache(inputs.cache_file, cache_key(inputs.root, inputs.languages, inputs.values, inputs.pictures)) == library


@pytest.mark.parametrize("blocked", ["file-in-the-way", "folder-in-the-way"])
def test_a_data_folder_that_cannot_be_written_means_no_cache(inputs: Inputs, full_loads: list[Path], blocked: str) -> None:
    if blocked == "file-in-the-way":
        inputs.cache_file = inputs.cache_file.parent / "not-a-folder" / "content-cache.json"
        inputs.cache_file.parent.write_text("a file where the data folder should be", encoding="utf-8")
    else:
        inputs.cache_file.mkdir()  # the cache file's name is taken by a folder
    for _ in range(2):
        assert inputs.load() == inputs.fresh()
    assert len(full_loads) == 2
    assert not inputs.cache_file.is_file()


def test_write_cache_says_when_it_could_not(inputs: Inputs) -> None:
    library = inputs.fresh()
    assert not write_cache(inputs.cache_file.parent / "missing" / "cache.json", "k", library)
    assert write_cache(inputs.cache_file, "k", library)


# --------------------------------------------------------------------------- as the kiosk and IT run it

HIT_PROBE = """
import sys
from typing import Any
from pathlib import Path
from kiosk.core.settings import Settings, load_settings
from kiosk.ui.app import load_content
library = load_content(load_settings(Path(sys.argv[1])), Path(sys.argv[2]))
WATCHED = ("markdown", "nh3", "textstat", "importlib.metadata", "tomli", "kiosk.core.content.loader", "kiosk.core.content.manifest")
print(" ".join(sorted(name for name in WATCHED if name in sys.modules)) or "-")
"""

CONFIG = 'clinic_name = "Sunrise Pain Clinic"\nclinic_phone = "555-0142"\nlanguages = ["en", "es"]\n'


def kiosk_env(data: Path) -> dict[str, str]:
    return dict(os.environ, KIOSK_DATA_DIR=str(data))


def test_a_hit_imports_neither_markdown_nor_nh3_nor_textstat(inputs: Inputs, tmp_path: Path) -> None:
    """A miss renders with markdown and nh3, without reading every installed package's entry
    points (importlib.metadata: python-markdown does, for an extension given by name, ~50 ms).
    A hit does not even import the loader, its TOML readers or the TOML parser."""
    config = tmp_path / "kiosk.toml"
    config.write_text(CONFIG, encoding="utf-8")
    data = tmp_path / "kiosk-data"

    def start() -> str:
        result = subprocess.run([sys.executable, "-c", HIT_PROBE, str(config), str(inputs.root)], env=kiosk_env(data),
                                capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    miss = "kiosk.core.content.loader kiosk.core.content.manifest markdown nh3 tomli"
    assert start() == miss  # the first start reads and renders the pages
    assert (data / "content-cache.json").is_file()
    assert start() == "-"  # a hit renders nothing
    (data / "content-cache.json").unlink()
    assert start() == miss


OPENSSL_PROBE = """
import sys
from pathlib import Path
from kiosk.core.settings import load_settings
from kiosk.ui.app import load_content
import kiosk.__main__
from kiosk.ui.first_frame import frame_key
settings = load_settings(Path(sys.argv[1]))
load_content(settings, Path(sys.argv[2]))
frame_key(settings, Path(sys.argv[2]))
print(" ".join(sorted(name for name in ("_hashlib", "_ssl") if name in sys.modules)) or "-")
"""


def test_starting_loads_no_openssl(inputs: Inputs, tmp_path: Path) -> None:
    """The content cache's and the start-up picture's hashes come from CPython's own modules:
    importing ``hashlib`` maps OpenSSL's libcrypto, ~3.6 MB resident, for a few hundred KB
    hashed at start-up. Neither a first start (the cache written) nor a later one (read)
    loads it; the hashes are the same SHA-256 and BLAKE2b."""
    config = tmp_path / "kiosk.toml"
    config.write_text(CONFIG, encoding="utf-8")
    data = tmp_path / "kiosk-data"
    for _ in ("a miss", "a hit"):
        result = subprocess.run([sys.executable, "-c", OPENSSL_PROBE, str(config), str(inputs.root)], env=kiosk_env(data),
                                capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "-"
    assert (data / "content-cache.json").is_file()
    assert sha256(b"kiosk").hexdigest() == hashlib.sha256(b"kiosk").hexdigest()
    assert blake2b(b"kiosk", digest_size=16).hexdigest() == hashlib.blake2b(b"kiosk", digest_size=16).hexdigest()


def test_check_content_never_uses_the_cache(inputs: Inputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache that matches the inputs exactly (planted here for broken content) is
    served to the kiosk, yet check-content still finds the fault."""
    config = tmp_path / "kiosk.toml"
    config.write_text(CONFIG, encoding="utf-8")
    data = tmp_path / "kiosk-data"
    data.mkdir()
    monkeypatch.setenv("KIOSK_DATA_DIR", str(data))
    settings = load_settings(config)
    good = load_kiosk_content(settings, inputs.root)
    (inputs.root / "thoracic-mbb" / "en" / "risks.md").write_text("<b>raw HTML</b>\n\n{{warning_signs}}\n", encoding="utf-8")
    topics = topic_folders(inputs.root)  # every shipped topic (thoracic-mbb, thoracic-rfa): no config names them
    key = cache_key(inputs.root, LANGUAGES, settings.placeholder_values(), assets_dir() / "illustrations",
                    topics, offered=topics)  # as load_kiosk_content asks
    assert write_cache(content_cache_path(), key, good)
    assert load_kiosk_content(settings, inputs.root, cache=content_cache_path()) == good  # the plant is served
    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "check-content", str(inputs.root)],
                            env=kiosk_env(data), capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1, result.stdout
    assert f"{inputs.root / 'thoracic-mbb' / 'en' / 'risks.md'}:1: raw HTML is not allowed" in result.stdout


def test_the_first_start_paints_the_welcome_screen_before_the_cache_is_written(qtbot, monkeypatch: pytest.MonkeyPatch,
                                                                               tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """``kiosk`` with an empty data folder: the welcome screen is painted first; the cache
    is written afterwards, on a worker thread (the GUI thread never waits for the disk),
    and is then served to the next start."""
    import threading

    from PySide6.QtCore import QEvent, QObject, QTimer

    import kiosk.ui.app as appmod

    settings = load_settings(None)
    seen: dict[str, object] = {"painted": False}
    real_write = cache.write_cache

    def watched_write(*arguments: Any) -> bool:
        seen["painted_before_write"] = seen["painted"]
        seen["worker_thread"] = threading.current_thread() is not threading.main_thread()
        return real_write(*arguments)

    class Paints(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                seen["painted"] = True
            return False

    real_build = appmod.build_kiosk
    built: list[appmod.Kiosk] = []

    def build(*arguments: Any, **options: Any) -> appmod.Kiosk:
        kiosk = real_build(*arguments, **options)
        kiosk.window.installEventFilter(paints)
        built.append(kiosk)
        return kiosk

    def stop_once_written() -> None:
        if content_cache_path().is_file() and "worker_thread" in seen:
            built[0].window.allow_close()
            built[0].app.exit(0)

    paints = Paints()
    monkeypatch.setattr(cache, "write_cache", watched_write)
    monkeypatch.setattr(appmod, "build_kiosk", build)
    monkeypatch.setattr(appmod, "install_crash_guard", lambda kiosk: None)  # (it would outlive the test)
    assert not content_cache_path().exists()
    poll = QTimer()
    poll.timeout.connect(stop_once_written)
    poll.start(10)
    give_up = QTimer()  # never hang the suite (stopped after: an exit() outside the loop ends every later wait at once)
    give_up.setSingleShot(True)
    give_up.timeout.connect(lambda: built[0].app.exit(5))
    give_up.start(60_000)
    try:
        assert appmod.run(settings, None, windowed=True) == 0
    finally:
        poll.stop()
        give_up.stop()
    assert seen["painted_before_write"] is True and seen["worker_thread"] is True
    key = cache_key(content_dir(), LANGUAGES, settings.placeholder_values(), assets_dir() / "illustrations",
                    topic_folders(content_dir()), offered=topic_folders(content_dir()))
    assert read_cache(content_cache_path(), key) == load_kiosk_content(settings, content_dir())
