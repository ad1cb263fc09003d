"""A short soak in the default run: 40 scripted sessions (tests/perf/soak.py has the long one)."""

from __future__ import annotations

from tests.perf.soak import census, immortalise_singletons, run_soak, singleton_refcounts


def test_forty_sessions_no_exception_and_flat_qobjects(kiosk) -> None:  # type: ignore[no-untyped-def]
    result = run_soak(kiosk, 40, seed=7, checkpoints=(10, 40))
    assert result.exceptions == []
    assert result.qt_warnings == []
    assert result.error_logs == []
    at10, at40 = result.checkpoints[10], result.checkpoints[40]
    for key in ("window_qobjects", "all_widgets", "top_level_widgets"):
        assert at40[key] == at10[key], (key, at10[key], at40[key])
    # The application's children include QGesture objects (one set per flick-scroll area ever
    # built) that Qt's gesture manager drops lazily, so they go up and down; they must stay bounded.
    assert at40["app_qobjects"] <= 200, at40
    assert kiosk.window.on_welcome()


def test_page_turns_do_not_drop_references_to_true(kiosk) -> None:  # type: ignore[no-untyped-def]
    immortalise_singletons()  # keep this process alive; the drift is still measured
    c = kiosk.controller
    census(kiosk)
    before = singleton_refcounts()["True"]
    for _ in range(100):
        c.next()
    census(kiosk)
    assert singleton_refcounts()["True"] - before > -50
