"""A kiosk that asks its own Syncthing (``syncthing_config``) whether a settled synced folder
is complete before it copies it: a link that dropped between two files leaves a still,
half-new folder that only Syncthing knows is incomplete. Syncthing's REST API is faked here
by a tiny HTTP server on 127.0.0.1; tests/test_fleet_syncthing.py asks a real one."""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from kiosk.core.errors import ContentError
from kiosk.core.fleet.good_copy import read_good, start_library
from kiosk.core.fleet.syncthing import incomplete, read_api
from kiosk.core.paths import data_dir
from kiosk.core.settings import Settings, parse_settings
from kiosk.ui.app import Kiosk, load_content
from kiosk.ui.updates import check_like_check_content, load_with_cache
from tests.fleet import retitle, synced_copy
from tests.test_fleet_updates import POLL_MS, SETTLE_MS, WAIT_MS, _build, read_status

API_KEY = "k3y-for-this-test"
IDLE = {"state": "idle", "needTotalItems": 0, "needFiles": 0, "globalFiles": 40}
SYNCING = {"state": "syncing", "needTotalItems": 3, "needFiles": 3, "globalFiles": 40}


class FakeSyncthing:
    """Answers ``GET /rest/db/status`` with ``answer`` (status code, body); remembers each request."""

    def __init__(self) -> None:
        self.answer: tuple[int, bytes] = (200, json.dumps(IDLE).encode())
        self.requests: list[tuple[str, str | None]] = []  # (path, X-API-Key)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.requests.append((self.path, self.headers.get("X-API-Key")))
                code, body = fake.answer
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def says(self, status: dict[str, object] | None = None, code: int = 200, body: bytes | None = None) -> None:
        self.answer = (code, body if body is not None else json.dumps(status).encode())

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def fake() -> Iterator[FakeSyncthing]:
    server = FakeSyncthing()
    yield server
    server.stop()


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # nothing listens on it now: a Syncthing that is not running


def syncthing_xml(path: Path, port: int, shared: Path, folder_id: str = "tmbb-content") -> Path:
    """A config.xml as Syncthing writes it (the parts the kiosk reads), sharing ``shared``."""
    path.write_text(f"""<configuration version="35">
    <folder id="{folder_id}" label="Kiosk content" path="{shared}" type="receiveonly" rescanIntervalS="3600">
        <device id="AAAA"></device>
    </folder>
    <folder id="elsewhere" label="Other" path="{shared.parent / 'other'}" type="sendonly"></folder>
    <gui enabled="true" tls="false" debugging="false">
        <address>127.0.0.1:{port}</address>
        <apikey>{API_KEY}</apikey>
        <theme>default</theme>
    </gui>
</configuration>
""", encoding="utf-8")
    return path


@pytest.fixture
def fleet(tmp_path: Path) -> Path:
    """README's layout: the shared folder holds the content (and would hold kiosk.toml)."""
    return tmp_path / "tmbb-fleet"


@pytest.fixture
def synced(fleet: Path) -> Path:
    return synced_copy(fleet / "content")


def kiosk_settings(synced: Path, config_xml: Path) -> Settings:
    return Settings(clinic_name="Sunrise Pain Clinic", clinic_phone="555-0142", watch_changes=True, content_dir=str(synced),
                    settle_seconds=1, syncthing_config=str(config_xml))


def test_the_kiosk_asks_for_the_folder_holding_its_content_with_the_api_key(fake: FakeSyncthing, fleet: Path,
                                                                           synced: Path, tmp_path: Path) -> None:
    config_xml = syncthing_xml(tmp_path / "config.xml", fake.port, fleet)
    assert read_api(config_xml).url == f"http://127.0.0.1:{fake.port}"
    assert incomplete(config_xml, [synced, fleet / "kiosk.toml"]) == ""
    assert fake.requests == [("/rest/db/status?folder=tmbb-content", API_KEY)]  # one folder holds both: asked once
    fake.says(SYNCING)
    assert "'syncing', 3 item(s) still needed" in incomplete(config_xml, [synced])
    fake.says({"state": "idle", "needTotalItems": 2})  # the link dropped: nothing moves, files still missing
    assert "2 item(s) still needed" in incomplete(config_xml, [synced])


@pytest.mark.parametrize(("code", "body", "said"), [
    (403, b"CSRF Error", "answered HTTP 403 (wrong API key?)"),
    (200, b"<html>not json</html>", "did not answer with a folder status"),
    (200, b'{"state": "idle"}', "has no state and needTotalItems"),
    (200, b'["idle", 0]', "did not answer with a folder status"),
])
def test_an_odd_answer_is_not_complete(fake: FakeSyncthing, fleet: Path, synced: Path, tmp_path: Path,
                                       code: int, body: bytes, said: str) -> None:
    config_xml = syncthing_xml(tmp_path / "config.xml", fake.port, fleet)
    fake.says(code=code, body=body)
    assert said in incomplete(config_xml, [synced])


def test_no_syncthing_or_no_shared_folder_is_not_complete(fleet: Path, synced: Path, tmp_path: Path) -> None:
    config_xml = syncthing_xml(tmp_path / "config.xml", closed_port(), fleet)
    assert "cannot be reached" in incomplete(config_xml, [synced])
    assert "shares no folder holding" in incomplete(config_xml, [tmp_path / "not-shared"])
    assert "cannot be read" in incomplete(tmp_path / "missing.xml", [synced])
    (tmp_path / "bad.xml").write_text("<configuration><gui></gui></configuration>", encoding="utf-8")
    assert "no <gui> <address> and <apikey>" in incomplete(tmp_path / "bad.xml", [synced])


def test_something_else_on_the_port_is_not_complete(fleet: Path, synced: Path, tmp_path: Path) -> None:
    """Not HTTP at all (another program took Syncthing's GUI port): no crash, not complete."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)

        def answer_garbage() -> None:
            connection, _ = listener.accept()
            with connection:
                connection.recv(4096)
                connection.sendall(b"SSH-2.0-OpenSSH_9.2 garbage\r\n\r\n")

        thread = threading.Thread(target=answer_garbage, daemon=True)
        thread.start()
        config_xml = syncthing_xml(tmp_path / "config.xml", listener.getsockname()[1], fleet)
        assert "did not answer over HTTP" in incomplete(config_xml, [synced])
        thread.join(timeout=10)


def test_the_setting_is_checked_like_the_other_keys() -> None:
    good = parse_settings('syncthing_config = "/home/kiosk/.config/syncthing/config.xml"\n', "kiosk.toml")
    assert good.syncthing_config == "/home/kiosk/.config/syncthing/config.xml" and not good.problems
    for value in ('"config.xml"', '"/home/kiosk/.config/syncthing/"', "8384"):
        bad = parse_settings(f'clinic_name = "X"\nsyncthing_config = {value}\n', "kiosk.toml")
        assert bad.syncthing_config == ""
        assert len(bad.problems) == 1 and bad.problems[0].startswith("kiosk.toml:2: syncthing_config ")
        assert "using the default" in bad.problems[0]
    assert Settings().syncthing_config == ""  # unset: the kiosk does not ask (as before)


def built_kiosk(qtbot, synced: Path, config_xml: Path) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    return _build(qtbot, kiosk_settings(synced, config_xml))


def still_for_a_while(qtbot, kiosk: Kiosk, fake: FakeSyncthing) -> None:  # type: ignore[no-untyped-def]
    """Wait until the unchanged folder has been looked at for three settle times and Syncthing asked again."""
    updates = kiosk.updates
    assert updates is not None
    looks, asks = updates.looks, updates.asks
    qtbot.waitUntil(lambda: updates.looks >= looks + 3 * SETTLE_MS // POLL_MS and updates.asks >= asks + 2, timeout=WAIT_MS)


def test_a_still_folder_syncthing_is_still_filling_is_not_loaded(qtbot, fake: FakeSyncthing, fleet: Path, synced: Path,
                                                                 tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    kiosk = next(built_kiosk(qtbot, synced, syncthing_xml(tmp_path / "config.xml", fake.port, fleet)))
    c, updates = kiosk.controller, kiosk.updates
    assert updates is not None
    version = c.library.pack("en").version
    fake.says(SYNCING)  # the English pack has arrived, and then the link dropped: nothing else moves
    retitle(synced, "Half delivered", version="2027.04.04")
    caplog.set_level(logging.ERROR)
    with qtbot.waitSignal(updates.not_vouched, timeout=WAIT_MS) as said:
        pass
    assert "3 item(s) still needed" in said.args[0]
    still_for_a_while(qtbot, kiosk, fake)
    assert updates.checks_started == 0 and updates.pending is None  # never copied, never loaded
    assert c.library.pack("en").version == version
    assert updates.state == "waiting" and any("3 item(s) still needed" in line for line in c.settings.problems)
    qtbot.waitUntil(lambda: "3 item(s) still needed" in str(read_status(kiosk).get("content_update")), timeout=WAIT_MS)
    assert read_status(kiosk)["content_update"]["state"] == "waiting"  # type: ignore[index]
    assert len([r for r in caplog.records if "still needed" in r.getMessage()]) == 1  # logged once, not at every look
    fake.says(IDLE)  # the rest arrived (or was there all along): Syncthing vouches for it
    with qtbot.waitSignal(updates.update_applied, timeout=WAIT_MS):
        pass
    assert c.library.pack("en").version == "2027.04.04"
    assert updates.problem == "" and updates.state == "current"
    assert all(key == API_KEY and path == "/rest/db/status?folder=tmbb-content" for path, key in fake.requests)


@pytest.mark.parametrize(("how", "said"), [
    ("unreachable", "cannot be reached"),
    ("forbidden", "HTTP 403"),
    ("garbage", "did not answer with a folder status"),
])
def test_a_syncthing_that_cannot_vouch_keeps_the_content(qtbot, fake: FakeSyncthing, fleet: Path, synced: Path,  # type: ignore[no-untyped-def]
                                                         tmp_path: Path, how: str, said: str) -> None:
    config_xml = syncthing_xml(tmp_path / "config.xml", fake.port, fleet)
    kiosk = next(built_kiosk(qtbot, synced, config_xml))
    c, updates = kiosk.controller, kiosk.updates
    assert updates is not None
    version = c.library.pack("en").version
    if how == "unreachable":
        syncthing_xml(config_xml, closed_port(), fleet)  # Syncthing stopped (or moved its GUI port)
    else:
        fake.says(code=403 if how == "forbidden" else 200, body=b"Forbidden" if how == "forbidden" else b"\x00{not json")
    retitle(synced, "Unvouched", version="2027.08.08")
    with qtbot.waitSignal(updates.not_vouched, timeout=WAIT_MS) as reason:
        pass
    assert said in reason.args[0]
    still_for_a_while(qtbot, kiosk, fake)
    assert updates.checks_started == 0 and c.library.pack("en").version == version
    assert any(said in line for line in c.settings.problems)  # the staff panel
    qtbot.waitUntil(lambda: said in str(read_status(kiosk).get("content_update")), timeout=WAIT_MS)


def test_a_restart_with_syncthing_down_starts_on_the_last_good_copy(qtbot, fake: FakeSyncthing, fleet: Path,
                                                                    synced: Path, tmp_path: Path) -> None:
    config_xml = syncthing_xml(tmp_path / "config.xml", fake.port, fleet)
    first = load_content(kiosk_settings(synced, config_xml), None)  # Syncthing vouched for it: the last good copy
    assert read_good(data_dir()) is not None and fake.requests
    syncthing_xml(config_xml, closed_port(), fleet)
    retitle(synced, "Maybe half", version="2027.10.10")
    again = load_content(kiosk_settings(synced, config_xml), None)
    assert again.pack("en").version == first.pack("en").version


@pytest.mark.parametrize("answer", [SYNCING, None])
def test_a_first_start_never_loads_a_folder_syncthing_cannot_vouch_for(fake: FakeSyncthing, fleet: Path, synced: Path,
                                                                       tmp_path: Path, answer: dict[str, object] | None) -> None:
    config_xml = syncthing_xml(tmp_path / "config.xml", fake.port if answer else closed_port(), fleet)
    fake.says(answer or IDLE)
    now = [1000.0]
    loaded: list[Path] = []

    def sleep(seconds: float) -> None:
        now[0] += seconds

    def load(s: Settings, root: Path):  # type: ignore[no-untyped-def]
        loaded.append(root)
        return load_with_cache(s, root)

    settings = kiosk_settings(synced, config_xml)
    ready = lambda: incomplete(config_xml, [synced])  # noqa: E731
    with pytest.raises(ContentError) as error:
        start_library(settings, synced, data_dir(), check_like_check_content, load, 1, clock=lambda: now[0], sleep=sleep,
                      ready=ready)
    assert ("3 item(s) still needed" if answer else "cannot be reached") in str(error.value)
    assert loaded == [] and read_good(data_dir()) is None
    assert now[0] - 1000.0 >= 30  # it waited (the start's limit) for Syncthing to vouch
