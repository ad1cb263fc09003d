"""The printed pain diary: one page, laid out as Qt rich text (the handout's way of printing).

Boxes to write in, a row for each time of the clinic's schedule, the 0-10 scale with words
at 0, 5 and 10 (numbers only: no faces scale, whose pictures are under copyright), how to
return it, and the clinic's name and phone. Nothing about the patient: the name line is blank.
"""

from __future__ import annotations

from kiosk.core.diary import Diary
from kiosk.core.render import escape

# Room in each row for a handwritten time and number (Qt's rich text ignores a cell's height:
# the cell padding makes it), a little less when the clinic's schedule has many rows (the
# page must stay one page: kiosk.core.diary.MAX_ROWS).
PAD_ROOMY = 6
PAD_TIGHT = 2
ROOMY_ROWS = 11  # the common plan's rows ...
ROOMY_DAYS = 14  # ... and days
DAYS_PER_LINE = 14  # two weeks a line
DAILY_LINES_ROOMY = 2  # blank lines under each day's name
DAILY_LINES_TIGHT = 1
LINE = "#000000"


def _cell(text: str, width: str = "", bold: bool = False) -> str:
    style = ' style="font-weight:bold"' if bold else ""
    w = f' width="{width}"' if width else ""
    return f'<td{w} valign="middle"{style}>{escape(text)}</td>'


def _schedule_table(d: Diary) -> str:
    pad = PAD_ROOMY if _roomy(d) else PAD_TIGHT
    head = "".join(_cell(c, w, bold=True) for c, w in zip(d.columns, ("27%", "15%", "17%", "41%"), strict=True))
    rows = [f"<tr>{_cell(d.before_label, bold=True)}<td></td><td></td><td></td></tr>"]
    rows += [f"<tr>{_cell(label)}<td></td><td></td><td></td></tr>" for label in d.rows]
    return (f'<table width="100%" border="1" cellspacing="0" cellpadding="{pad}" style="border-color:{LINE}; '
            f'border-style:solid; margin-top:6pt">'
            f'<tr style="background-color:#E6E6E6">{head}</tr>{"".join(rows)}</table>')


def _roomy(d: Diary) -> bool:
    """The common plan's rows and days or fewer: room to give each box more height."""
    return len(d.rows) <= ROOMY_ROWS and len(d.days) <= ROOMY_DAYS


def _daily_table(d: Diary) -> str:
    if not d.days:
        return ""
    # Under the day's name, lines left blank: room to write the score (at 8 pt one line
    # left about 4 mm, too little for a shaky hand; two where the page has room for them).
    room = "<br>" * (DAILY_LINES_ROOMY if _roomy(d) else DAILY_LINES_TIGHT)
    lines = []
    for start in range(0, len(d.days), DAYS_PER_LINE):
        chunk = list(d.days[start: start + DAYS_PER_LINE])
        chunk += [""] * (DAYS_PER_LINE - len(chunk))
        cells = "".join(f'<td width="{100 / DAYS_PER_LINE:.2f}%" valign="top" style="font-size:8pt">'
                        f"{escape(day)}{room}</td>" for day in chunk)
        lines.append(f"<tr>{cells}</tr>")
    return (f'<p style="margin-top:5pt; margin-bottom:2pt"><b>{escape(d.daily_title)}</b></p>'
            f'<table width="100%" border="1" cellspacing="0" cellpadding="3" style="border-color:{LINE}; '
            f'border-style:solid">{"".join(lines)}</table>')


def _width(columns: int) -> str:
    """The width of ``columns`` of the scale's eleven equal columns, as a percentage."""
    return f"{columns * 100 / 11:.2f}%"


def _scale(d: Diary) -> str:
    """0 to 10 in boxes, with its words under 0, 5 and 10.

    The words are a table of their own (no boxes round them) whose cells cover the numbers'
    columns 0-3, 4-6 and 7-10, each column an eleventh of the width: so the middle word is
    centred under 5. (Cells that only span columns give Qt nothing to size the columns by:
    it made them as wide as their words, and "Medium pain" stood under 3 and 4.)"""
    numbers = "".join(f'<td width="{_width(1)}" align="center" style="font-size:13pt; font-weight:bold">{n}</td>'
                      for n in range(11))
    low, middle, high = (escape(w) for w in d.scale_words)
    words = (f'<td width="{_width(4)}" align="left" valign="top">{low}</td>'
             f'<td width="{_width(3)}" align="center" valign="top">{middle}</td>'
             f'<td width="{_width(4)}" align="right" valign="top">{high}</td>')
    return (f'<p style="margin-top:5pt; margin-bottom:2pt"><b>{escape(d.scale_title)}</b></p>'
            f'<table width="100%" border="1" cellspacing="0" cellpadding="3" style="border-color:{LINE}; '
            f'border-style:solid"><tr>{numbers}</tr></table>'
            f'<table width="100%" cellspacing="0" cellpadding="2" style="font-size:10pt"><tr>{words}</tr></table>')


def diary_html(d: Diary) -> str:
    """The whole page, as rich text for QTextDocument."""
    e = escape
    header = (f'<p style="font-size:11pt; margin:0">{e(d.clinic_name)}</p>'
              f'<table width="100%" cellspacing="0" cellpadding="0"><tr>'
              f'<td valign="bottom"><h1 style="font-size:20pt; margin:0">{e(d.title)}</h1></td>'
              f'<td valign="bottom" align="right">{e(d.name_label)} ______________________</td></tr></table>')
    blank = "_" * 40
    # The clinic's name and phone, unless the return line has just said them.
    contact = "" if d.clinic_name in d.return_line else f" {e(d.contact_line)}"
    return (
        f"{header}"
        f'<p style="margin-top:4pt; font-size:11pt">{e(d.intro)}</p>'
        f"{_scale(d)}"
        f"{_schedule_table(d)}"
        f'<p style="margin-top:5pt">{e(d.relief_label)} ____________________</p>'
        f'<p style="margin-top:3pt">{e(d.medicine_label)} {blank}</p>'
        f"{_daily_table(d)}"
        f'<p style="margin-top:5pt; font-size:11pt"><b>{e(d.return_line)}</b>{contact}</p>'
    )
