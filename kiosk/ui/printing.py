"""The take-home handout, printed straight to the clinic's printer (never a dialog),
or to a PDF for IT to check the layout."""

from __future__ import annotations

import logging
import os
import sys
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from kiosk.core.content import DIARY_KIND, ContentPack, WarningTier
from kiosk.core.diary import Diary, build_diary
from kiosk.core.handout import Handout, build_handout
from kiosk.core.render import escape
from kiosk.core.session import Session
from kiosk.core.settings import Settings
from kiosk.core.teach_back import EducationRecord, education_record
from kiosk.ui.diary_sheet import diary_html
from kiosk.ui.theme import FONT_FAMILY

Printout = Handout | Diary  # what goes to the printer: the questions (with the diary, if any), or the diary alone
PAGE_SIZES = {"letter": QPageSize.PageSizeId.Letter, "a4": QPageSize.PageSizeId.A4}
# QTextDocument.print_() puts a 2 cm margin of its own inside the page layout's: with none
# more, 20 mm on every side, inside what any printer can print. (It was 25 mm; with the
# "Education viewed" box, three questions then spilled onto a second page.)
PAGE_MARGIN_MM = 0
NEW_PAGE = '<p style="page-break-before:always; margin:0"></p>'

log = logging.getLogger(__name__)


class PrintError(RuntimeError):
    """The printer could not take the job. The message is for the log, never a patient."""


def handout_html(h: Handout) -> str:
    """One page: clinic, the ticked questions with room for answers, warning signs, date."""
    e = escape
    questions = "".join(
        f'<p style="margin-top:10pt"><b>{n}. {e(q)}</b></p>'
        f'<p style="color:#444444">{e(h.answer_label)} ____________________________________________</p>'
        f'<p>______________________________________________________</p>'
        for n, q in enumerate(h.questions, start=1)
    )

    def tier(t: WarningTier) -> str:
        signs = "".join(f'<li style="margin-bottom:2pt">{e(s)}</li>' for s in t.signs)
        return f'<p style="margin-top:4pt; margin-bottom:2pt"><b>{e(t.heading)}</b></p><ul style="margin-top:0; -qt-list-indent:1">{signs}</ul>'

    # The warning signs side by side (the emergency tier on the left, the others on the
    # right), a little smaller than the questions: the page keeps room for the answers.
    first, rest = (h.warnings[0],), h.warnings[1:]
    warnings = (
        '<table width="100%" cellspacing="0" cellpadding="4" style="font-size:10.5pt"><tr>'
        f'<td width="50%" valign="top">{"".join(tier(t) for t in first)}</td>'
        f'<td width="50%" valign="top">{"".join(tier(t) for t in rest)}</td>'
        "</tr></table>"
    )
    return (
        f'<p style="font-size:11pt; margin-top:0">{e(h.clinic_name)}</p>'
        f'<h1 style="font-size:18pt; margin-top:0">{e(h.title)}</h1>'
        f"<p>{e(h.intro)}</p>"
        f"{questions}"
        f'<h2 style="font-size:14pt; margin-top:18pt">{e(h.warning_title)}</h2>'
        f"{warnings}"
        f"{record_html(h.record)}"
        f'<p style="font-size:9pt; color:#444444; margin-top:12pt">{e(h.disclaimer)} {e(h.date_line)}</p>'
    )


def record_html(record: EducationRecord | None) -> str:
    """The "Education viewed" box, small and framed, for the nurse to file or copy into the
    chart: its items run on as "label: value" (a row each took six lines of the page, and
    with it three questions spilled onto a second page)."""
    if record is None:
        return ""
    e = escape
    items = " &nbsp;·&nbsp; ".join(f"{e(label)}: <b>{e(value)}</b>" for label, value in record.rows)
    return ('<table width="100%" border="1" cellspacing="0" cellpadding="4" '
            'style="font-size:9.5pt; margin-top:10pt; border-color:#444444; border-style:solid">'
            f"<tr><td><b>{e(record.title)}</b> &nbsp;·&nbsp; {items}</td></tr></table>")


def printout_html(printout: Printout) -> str:
    """The questions page (then the diary, on a page of its own), or the diary alone."""
    if isinstance(printout, Diary):
        return diary_html(printout)
    if printout.diary is None:
        return handout_html(printout)
    return handout_html(printout) + NEW_PAGE + diary_html(printout.diary)


def render_handout(printer: QPrinter, handout: Printout) -> None:
    """Lay the handout (or the diary) out on Letter or A4 (config paper_size) with 20 mm
    margins and send it to ``printer``."""
    printer.setPageLayout(QPageLayout(QPageSize(PAGE_SIZES.get(handout.paper_size, QPageSize.PageSizeId.Letter)),
                                      QPageLayout.Orientation.Portrait, QMarginsF(*[PAGE_MARGIN_MM] * 4),
                                      QPageLayout.Unit.Millimeter))
    printer.setDocName("My pain diary" if isinstance(handout, Diary) else "Questions for my care team")
    document = QTextDocument()
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(12)
    document.setDefaultFont(font)
    document.setHtml(printout_html(handout))
    # No page size of our own: print_() lays the text out on the printer's page with
    # point sizes kept, whatever the printer's resolution.
    document.print_(printer)
    if printer.printerState() == QPrinter.PrinterState.Error:
        raise PrintError("the printer reported an error")


def print_to_pdf(handout: Printout, path: Path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    render_handout(printer, handout)


def has_diary(pack: ContentPack) -> bool:
    """A topic offers the pain diary when it has a page of kind "diary"."""
    return any(page.kind == DIARY_KIND for page in pack.pages)


def sample_handout(pack: ContentPack, clinic_name: str, settings: Settings | None = None) -> Handout:
    """The staff test page: the first three questions, so IT sees a realistic layout; with
    ``settings``, on its paper size and followed by the pain diary for their schedule."""
    ticked = [q.id for q in pack.questions[:3]]
    if settings is None:
        return build_handout(pack, ticked, clinic_name, date.today())
    diary = build_diary(pack, settings) if has_diary(pack) else None
    record = education_record(pack, Session(language=pack.language), datetime.now()) if settings.education_record else None
    return build_handout(pack, ticked, clinic_name, date.today(), settings.paper_size, diary, record)


def pdf_target_problem(pdf: Path) -> str | None:
    """Why ``pdf`` cannot be written, or None. Qt only reports a failed PDF as a printer
    error, which sent IT looking at the printer for a mistyped folder."""
    folder = pdf.parent
    if not folder.is_dir():
        return f"cannot write {pdf}: folder {folder} does not exist"
    if pdf.is_dir():
        return f"cannot write {pdf}: it is a folder; name a file in it, e.g. {pdf / 'sample.pdf'}"
    if not os.access(folder, os.W_OK | os.X_OK) or (pdf.exists() and not os.access(pdf, os.W_OK)):
        return f"cannot write {pdf}: no permission to write in folder {folder}"
    return None


def print_sample(pack: ContentPack, settings: Settings, pdf: Path | None) -> int:
    """``kiosk print-test``: to ``pdf`` when given, else to the configured printer."""
    if pdf is not None:
        problem = pdf_target_problem(pdf)
        if problem:
            print(problem, file=sys.stderr)
            return 1
    handout = sample_handout(pack, settings.clinic_name, settings)
    try:
        if pdf is not None:
            print_to_pdf(handout, pdf)
            print(f"sample handout written to {pdf}")
        elif settings.printer:
            print_to_printer(handout, settings.printer)
            print(f"sample handout sent to {settings.printer}")
        else:
            print("No printer is configured (config key 'printer'); use --pdf FILE to check the layout.", file=sys.stderr)
            return 1
    except (PrintError, OSError) as exc:
        print(f"printing failed: {exc}", file=sys.stderr)
        return 1
    return 0


def print_to_printer(handout: Printout, printer_name: str) -> None:
    """Print to the named printer without any dialog; raises PrintError when it cannot."""
    info = QPrinterInfo.printerInfo(printer_name)
    if info.isNull():
        known = ", ".join(p.printerName() for p in QPrinterInfo.availablePrinters()) or "none"
        raise PrintError(f"printer {printer_name!r} not found (available: {known})")
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    render_handout(printer, handout)
