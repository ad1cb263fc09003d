"""Stage pictures that move: the beats (core, no Qt), the content checks on them, and the
page that plays them (the button, reduced motion, read aloud in step, no timers left)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from kiosk.core.content.motion import Beat, Motion, Move, pose, read_motion
from kiosk.core.errors import ContentError
from kiosk.core.settings import Settings
from kiosk.ui.app import build_kiosk, load_content
from kiosk.ui.speech import Speaker
from tests.fake_speech import FakeService
from tests.ui_helpers import tap

STAGES = {"thoracic-mbb": ("preparation", "imaging", "injection", "monitoring")}


class Clock:
    """Time the tests move by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


# ---------------------------------------------------------------------- core


def _motion() -> Motion:
    return Motion(("dye",), (
        Beat(4.0, "one", (Move("move", "arm", 10, -20),)),
        Beat(4.0, "two", (Move("fade", "dye", amount=1.0), Move("turn", "arm", amount=90.0))),
        Beat(4.0, "three", (Move("pulse", "dye", amount=2.0), Move("move", "needle", 30, 0, arrive=True))),
    ))


def test_parts_move_fade_and_turn_then_hold() -> None:
    motion = _motion()
    start, moved, end = pose(motion, 0.0), pose(motion, 3.9), pose(motion, motion.seconds)
    assert start["dye"].opacity == 0.0 and start["arm"].dx == 0.0
    assert (moved["arm"].dx, moved["arm"].dy) == (10, -20) and moved["dye"].opacity == 0.0
    assert end["dye"].opacity == 1.0 and end["arm"].angle == 90.0 and end["dye"].scale == 1.0
    assert 0.0 < pose(motion, 4.5)["dye"].opacity < 1.0  # a fade is gradual, not a jump
    assert start["needle"].dx == 30 and pose(motion, 8.0)["needle"].dx == 30 and end["needle"].dx == 0  # comes into place
    assert [motion.beat_at(t) for t in (0, 3.99, 4, 11.9, 12, 99)] == [0, 0, 1, 2, 2, 2]


def test_a_pulse_never_flashes_more_than_three_times_a_second() -> None:
    motion = _motion()
    scales = [pose(motion, 8 + i / 100)["dye"].scale for i in range(400)]
    peaks = sum(1 for a, b, c in zip(scales, scales[1:], scales[2:], strict=False) if b > a and b >= c)
    assert peaks == 2  # two swells in four seconds


def test_a_motion_file_is_checked_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "x.motion.toml"
    path.write_text('hidden = ["dye"]\n\n[[beats]]\nseconds = 4\nmoves = [{ verb = "spin", part = "arm" }]\n\n'
                    '[[beats]]\nseconds = 4\nmoves = [{ verb = "pulse", part = "arm", times = 9 }]\n\n'
                    '[[beats]]\nseconds = 4\nmoves = [{ verb = "fade", part = "nowhere" }]\n', encoding="utf-8")
    motion, problems = read_motion(path, {"arm", "dye"})
    assert motion is None
    text = [str(p) for p in problems]
    assert f"{path}:3: verb 'spin' is not one of move, fade, turn, pulse, highlight" in text
    assert f"{path}:7: beat 2: arm would pulse more than once a second" in text
    assert any(t.startswith(f"{path}:11: beat 3: no element with id 'nowhere'") for t in text)


def test_every_language_gives_one_caption_per_beat(tmp_path: Path, settings: Settings) -> None:
    root = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[1] / "content", root)
    pack = root / "thoracic-mbb" / "es" / "pack.toml"
    text = pack.read_text(encoding="utf-8")
    text = text.replace('    "Le limpian la piel de la espalda.",\n', "", 1)
    pack.write_text(text, encoding="utf-8")
    line = text.splitlines().index("beats = [", text.splitlines().index('illustration = "stage-preparation.svg"')) + 1
    with pytest.raises(ContentError) as caught:
        load_content(settings, root)
    assert any(p.path == pack and p.line == line and "3 beat captions for the 4 beats" in p.message
               for p in caught.value.problems), str(caught.value)


# ---------------------------------------------------------------------- on screen


def _stage(qtbot, kiosk, page_id: str = "preparation"):  # type: ignore[no-untyped-def]
    """Open a stage page; a moving picture starts once the page has been painted."""
    kiosk.controller.show(page_id)
    view = kiosk.controller.views[page_id]
    if view.moving:
        qtbot.waitUntil(lambda: view.player.playing, timeout=5000)
    return view


def test_the_picture_plays_once_beat_by_beat_and_then_stops(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    view = _stage(qtbot, kiosk)
    clock = view.player.clock = Clock()
    view.player.replay()
    captions = [b.caption for b in view.motion.beats]
    seen = []
    for start in [*view.motion.starts(), view.motion.seconds]:
        clock.now = 100.0 + start + 0.01
        view.player.tick()
        seen.append(view.caption.text())
    assert seen == [*captions, captions[-1]]
    assert not view.player.playing and view.control.text() == "Play again"
    assert not [t for t in view.findChildren(QTimer) if t.isActive()]  # nothing runs after the last beat


def test_pause_play_and_replay_by_touch_and_keypad(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    view = _stage(qtbot, kiosk)
    clock = view.player.clock = Clock()
    view.player.replay()
    assert view.control.text() == "Pause" and view.control.height() >= 48 and view.control.accessibleName() == "Pause"
    clock.now += 5
    tap(qtbot, view.control)  # pause
    assert not view.player.playing and view.control.text() == "Play"
    held = view.player.position
    clock.now += 30  # time passes while paused; the picture does not move
    view.control.setFocus()
    qtbot.keyClick(view.control, Qt.Key.Key_Return)  # play on, from the keypad
    assert view.player.playing and view.player.position == pytest.approx(held)
    clock.now += view.motion.seconds
    view.player.tick()
    assert view.control.text() == "Play again"
    qtbot.keyClick(view.control, Qt.Key.Key_Space)
    assert view.player.playing and view.player.beat == 0 and view.caption.text() == view.motion.beats[0].caption


def test_leaving_the_page_stops_its_timer(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    view = _stage(qtbot, kiosk)
    assert view.player.playing
    kiosk.controller.show("imaging")
    assert not view.player.playing
    kiosk.controller.show("preparation")
    qtbot.waitUntil(lambda: view.player.playing)
    assert view.player.beat == 0  # back again: it plays once more
    kiosk.controller.show(None)  # the welcome screen
    assert not view.player.playing
    assert not [t for v in kiosk.controller.views.values() for t in v.findChildren(QTimer) if t.isActive()]


def test_the_picture_starts_only_once_its_page_is_on_the_screen(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent, QObject

    c = kiosk.controller
    c.model.start()
    view = c.views["imaging"]
    seen: list[str] = []

    class Paints(QObject):
        def eventFilter(self, watched, event):  # type: ignore[no-untyped-def]  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                seen.append("paint")
            return False

    paints = Paints()
    view.installEventFilter(paints)
    view.player.clock = lambda: seen.append("clock") or 100.0
    view.player.time_changed.connect(lambda _s: seen.append("frame"))
    c.show("imaging")
    assert not view.player.playing  # the page turn itself starts no timer and draws no frame
    qtbot.waitUntil(lambda: view.player.playing, timeout=5000)
    assert seen[0] == "paint" and "clock" in seen and "frame" in seen
    assert view.player.beat == 0 and view.player.position == 0.0
    view.removeEventFilter(paints)


def test_reduced_motion_from_the_config_shows_the_last_frame_and_every_caption(qtbot, settings, library) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    built = build_kiosk(replace(settings, motion="reduced"), library, size=(1280, 800))
    qtbot.addWidget(built.window)
    built.window.show()
    view = _stage(qtbot, built)
    assert not view.player.playing and view.player.at_end
    assert view.beat_list.isVisible() and not view.control.isVisible()
    assert view.beat_list.text().splitlines() == ["What the picture shows:",
                                                  *(f"{i}. {b.caption}" for i, b in enumerate(view.motion.beats, 1))]
    assert view.scroll_area.isAncestorOf(view.beat_list)  # it scrolls with the text: never cut off at 200 %
    assert built.window.toolbar.motion.isChecked()
    built.window.allow_close()


def test_the_less_motion_switch_is_on_every_screen_and_reset_clears_it(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    toolbar = kiosk.window.toolbar
    assert toolbar.motion.isVisible() and toolbar.motion.accessibleName() == "Less motion"
    view = _stage(qtbot, kiosk)
    assert view.player.playing
    tap(qtbot, toolbar.motion)
    assert kiosk.controller.session.motion_swapped and toolbar.motion.isChecked()
    assert not view.player.playing and view.beat_list.isVisible() and not view.control.isVisible()
    kiosk.controller.reset_session()
    assert not kiosk.controller.session.motion_swapped and not toolbar.motion.isChecked()
    view = _stage(qtbot, kiosk)
    assert view.player.playing and view.control.isVisible()


def test_the_less_motion_switch_fits_a_small_panel_at_200_percent(qtbot, settings, library) -> None:  # type: ignore[no-untyped-def]
    built = build_kiosk(settings, library, size=(1280, 800))
    qtbot.addWidget(built.window)
    built.window.show()
    built.controller.model.set_text_scale(2.0)
    _stage(qtbot, built)
    toolbar = built.window.toolbar
    qtbot.waitUntil(toolbar.motion.isVisible)
    right = toolbar.motion.mapTo(built.window, toolbar.motion.rect().bottomRight())
    assert 0 <= right.x() <= built.window.width() and right.y() <= built.window.height()
    assert toolbar.motion.width() >= toolbar.motion.sizeHint().width() and toolbar.motion.height() >= 48
    built.window.allow_close()


def test_read_aloud_says_each_beat_as_it_starts(qtbot, settings, library) -> None:  # type: ignore[no-untyped-def]
    service = FakeService()
    built = build_kiosk(settings, library, size=(1280, 800), speaker=Speaker(factory=service))
    qtbot.addWidget(built.window)
    built.window.show()
    view = _stage(qtbot, built)
    clock = view.player.clock = Clock()
    qtbot.waitUntil(built.window.toolbar.read.isVisible)
    tap(qtbot, built.window.toolbar.read)
    engine = service.current
    captions = [b.caption for b in view.motion.beats]
    alt = view.page.illustration.alt
    assert engine.spoken[-1][0] == f"Step 1 of 4. Getting ready. Picture: {alt} {captions[0]}"
    clock.now += view.motion.beats[0].seconds + 1  # beat 1's words are still being said: the picture waits
    view.player.tick()
    assert view.caption.text() == captions[0] and len(engine.spoken) == 1
    engine.finish()
    clock.now += 0.05  # the next frame after the words end
    view.player.tick()
    assert engine.spoken[-1][0] == captions[1] and view.caption.text() == captions[1]
    tap(qtbot, built.window.toolbar.read)  # Stop reading
    assert not built.controller.speaker.speaking and not view.narrating
    built.window.allow_close()


def test_a_playing_picture_does_not_count_as_a_touch(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    idle = kiosk.controller.idle
    view = _stage(qtbot, kiosk)
    idle.idle_timer.setInterval(300)  # (after: the picture starts once painted, which takes event-loop turns)
    view.player.timer.setInterval(10)
    with qtbot.waitSignal(idle.warning_started, timeout=5000):
        pass
    assert view.player.playing  # still moving, and the countdown began anyway


def _moving_pictures() -> list[Path]:
    return sorted((Path(__file__).resolve().parents[1] / "assets" / "illustrations").glob("*.motion.toml"))


@pytest.mark.parametrize("motion_path", _moving_pictures(), ids=lambda p: p.name)
def test_every_moving_picture_is_calm_plain_svg(motion_path: Path) -> None:
    from kiosk.core.content.motion import MAX_CYCLES_PER_SECOND, svg_ids

    svg = motion_path.with_name(motion_path.name.replace(".motion.toml", ".svg"))
    motion, problems = read_motion(motion_path, svg_ids(svg))
    assert motion is not None, problems
    assert 3 <= len(motion.beats) <= 6 and 8 <= motion.seconds <= 25
    text = svg.read_text(encoding="utf-8")
    for forbidden in ("<text", "<image", "href=", "<script", "base64", "<animate"):
        assert forbidden not in text, forbidden  # words are in the captions, in every language
    for beat in motion.beats:
        for move in beat.moves:
            if move.verb == "pulse":
                assert move.amount / beat.seconds <= MAX_CYCLES_PER_SECOND


def test_every_stage_of_both_topics_moves_with_a_caption_for_each_beat(library) -> None:  # type: ignore[no-untyped-def]
    for topic in library.topics:
        packs = library.topic_packs(topic)
        for page in packs["en"].pages:
            if page.kind != "stage":
                continue
            counts = {lang: len(pack.page(page.id).illustration.motion.beats) for lang, pack in packs.items()}
            assert len(set(counts.values())) == 1, (topic, page.id, counts)


def test_a_bad_motion_setting_is_reported_with_its_key_and_default() -> None:
    from kiosk.core.settings import parse_settings

    settings = parse_settings('motion = "still"\n', "kiosk.toml")
    assert settings.motion == "full"
    assert settings.problems == ('kiosk.toml:1: motion must be "full" or "reduced"; using the default "full"',)
    assert parse_settings('motion = "reduced"\n').motion == "reduced"


def test_screenshots_hold_a_chosen_moment_or_the_last_frame(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    from kiosk.__main__ import parse_args

    assert parse_args(["screenshots", "--out", "shots", "--at", "6.5"]).at == 6.5
    view = _stage(qtbot, kiosk)
    view.show_moment(6.5)
    assert not view.player.playing and view.player.position == 6.5
    assert view.caption.text() == view.motion.beats[view.motion.beat_at(6.5)].caption
    view.show_moment(None)
    assert view.player.at_end and not view.player.playing


# ---------------------------------------------------------------------- memory


def _every_stage(kiosk):  # type: ignore[no-untyped-def]
    """Show every stage page of every topic and language, each picture painted."""
    c = kiosk.controller
    shown = []
    for language in c.library.languages:
        c.model.set_language(language)
        for topic in c.library.topics:
            for page in c.library.topic_packs(topic)[language].pages:
                if page.kind == "stage":
                    c.show(f"{topic}/{page.id}")
                    view = c.views[page.id]
                    view.picture.repaint()
                    shown.append(view)
    return shown


def test_a_moving_picture_keeps_no_frame_once_its_page_is_left(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    view = _stage(qtbot, kiosk)
    view.player.seek(1.0)  # a frame in between
    view.picture.repaint()
    assert view.picture.held_frames() == 1 and view.picture.redraws >= 1
    kiosk.controller.show("imaging")
    assert view.picture.held_frames() == 0  # it opens at the first beat again: nothing to keep
    views = _every_stage(kiosk)
    assert len(views) == 16  # 2 topics x 4 stages x 2 languages
    kiosk.controller.show(None)
    assert sum(v.picture.held_frames() for v in views) == 0


def test_pictures_keep_no_parsed_svg_and_languages_share_a_motion(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """A picture holds pixels (shared, bounded), not its parsed SVG: each still and moving
    picture of every language's pages kept one, with the outlines Qt made from it to draw
    (~4.6 MB after a walk). A moving picture's frames come from one parsed tree per picture."""
    from PySide6.QtSvg import QSvgRenderer

    from kiosk.ui import illustration as widgets
    from kiosk.ui.illustration import Illustration

    widgets._PICTURES.clear()  # (pixels drawn by an earlier test would be found there)
    views = _every_stage(kiosk)
    kiosk.controller.show("what-it-is")
    kiosk.controller.views["what-it-is"].repaint()
    pictures = kiosk.window.findChildren(Illustration)
    assert len(pictures) > len(views)  # the still pictures too
    assert kiosk.window.findChildren(QSvgRenderer) == []
    english, spanish = views[0], views[8]
    assert english.page.id == spanish.page.id and english.pack.language != spanish.pack.language
    assert english.picture.frames is spanish.picture.frames
    assert english.picture.redraws >= 1  # and it still draws


def test_a_shared_parsed_tree_goes_with_the_last_picture_drawn_from_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Content replaced by an update comes from a folder of its own: a tree kept for good for
    every picture of every update would grow for as long as the kiosk runs."""
    import gc

    import shiboken6

    from kiosk.core.resources import assets_dir
    from kiosk.ui import motion_picture

    path = assets_dir() / "illustrations" / "stage-injection.svg"
    motion = _motion()
    english = motion_picture.MotionIllustration(path, motion, "english")
    spanish = motion_picture.MotionIllustration(path, motion.with_captions(("uno", "dos", "tres")), "spanish")
    assert english.frames is spanish.frames
    key = (str(path), motion.with_captions(("", "", "")))
    assert motion_picture._FRAMES.get(key) is english.frames
    for picture in (english, spanish):
        shiboken6.delete(picture)
    del english, spanish, picture
    gc.collect()
    assert key not in motion_picture._FRAMES


def test_the_resting_frame_is_drawn_once_for_every_language_and_stays_bounded(qtbot, settings, library) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from kiosk.ui import illustration as widgets

    widgets._PICTURES.clear()
    built = build_kiosk(replace(settings, motion="reduced"), library, size=(1280, 800))
    qtbot.addWidget(built.window)
    with qtbot.waitExposed(built.window):
        built.window.show()
    views = _every_stage(built)
    english, spanish = views[0], views[8]
    assert english.page.id == spanish.page.id == "preparation" and spanish.pack.language == "es"
    assert english.picture.redraws == 1 and spanish.picture.redraws == 0  # the same last frame, drawn once
    assert all(v.picture.held_frames() == 0 for v in views)  # the resting frame is only in the shared cache
    assert len(widgets._PICTURES) <= widgets.PICTURE_CACHE_SIZE
    built.window.allow_close()


def test_a_moving_picture_lets_its_frame_go_after_the_last_beat(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    view = _stage(qtbot, kiosk)
    clock = view.player.clock = Clock()
    view.player.replay()
    view.picture.repaint()
    assert view.picture.held_frames() == 1
    clock.now += view.motion.seconds + 1
    view.player.tick()
    view.picture.repaint()
    assert not view.player.playing and view.picture.held_frames() == 0


def test_the_page_before_a_stage_gets_its_opening_frame_ready_and_only_one_waits(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    views = _every_stage(kiosk)  # each laid out once, as on any page a patient has seen
    c.model.set_language("en")
    c.show("thoracic-mbb/benefits")  # the page before the first stage
    stage, following = c.views["preparation"], c.views["imaging"]
    qtbot.waitUntil(lambda: stage.picture.held_frames() == 1)  # drawn ahead, once "benefits" is painted
    assert sum(v.picture.held_frames() for v in views) == 1
    c.show("what-it-is")  # back instead: it lets the frame go
    qtbot.waitUntil(lambda: stage.picture.held_frames() == 0)
    c.show("benefits")
    qtbot.waitUntil(lambda: stage.picture.held_frames() == 1)
    drawn = stage.picture.redraws
    c.show("preparation")
    stage.picture.repaint()
    assert stage.picture.redraws == drawn  # opening the page was a blit
    qtbot.waitUntil(lambda: following.picture.held_frames() == 1)
    c.show("imaging")
    following.picture.repaint()
    qtbot.waitUntil(lambda: c.views["injection"].picture.held_frames() == 1)
    assert stage.picture.held_frames() == 0  # left
    assert sum(v.picture.held_frames() for v in views) == 2  # the one on show, and the one drawn ahead
    c.show(None)
    assert sum(v.picture.held_frames() for v in views) == 0
