"""Real Syncthing instances for the clinic-group test: throw-away homes and keys, everything
on 127.0.0.1, nothing announced, relayed or reported, each process stopped at the end."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

START_TIMEOUT = 30.0

# Options for an isolated LAN-only node (README, "Several kiosks", the same set).
OPTIONS = {
    "globalAnnounceEnabled": "false", "localAnnounceEnabled": "false", "relaysEnabled": "false",
    "natEnabled": "false", "startBrowser": "false", "urAccepted": "-1", "autoUpgradeIntervalH": "0",
    "crashReportingEnabled": "false", "reconnectionIntervalS": "5", "setLowPriority": "false",
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def syncthing_binary() -> str | None:
    return shutil.which("syncthing")


class SyncthingNode:
    """One Syncthing instance with its own home under ``home``."""

    def __init__(self, binary: str, home: Path, name: str) -> None:
        self.binary, self.home, self.name = binary, Path(home), name
        self.gui_port, self.listen_port = free_port(), free_port()
        self.api_key = os.urandom(16).hex()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = self.home / "syncthing.log"
        self.env = {**os.environ, "STNODEFAULTFOLDER": "1", "STNOUPGRADE": "1", "STNORESTART": "1", "HOME": str(self.home)}
        out = subprocess.run([binary, "generate", f"--home={self.home}", "--no-default-folder"], env=self.env,
                             capture_output=True, text=True, timeout=60, check=True)
        self.device_id = next(line.split("Device ID:")[1].strip() for line in (out.stdout + out.stderr).splitlines()
                              if "Device ID:" in line)
        self._configure()

    def _configure(self) -> None:
        """Before the first start: GUI/REST and listening on 127.0.0.1 only, discovery, relays,
        NAT, upgrades and usage reporting off."""
        path = self.home / "config.xml"
        tree = ET.parse(path)
        gui = tree.getroot().find("gui")
        options = tree.getroot().find("options")
        assert gui is not None and options is not None
        for tag, value in (("address", f"127.0.0.1:{self.gui_port}"), ("apikey", self.api_key)):
            element = gui.find(tag)
            assert element is not None
            element.text = value
        values = {**OPTIONS, "listenAddress": f"tcp://127.0.0.1:{self.listen_port}"}
        for tag, value in values.items():
            element = options.find(tag)
            if element is None:
                element = ET.SubElement(options, tag)
            element.text = value
        tree.write(path)

    def start(self) -> None:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [self.binary, "serve", f"--home={self.home}", "--no-browser", "--no-restart", "--no-upgrade"],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"syncthing ({self.name}) exited at start:\n{self.log.read_text(errors='replace')[-3000:]}")
            with contextlib.suppress(OSError, ValueError):
                if self.rest("GET", "/rest/system/ping").get("ping") == "pong":
                    return
            time.sleep(0.1)  # (a separate process coming up: nothing to wait on but its port)
        raise TimeoutError(f"syncthing ({self.name}) did not answer within {START_TIMEOUT:.0f} s")

    def rest(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(f"http://127.0.0.1:{self.gui_port}{path}", data=data, method=method,
                                         headers={"X-API-Key": self.api_key, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode("utf-8")
        return json.loads(text) if text.strip() else {}

    def approve(self, other: SyncthingNode) -> None:
        """Before the start: approve ``other`` once, at its static address (no discovery), as
        README's config.xml snippet does. (Added through the REST API instead, a device is
        first dialled up to 20 s later.)"""
        path = self.home / "config.xml"
        tree = ET.parse(path)
        device = ET.SubElement(tree.getroot(), "device", {"id": other.device_id, "name": other.name, "compression": "metadata",
                                                          "introducer": "false"})
        ET.SubElement(device, "address").text = f"tcp://127.0.0.1:{other.listen_port}"
        ET.SubElement(device, "autoAcceptFolders").text = "false"
        tree.write(path)

    def add_folder(self, folder_id: str, path: Path, kind: str, *others: SyncthingNode, watcher_delay_s: int = 1,
                   rescan_s: int = 2) -> None:
        """Share ``path`` as ``folder_id``: "sendonly" or "receiveonly"; rescans every
        ``rescan_s`` and on every change the file-system watcher sees (after ``watcher_delay_s``)."""
        path.mkdir(parents=True, exist_ok=True)
        (path / ".stfolder").mkdir(exist_ok=True)
        self.rest("POST", "/rest/config/folders", {
            "id": folder_id, "label": folder_id, "path": str(path), "type": kind, "rescanIntervalS": rescan_s,
            "fsWatcherEnabled": True, "fsWatcherDelayS": watcher_delay_s,
            "devices": [{"deviceID": self.device_id}] + [{"deviceID": other.device_id} for other in others]})

    def connected(self, other: SyncthingNode) -> bool:
        with contextlib.suppress(OSError, ValueError):
            return bool(self.rest("GET", "/rest/system/connections")["connections"].get(other.device_id, {}).get("connected"))
        return False

    def stop(self) -> None:
        """Ask it to shut down; kill its process group if it has not within 10 s."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(OSError, ValueError):
            self.rest("POST", "/rest/system/shutdown")
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
