"""The pain diary: the clinic's schedule (config), the words that describe it, and the
printed page's contents, without Qt.

A diagnostic block is judged by scores the patient writes at home over hours, so the
diary is paper: the kiosk prints it (``kiosk.ui.diary_sheet``) and the after-care page
describes the same schedule, generated here from the same config in the page's language.
Nothing about the patient goes into it: no name, no score, no date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.core.content import ContentPack
    from kiosk.core.settings import Settings

# The common plan (content brief, UW Health; issue 15): every 15 minutes for the first
# hour, then every hour until 8 hours after the block; then once a day for 2 weeks.
DEFAULT_SCHEDULE = ("0:15", "0:30", "0:45", "1:00", "2:00", "3:00", "4:00", "5:00", "6:00", "7:00", "8:00")
DEFAULT_DAILY_DAYS = 14
MAX_ROWS = 14  # timed rows that still fit one Letter page with 4 weeks of daily boxes, at a size easy to write in
MAX_HOURS = 48
MAX_DAILY_DAYS = 28  # four weeks (the common plan asks for two)
RETURN_WAYS = ("either", "bring", "phone")  # config diary_return
PAPER_SIZES = ("letter", "a4")  # config paper_size

# How the schedule reaches the content loader: as placeholder values, so the content cache
# (keyed on those values) never serves page text made for another schedule.
SCHEDULE_VALUE = "diary_schedule"
DAILY_VALUE = "diary_daily_days"
PLAN_BLOCK = "diary_plan"  # {{diary_plan}}, alone on a line of a page: the plan as bullet points
PRACTICE_BLOCK = "practice_scale"  # {{practice_scale}}, alone on a line of a "diary" page

_TIME = re.compile(r"^(\d{1,2}):([0-5]\d)$")

# (interface key, count, other fields) -> the words, singular or plural as the count needs.
Words = Callable[..., str]


def minutes_of(text: str) -> int:
    """Minutes after the block of an ``"H:MM"`` time; ValueError for anything else."""
    match = _TIME.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"{text!r} is not a time like \"0:15\" (hours:minutes after the block)")
    return int(match.group(1)) * 60 + int(match.group(2))


def check_schedule(value: object) -> tuple[str, ...]:
    """The config's ``diary_schedule`` as a tuple, or ValueError saying what is wrong."""
    example = 'must be a list of times after the block, like ["0:15", "0:30", "1:00", "2:00"]'
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ValueError(example)
    if len(value) > MAX_ROWS:
        raise ValueError(f"has {len(value)} times; at most {MAX_ROWS} fit on the printed page")
    times = [minutes_of(v) for v in value]
    if times[0] <= 0:
        raise ValueError(f"starts at {value[0]!r}; the first time must be after the block (0:01 or later)")
    for before, after, text in zip(times, times[1:], value[1:], strict=False):
        if after <= before:
            raise ValueError(f"{text!r} is not later than the time before it; list the times in order")
    if times[-1] > MAX_HOURS * 60:
        raise ValueError(f"{value[-1]!r} is more than {MAX_HOURS} hours after the block; use diary_daily_days for days")
    return tuple(v.strip() for v in value)


def schedule_values(schedule: tuple[str, ...], daily_days: int) -> dict[str, str]:
    """The schedule as the content loader's placeholder values."""
    return {SCHEDULE_VALUE: " ".join(schedule), DAILY_VALUE: str(daily_days)}


def schedule_from_values(values: Mapping[str, str]) -> tuple[list[int], int]:
    """(minutes after the block of each row, daily days) from placeholder values; the
    defaults when they are not there (a pack loaded without settings, as tests do)."""
    try:
        times = [minutes_of(t) for t in values[SCHEDULE_VALUE].split()]
        days = int(values[DAILY_VALUE])
    except (KeyError, ValueError):
        return [minutes_of(t) for t in DEFAULT_SCHEDULE], DEFAULT_DAILY_DAYS
    return times, days


def duration(minutes: int, words: Words) -> str:
    """"15 minutes", "1 hour", "90 minutes": whole hours in hours, anything else in minutes."""
    if minutes % 60 == 0:
        return words("diary_hours", minutes // 60)
    return words("diary_minutes", minutes)


def interval(minutes: int, words: Words) -> str:
    """"every 15 minutes", "every hour"."""
    if minutes % 60 == 0:
        return words("diary_every_hours", minutes // 60)
    return words("diary_every_minutes", minutes)


def plan_lines(times: list[int], daily_days: int, words: Words) -> list[str]:
    """The schedule in sentences: one per run of equal steps ("Until 1 hour after the block,
    rate your pain every 15 minutes."), a time on its own where a step is not repeated,
    then the daily scores."""
    runs: list[tuple[int, int, int]] = []  # (step, end, how many times)
    start = 0
    for t in times:
        step = t - start
        if runs and runs[-1][0] == step:
            runs[-1] = (step, t, runs[-1][2] + 1)
        else:
            runs.append((step, t, 1))
        start = t
    lines: list[str] = []
    for step, end, count in runs:
        first = not lines
        key = ("diary_plan_first" if first else "diary_plan_next") if count > 1 else ("diary_plan_at_first" if first else "diary_plan_at_next")
        lines.append(words(key, end=duration(end, words), every=interval(step, words)))
    if daily_days:
        lines.append(words("diary_plan_daily", daily_days))
    return lines


def words_from(ui: Mapping[str, str], singular: Callable[[int], bool]) -> Words:
    """A :data:`Words` over interface words ``ui`` (``<key>_one`` for a count said in the singular)."""

    def say(key: str, count: int = 0, **fields: str) -> str:
        if count and singular(count) and f"{key}_one" in ui:
            key = f"{key}_one"
        return ui[key].format(n=count, **fields)  # (every interface word is a format string)

    return say


def plan_markdown(values: Mapping[str, str], ui: Mapping[str, str], singular: Callable[[int], bool]) -> str:
    """What ``{{diary_plan}}`` becomes on a page: the plan as Markdown bullet points."""
    times, days = schedule_from_values(values)
    return "\n".join(f"- {line}" for line in plan_lines(times, days, words_from(ui, singular)))


# --------------------------------------------------------------------------- the printed page


@dataclass(frozen=True)
class Diary:
    """The printed diary's words and rows, in the patient's language. Built from the content
    and the config only: the same page for every patient."""

    language: str
    paper_size: str
    clinic_name: str
    title: str
    intro: str
    name_label: str  # left blank: nothing about the patient is printed
    before_label: str
    columns: tuple[str, str, str, str]  # time after the block, clock time, score, what I did
    rows: tuple[str, ...]  # "15 minutes", "1 hour", ...
    relief_label: str
    medicine_label: str
    daily_title: str
    days: tuple[str, ...]  # "Day 1", ...
    scale_title: str
    scale_words: tuple[str, str, str]  # at 0, 5 and 10
    return_line: str
    contact_line: str


def build_diary(pack: ContentPack, settings: Settings) -> Diary:
    """The diary for ``settings``' schedule in ``pack``'s language."""
    from kiosk.core.content.model import is_singular

    words = words_from(pack.ui, lambda n: is_singular(pack.language, n))

    times = [minutes_of(t) for t in settings.diary_schedule]
    return Diary(
        language=pack.language,
        paper_size=settings.paper_size,
        clinic_name=settings.clinic_name,
        title=words("diary_title"),
        intro=words("diary_intro"),
        name_label=words("diary_name"),
        before_label=words("diary_before"),
        columns=(words("diary_col_after"), words("diary_col_clock"), words("diary_col_score"), words("diary_col_activity")),
        rows=tuple(duration(t, words) for t in times),
        relief_label=words("diary_relief"),
        medicine_label=words("diary_medicine"),
        daily_title=words("diary_daily_title"),
        days=tuple(words("diary_day", n) for n in range(1, settings.diary_daily_days + 1)),
        scale_title=words("diary_scale_title"),
        scale_words=(words("scale_0"), words("scale_5"), words("scale_10")),
        return_line=words(f"diary_return_{settings.diary_return}"),
        contact_line=words("diary_contact"),
    )
