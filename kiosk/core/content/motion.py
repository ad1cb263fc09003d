"""Stage pictures that move: beats, the verbs that move named parts of an SVG, and where
every part is at a given moment. No Qt: the screen side draws what :func:`pose` says.

A stage picture ``stage-x.svg`` moves when a file ``stage-x.motion.toml`` sits beside it::

    hidden = ["dye"]                  # parts (SVG element ids) that start invisible

    [[beats]]
    seconds = 5
    moves = [
      { verb = "move", part = "c-arm", from = [-120, 0] },
      { verb = "fade", part = "dye", to = 1 },
    ]

Each language's pack.toml gives the page one caption per beat (``beats = [...]``). Qt's
SVG module plays little of SMIL (``animateTransform`` only, without ``fill="freeze"``; no
``animate`` of opacity or position, no ``animateMotion``), so the movement is data here
and the screen rewrites the parts' ``transform`` and ``opacity`` for each frame."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.core.errors import Problem

VERBS = ("move", "fade", "turn", "pulse", "highlight")
MIN_BEATS, MAX_BEATS = 3, 6
MIN_TOTAL_SECONDS, MAX_TOTAL_SECONDS = 8.0, 25.0
MIN_BEAT_SECONDS, MAX_BEAT_SECONDS = 2.0, 8.0
MOVE_SECONDS = 1.6  # a move, fade or turn takes this long at the start of its beat, then holds
MAX_CYCLES_PER_SECOND = 1.0  # pulses and highlights: far below the 3 flashes a second that can harm
PULSE_GROWTH = 0.12  # a pulse swells a part by this much, then back
HIGHLIGHT_LOW = 0.55  # a highlight breathes between this opacity and full
MOTION_SUFFIX = ".motion.toml"
_PART = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Move:
    verb: str
    part: str
    x: float = 0.0  # move: by x, y (in the SVG's units); turn: around x, y
    y: float = 0.0
    amount: float = 1.0  # fade / highlight: to this opacity; turn: degrees; pulse: how many times
    around: bool = False  # turn: about (x, y) rather than the part's centre
    arrive: bool = False  # move: from (x, y) away to where the SVG draws it (``from = [x, y]``)


@dataclass(frozen=True)
class Beat:
    seconds: float
    caption: str
    moves: tuple[Move, ...] = ()


@dataclass(frozen=True)
class Motion:
    hidden: tuple[str, ...]
    beats: tuple[Beat, ...]

    @property
    def seconds(self) -> float:
        return sum(beat.seconds for beat in self.beats)

    def starts(self) -> list[float]:
        """When each beat starts, in seconds from the first."""
        out, at = [], 0.0
        for beat in self.beats:
            out.append(at)
            at += beat.seconds
        return out

    def beat_at(self, t: float) -> int:
        """The beat on show at ``t`` seconds (the last one from its start to the end and after)."""
        index = 0
        for i, start in enumerate(self.starts()):
            if t >= start:
                index = i
        return index

    def with_captions(self, captions: tuple[str, ...]) -> Motion:
        return Motion(self.hidden, tuple(Beat(b.seconds, c, b.moves) for b, c in zip(self.beats, captions, strict=True)))

    def parts(self) -> list[str]:
        seen = list(self.hidden)
        for beat in self.beats:
            seen += [m.part for m in beat.moves if m.part not in seen]
        return seen


@dataclass(frozen=True)
class PartPose:
    """Where a part is: moved by (dx, dy), turned by ``angle`` degrees, ``scale``d about its
    centre, at ``opacity``. ``pivot`` is the turn's centre when the content gave one."""

    dx: float = 0.0
    dy: float = 0.0
    angle: float = 0.0
    scale: float = 1.0
    opacity: float = 1.0
    pivot: tuple[float, float] | None = None


def _ease(f: float) -> float:
    f = min(1.0, max(0.0, f))
    return f * f * (3 - 2 * f)  # smoothstep: no jolt at either end


def pose(motion: Motion, t: float) -> dict[str, PartPose]:
    """Every moving part's pose ``t`` seconds in (clamped to the animation's length)."""
    t = min(max(t, 0.0), motion.seconds)
    state: dict[str, dict[str, Any]] = {p: {"dx": 0.0, "dy": 0.0, "angle": 0.0, "scale": 1.0, "pivot": None,
                                            "opacity": 0.0 if p in motion.hidden else 1.0} for p in motion.parts()}
    for beat in motion.beats:  # a part that arrives starts away from where the SVG has it
        for move in beat.moves:
            if move.verb == "move" and move.arrive:
                state[move.part]["dx"] += move.x
                state[move.part]["dy"] += move.y
    for start, beat in zip(motion.starts(), motion.beats, strict=True):
        if t < start:
            break
        local = t - start
        moving = _ease(local / min(MOVE_SECONDS, beat.seconds))
        for move in beat.moves:
            s = state[move.part]
            if move.verb == "move":
                sign = -1.0 if move.arrive else 1.0
                s["dx"] += sign * move.x * moving
                s["dy"] += sign * move.y * moving
            elif move.verb == "turn":
                s["angle"] += move.amount * moving
                if move.around:
                    s["pivot"] = (move.x, move.y)
            elif move.verb == "fade":
                s["opacity"] += (move.amount - s["opacity"]) * moving
            elif move.verb == "pulse":
                cycle = beat.seconds / max(1, int(move.amount))
                if local < beat.seconds:
                    s["scale"] = 1.0 + PULSE_GROWTH * math.sin(math.pi * ((local % cycle) / cycle)) ** 2
            elif move.verb == "highlight":
                rise = s["opacity"] + (move.amount - s["opacity"]) * moving
                # After it comes up, it breathes slowly once (never a flash), ending full.
                if MOVE_SECONDS <= local < beat.seconds:
                    f = (local - MOVE_SECONDS) / max(0.001, beat.seconds - MOVE_SECONDS)
                    rise = move.amount * (1 - (1 - HIGHLIGHT_LOW) * math.sin(math.pi * f) ** 2)
                s["opacity"] = rise
    return {part: PartPose(**values) for part, values in state.items()}


def motion_file(svg: Path) -> Path:
    return svg.with_name(svg.stem + MOTION_SUFFIX)


def _beat_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith("[[beats]]")]


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _read_move(item: object, line: int, where: Path, problems: list[Problem]) -> Move | None:
    def bad(message: str) -> None:
        problems.append(Problem(where, line, message))

    if not isinstance(item, dict):
        bad('each move is { verb = "...", part = "..." }')
        return None
    verb, part = item.get("verb"), item.get("part")
    if verb not in VERBS:
        bad(f"verb {verb!r} is not one of {', '.join(VERBS)}")
        return None
    if not isinstance(part, str) or not _PART.match(part):
        bad(f"{verb}: part must be the id of an element in the SVG (got {part!r})")
        return None
    if verb == "move":
        arrive = "from" in item
        by = item.get("from" if arrive else "by")
        if not (isinstance(by, list) and len(by) == 2 and all(_number(v) is not None for v in by)):
            bad(f"move {part}: needs by = [x, y] (or from = [x, y], to come into place)")
            return None
        return Move(verb, part, float(by[0]), float(by[1]), arrive=arrive)
    if verb == "turn":
        degrees = _number(item.get("by"))
        around = item.get("around")
        if degrees is None or not -360 <= degrees <= 360:
            bad(f"turn {part}: needs by = degrees (-360 to 360)")
            return None
        if around is not None and not (isinstance(around, list) and len(around) == 2
                                       and all(_number(v) is not None for v in around)):
            bad(f"turn {part}: around must be [x, y]")
            return None
        x, y = (float(around[0]), float(around[1])) if around else (0.0, 0.0)
        return Move(verb, part, x, y, degrees, around=around is not None)
    if verb == "pulse":
        times = item.get("times", 1)
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            bad(f"pulse {part}: times must be a whole number, 1 or more")
            return None
        return Move(verb, part, amount=float(times))
    to = _number(item.get("to", 1.0))
    if to is None or not 0.0 <= to <= 1.0:
        bad(f"{verb} {part}: to must be a number from 0 (unseen) to 1 (fully seen)")
        return None
    return Move(verb, part, amount=to)


def read_motion(path: Path, svg_ids: set[str] | None = None) -> tuple[Motion | None, list[Problem]]:
    """The motion in ``path`` (captions empty: the packs give them), and what is wrong with it."""
    from kiosk.core.content import toml_text  # (here: a start from the content cache parses no TOML)

    problems: list[Problem] = []
    try:
        text = path.read_text(encoding="utf-8")
        data = toml_text.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(path, 1, f"cannot read it: {exc}")]
    except toml_text.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        return None, [Problem(path, int(match.group(1)) if match else 1, f"not valid TOML: {exc}")]
    lines = _beat_lines(text)
    hidden = data.get("hidden", [])
    if not isinstance(hidden, list) or not all(isinstance(h, str) for h in hidden):
        problems.append(Problem(path, 1, 'hidden must be a list of part ids, like ["dye"]'))
        hidden = []
    raw = data.get("beats")
    if not isinstance(raw, list) or not MIN_BEATS <= len(raw) <= MAX_BEATS:
        count = len(raw) if isinstance(raw, list) else 0
        problems.append(Problem(path, lines[0] if lines else 1, f"needs {MIN_BEATS} to {MAX_BEATS} [[beats]] (found {count})"))
        return None, problems
    beats: list[Beat] = []
    for i, entry in enumerate(raw):
        line = lines[i] if i < len(lines) else 1
        seconds = _number(entry.get("seconds")) if isinstance(entry, dict) else None
        if seconds is None or not MIN_BEAT_SECONDS <= seconds <= MAX_BEAT_SECONDS:
            problems.append(Problem(path, line, f"beat {i + 1}: seconds must be {MIN_BEAT_SECONDS:g} to {MAX_BEAT_SECONDS:g}"))
            seconds = MIN_BEAT_SECONDS
        moves = []
        for item in entry.get("moves", []) if isinstance(entry, dict) else []:
            move = _read_move(item, line, path, problems)
            if move is None:
                continue
            if move.verb in ("pulse", "highlight") and (move.amount if move.verb == "pulse" else 1) / seconds > MAX_CYCLES_PER_SECOND:
                problems.append(Problem(path, line, f"beat {i + 1}: {move.part} would pulse more than once a second"))
            if svg_ids is not None and move.part not in svg_ids:
                problems.append(Problem(path, line, f"beat {i + 1}: no element with id {move.part!r} in {path.name.replace(MOTION_SUFFIX, '.svg')}"))
            moves.append(move)
        beats.append(Beat(seconds, "", tuple(moves)))
    motion = Motion(tuple(hidden), tuple(beats))
    if not MIN_TOTAL_SECONDS <= motion.seconds <= MAX_TOTAL_SECONDS:
        problems.append(Problem(path, lines[0] if lines else 1,
                                f"the beats last {motion.seconds:g} s in all; keep it {MIN_TOTAL_SECONDS:g} to {MAX_TOTAL_SECONDS:g} s"))
    for part in hidden:
        if svg_ids is not None and part not in svg_ids:
            problems.append(Problem(path, 1, f"hidden: no element with id {part!r} in the SVG"))
    return (None if problems else motion), problems


_ID = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")


def svg_ids(svg: Path) -> set[str]:
    """The element ids in an SVG file (a plain scan: the loader never parses SVG)."""
    try:
        return set(_ID.findall(svg.read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return set()
