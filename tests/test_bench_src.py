"""The bench measures an older checkout (``bench --src``) as far as that checkout goes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.perf import bench


def test_an_older_checkout_is_asked_only_for_what_it_has(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "kiosk"
    (package / "core" / "content").mkdir(parents=True)
    (package / "app.py").write_text("print('no cache, no systemd')\n", encoding="utf-8")
    monkeypatch.setenv("KIOSK_PERF_SRC", str(tmp_path))
    assert bench.source_root() == tmp_path
    assert not bench.has_content_cache() and not bench.sends_ready()
    (package / "core" / "content" / "cache.py").write_text("", encoding="utf-8")
    (package / "heartbeat.py").write_text('notify("READY=1")\n', encoding="utf-8")
    assert bench.has_content_cache() and bench.sends_ready()


def test_this_checkout_has_both(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIOSK_PERF_SRC", raising=False)
    assert bench.source_root() == bench.ROOT
    assert bench.has_content_cache() and bench.sends_ready()
