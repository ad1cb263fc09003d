"""Ask the kiosk's own Syncthing whether a synced folder is complete (``syncthing_config``).

From outside, a folder that stopped changing looks settled even when Syncthing's link
dropped between two files (no temporary file is left behind then): some files are new,
some old. Only Syncthing knows it still needs files. Its config file (``config.xml``)
says where its REST API listens, the API key, and which shared folder holds a path; its
``GET /rest/db/status?folder=ID`` says whether that folder is complete: ``state`` is
``"idle"`` and ``needTotalItems`` is 0. Anything else, or no answer, is "not complete":
a kiosk never loads a folder Syncthing cannot vouch for, and keeps its last good content.
"""

from __future__ import annotations

import http.client
import json
import os
import ssl
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TIMEOUT_SECONDS = 2.0  # Syncthing runs on this machine: it answers in milliseconds or not at all
MAX_CONFIG_BYTES = 5_000_000
MAX_ANSWER_BYTES = 100_000


class SyncthingError(Exception):
    """Syncthing cannot be asked, or gave an answer that does not say the folder is complete."""


@dataclass(frozen=True)
class SyncthingApi:
    """Where this machine's Syncthing answers, and the shared folders it has (id, path)."""

    url: str  # like "http://127.0.0.1:8384"
    api_key: str
    folders: tuple[tuple[str, str], ...]
    tls: bool = False


def _local_url(address: str, tls: bool) -> str:
    """The GUI ``address`` as a URL on this machine (an address on every interface is
    asked on the loopback one)."""
    text = address.strip()
    if text.startswith("unix://") or "://" in text and not text.startswith(("http://", "https://")):
        raise SyncthingError(f"its GUI address {text!r} is not a TCP address this kiosk can ask")
    text = text.split("://", 1)[-1].rstrip("/")
    host, _, port = text.rpartition(":")
    if not port.isdigit():
        raise SyncthingError(f"its GUI address {address!r} has no port")
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host in ("[::]", "::"):
        host = "[::1]"
    return f"{'https' if tls else 'http'}://{host}:{port}"


def read_api(config_xml: Path) -> SyncthingApi:
    """The REST API's address and key, and the folders, from Syncthing's ``config.xml``."""
    path = Path(config_xml)
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise SyncthingError(f"{path} is too large to be Syncthing's config.xml")
        root = ET.fromstring(path.read_bytes())
    except OSError as exc:
        raise SyncthingError(f"{path} cannot be read ({exc.strerror or exc})") from None
    except ET.ParseError as exc:
        raise SyncthingError(f"{path} is not Syncthing's config.xml ({exc})") from None
    gui = root.find("gui")
    address = gui.findtext("address", "") if gui is not None else ""
    api_key = (gui.findtext("apikey", "") if gui is not None else "").strip()
    if root.tag != "configuration" or not address or not api_key:
        raise SyncthingError(f"{path} has no <gui> <address> and <apikey> (is it Syncthing's config.xml?)")
    tls = gui is not None and gui.get("tls", "false").lower() == "true"
    folders = tuple((f.get("id", ""), f.get("path", "")) for f in root.findall("folder") if f.get("id") and f.get("path"))
    return SyncthingApi(_local_url(address, tls), api_key, folders, tls)


def _real(path: str | Path) -> Path:
    return Path(os.path.realpath(os.path.expanduser(str(path))))


def folder_holding(api: SyncthingApi, path: Path) -> str:
    """The id of the shared folder that is ``path`` or holds it (the innermost); "" if none."""
    target = _real(path)
    best, depth = "", -1
    for folder_id, folder_path in api.folders:
        shared = _real(folder_path)
        if (shared == target or shared in target.parents) and len(shared.parts) > depth:
            best, depth = folder_id, len(shared.parts)
    return best


def folder_status(api: SyncthingApi, folder_id: str, timeout: float = TIMEOUT_SECONDS) -> dict[str, Any]:
    """``GET /rest/db/status?folder=ID``, as a dict; SyncthingError says why not."""
    url = f"{api.url}/rest/db/status?{urllib.parse.urlencode({'folder': folder_id})}"
    request = urllib.request.Request(url, headers={"X-API-Key": api.api_key})
    # Syncthing's own certificate is self-signed; the request never leaves this machine (no proxy either).
    handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({})]
    if api.tls:
        handlers.append(urllib.request.HTTPSHandler(context=ssl._create_unverified_context()))
    try:
        with urllib.request.build_opener(*handlers).open(request, timeout=timeout) as response:
            body = response.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as exc:
        exc.close()
        hint = " (wrong API key?)" if exc.code in (401, 403) else ""
        raise SyncthingError(f"its REST API at {api.url} answered HTTP {exc.code}{hint}") from None
    except http.client.HTTPException as exc:  # something else took the port
        raise SyncthingError(f"its REST API at {api.url} did not answer over HTTP ({exc!r:.100})") from None
    except (OSError, ValueError) as exc:  # refused, timed out, a bad address
        reason = getattr(exc, "reason", None) or exc
        raise SyncthingError(f"its REST API at {api.url} cannot be reached ({reason})") from None
    try:
        data = json.loads(body.decode("utf-8")) if len(body) <= MAX_ANSWER_BYTES else None
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict):
        raise SyncthingError(f"its REST API at {api.url} did not answer with a folder status")
    return data


def folder_complete(status: dict[str, Any], folder_id: str) -> str:
    """"" when ``status`` says the folder is complete (idle, nothing needed); otherwise why not."""
    state, need = status.get("state"), status.get("needTotalItems")
    if not isinstance(state, str) or isinstance(need, bool) or not isinstance(need, int):
        return f"its answer for folder {folder_id!r} has no state and needTotalItems"
    if state == "idle" and need == 0:
        return ""
    return f"folder {folder_id!r} is not complete (state {state!r}, {need} item(s) still needed)"


def incomplete(config_xml: Path, paths: list[Path], timeout: float = TIMEOUT_SECONDS) -> str:
    """"" when this machine's Syncthing (``config_xml``) says every shared folder holding
    ``paths`` is complete; otherwise why the synced content must not be loaded. Blocks for
    up to ``timeout`` per folder: call it off the GUI thread."""
    try:
        api = read_api(config_xml)
        ids: list[str] = []
        for path in paths:
            folder_id = folder_holding(api, path)
            if not folder_id:
                raise SyncthingError(f"{config_xml} shares no folder holding {path}")
            if folder_id not in ids:
                ids.append(folder_id)
        for folder_id in ids:
            reason = folder_complete(folder_status(api, folder_id, timeout), folder_id)
            if reason:
                raise SyncthingError(reason)
    except SyncthingError as exc:
        return f"Syncthing cannot vouch for the synced folder: {exc}"
    return ""


def completeness_check(config_xml: str, root: Path, config: Path | None) -> Callable[[], str] | None:
    """With ``syncthing_config`` set, a call that asks Syncthing about the content folder
    ``root`` and the ``config`` file's folder (see :func:`incomplete`); None when unset."""
    if not config_xml:
        return None
    paths = [Path(root)] + ([Path(config)] if config is not None else [])
    return lambda: incomplete(Path(config_xml), paths)
