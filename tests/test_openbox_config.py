"""The openbox configuration shipped for the X11 kiosk session (build_spec/openbox-rc.xml):
nothing a patient presses or clicks reaches the window manager. The real-X proof is in
tests/test_xvfb_session.py; this reads the files, so it runs everywhere."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RC = ROOT / "build_spec" / "openbox-rc.xml"
MENU = ROOT / "build_spec" / "openbox-menu.xml"
NS = {"ob": "http://openbox.org/3.4/rc"}


def test_no_key_or_mouse_binding_and_the_sections_are_present() -> None:
    root = ET.parse(RC).getroot()
    # A missing <keyboard> or <mouse> is not "none": openbox then binds its built-in
    # defaults (Alt+Tab, Alt+F4, click to focus, Alt+drag).
    keyboard, mouse = root.find("ob:keyboard", NS), root.find("ob:mouse", NS)
    assert keyboard is not None and mouse is not None
    assert keyboard.findall(".//ob:keybind", NS) == [] and mouse.findall(".//ob:mousebind", NS) == []
    assert root.findall(".//ob:action", NS) == []  # nothing to execute, no ShowMenu


def test_one_desktop_and_an_empty_menu() -> None:
    root = ET.parse(RC).getroot()
    assert root.findtext("ob:desktops/ob:number", namespaces=NS) == "1"
    assert [f.text for f in root.findall("ob:menu/ob:file", NS)] == ["menu.xml"]
    menu = ET.parse(MENU).getroot()
    assert menu.tag.endswith("openbox_menu") and list(menu) == []


def test_the_kiosk_rule_names_the_kiosk_window_class() -> None:
    root = ET.parse(RC).getroot()
    rule = root.find("ob:applications/ob:application", NS)
    assert rule is not None and rule.get("class") == "tmbb-kiosk"
    # Qt's WM_CLASS class is the application name: what the kiosk's own start-up sets.
    named = subprocess.run([sys.executable, "-c", "from kiosk.ui.first_frame import new_application; "
                            "print(new_application([]).applicationName())"], capture_output=True, text=True,
                           env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, check=True, timeout=60)
    assert named.stdout.strip() == "tmbb-kiosk"
    assert rule.findtext("ob:desktop", namespaces=NS) == "all"
    assert rule.findtext("ob:fullscreen", namespaces=NS) == "yes"


def test_readme_installs_both_files_where_openbox_reads_them() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"openbox-rc\.xml\s+/home/kiosk/\.config/openbox/rc\.xml", readme)
    assert re.search(r"openbox-menu\.xml\s+/home/kiosk/\.config/openbox/menu\.xml", readme)
