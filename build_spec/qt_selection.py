"""Which Qt plugins and files the frozen kiosk keeps; shared by kiosk.spec and hooks/.

PyInstaller's Qt hooks collect every plugin of every Qt library a module links (all
platform themes, image formats, multimedia back ends...) and then bundle whatever
system libraries those plugins need (GTK for the gtk3 theme, FFmpeg for multimedia).
Dropping plugins after the analysis would leave those libraries behind, so the hooks
in hooks/ filter the plugin list before PyInstaller follows its dependencies.
"""

from __future__ import annotations

import os

# plugin folder -> plugin base names (without "lib" prefix and extension) to keep.
KEEP_PLUGINS: dict[str, set[str]] = {
    # xcb: an X11 kiosk session; wayland: cage; offscreen: --self-test; windows: Windows.
    "platforms": {"qxcb", "qoffscreen", "qwayland", "qwayland-generic", "qwindows"},
    # The wayland platform needs a shell integration; xdg-shell is what cage, sway and
    # GNOME speak. Raster widgets need no graphics integration (shm is built in).
    "wayland-shell-integration": {"xdg-shell"},
    "imageformats": {"qsvg"},
    # speechd (Linux, needs the system's libspeechd2), sapi and winrt (Windows), mock (tests).
    "texttospeech": {"qtexttospeech_mock", "qtexttospeech_speechd", "qtexttospeech_sapi", "qtexttospeech_winrt"},
    "printsupport": {"cupsprintersupport"},
    # Windows: Qt 6's default Windows style is a plugin; without it Qt falls back to Fusion.
    "styles": {"qmodernwindowsstyle"},
}

# Libraries a kept plugin links that must come from the clinic machine, never the bundle:
# the speechd plugin talks to the system's speech-dispatcher through its client library
# (Debian: libspeechd2, pulled in by speech-dispatcher), which should match that daemon.
# Without it the plugin does not load and the kiosk runs without read-aloud.
SYSTEM_PROVIDED = {"libspeechd.so.2"}

# Windows: PyInstaller's PySide6 hook adds Mesa's software OpenGL (opengl32sw.dll, about
# 20 MB) for machines without a GL driver. The kiosk's widgets paint without OpenGL.
WINDOWS_GL_EXTRAS = {"opengl32sw.dll"}

# Hyphenation dictionaries textstat needs: kiosk/core/readability.py scores English and Spanish.
PYPHEN_KEEP = ("hyph_en_", "hyph_es", "README_hyph_en_", "README_hyph_es")


def plugin_name(filename: str) -> str:
    """``libqxcb.so`` -> ``qxcb``; ``qwindows.dll`` -> ``qwindows``."""
    stem = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].split(".")[0]
    return stem.removeprefix("lib")


def keep_plugin(plugin_type: str, filename: str) -> bool:
    return plugin_name(filename) in KEEP_PLUGINS.get(plugin_type, set())


def wanted(dest: str) -> bool:
    """False for a collected file (destination path in the bundle) the kiosk never loads."""
    parts = dest.replace("\\", "/").split("/")
    if parts[0] == "PySide6":
        if "plugins" in parts[:3] and len(parts) >= parts.index("plugins") + 3:
            at = parts.index("plugins")
            return keep_plugin(parts[at + 1], parts[-1])
        if "translations" in parts[:3]:
            return False  # the kiosk's own text is in content/; no Qt dialog is ever shown
    if len(parts) == 1 and parts[0] in SYSTEM_PROVIDED:
        return False
    if parts[-1].lower() in WINDOWS_GL_EXTRAS:
        return False
    if parts[0] == "pyphen" and len(parts) == 3 and parts[1] == "dictionaries":
        return parts[2].startswith(PYPHEN_KEEP)
    return True


def filtered(hook_result: tuple[list, list, list]) -> tuple[list, list, list]:
    """A Qt hook's (hiddenimports, binaries, datas) without the unwanted plugins and translations."""
    hiddenimports, binaries, datas = hook_result
    binaries = [(src, dst) for src, dst in binaries if wanted(f"{dst}/{os.path.basename(src)}")]
    datas = [(src, dst) for src, dst in datas if wanted(f"{dst}/{os.path.basename(src)}")]
    return hiddenimports, binaries, datas
