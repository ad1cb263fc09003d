"""Colours, font sizes and the application style sheet, for each theme and text size."""

from __future__ import annotations

from dataclasses import dataclass

FONT_FAMILY = "Atkinson Hyperlegible"
BASE_BODY_PX = 26  # body text at 100 %; a 70-year-old reads it at arm's length
MIN_TARGET_PX = 48
PAGE_TITLE_FACTOR = 1.5
H2_FACTOR = 1.2
H3_FACTOR = 1.08
# The frame (progress, navigation, tools) grows with the text size up to this factor,
# so that at 200 % every control still fits on a 1280-pixel-wide panel.
FRAME_SCALE_CAP = 1.5


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    surface: str  # cards, rows
    text: str
    muted: str  # secondary text (captions, "why ask")
    primary: str  # main buttons
    on_primary: str
    secondary: str  # other buttons
    on_secondary: str
    border: str  # control outlines
    focus: str  # keyboard focus ring
    ticked: str  # background of a ticked question
    progress_done: str
    disabled: str


WARM = Theme(
    name="warm",
    background="#FBF7F0",
    surface="#FFFFFF",
    text="#1F2328",
    muted="#3F4650",
    primary="#145A63",
    on_primary="#FFFFFF",
    secondary="#F1E6D6",
    on_secondary="#1F2328",
    border="#6B5B45",
    focus="#B3400F",
    ticked="#DDF0EE",
    progress_done="#145A63",
    disabled="#8A8F96",
)

HIGH_CONTRAST = Theme(
    name="high-contrast",
    background="#000000",
    surface="#000000",
    text="#FFFFFF",
    muted="#FFFFFF",
    primary="#FFE14D",
    on_primary="#000000",
    secondary="#000000",
    on_secondary="#FFFFFF",
    border="#FFFFFF",
    focus="#3FD0FF",
    ticked="#003B4D",
    progress_done="#FFE14D",
    disabled="#BDBDBD",
)


def theme_for(high_contrast: bool) -> Theme:
    return HIGH_CONTRAST if high_contrast else WARM


def px(base: float, scale: float) -> int:
    return round(base * scale)


def style_sheet(theme: Theme, scale: float) -> str:
    """The whole application's style sheet. Widgets pick parts by objectName/property."""
    body = px(BASE_BODY_PX, scale)
    small = px(BASE_BODY_PX * 0.8, scale)
    title = px(BASE_BODY_PX * 1.45, min(scale, FRAME_SCALE_CAP))  # already large at 100 %
    # A page's own title grows with the text, so it stays bigger than the headings in
    # the page (rich_text_css: h2 1.2, h3 1.08 of body size), at 200 % too.
    page_title = px(PAGE_TITLE_FACTOR * BASE_BODY_PX, scale)
    # Display text (welcome title, start button) is already twice body size at 100 %.
    big = px(BASE_BODY_PX * 1.9, min(scale, FRAME_SCALE_CAP))
    button = px(BASE_BODY_PX * 0.95, scale)
    pad = px(10, min(scale, 1.5))
    frame_scale = min(scale, FRAME_SCALE_CAP)
    frame_button = px(BASE_BODY_PX * 0.95, frame_scale)
    frame_small = px(BASE_BODY_PX * 0.8, frame_scale)
    t = theme
    return f"""
* {{ font-family: "{FONT_FAMILY}"; }}
QWidget#KioskWindow {{ background: {t.background}; color: {t.text}; }}
QWidget#PageBody, QStackedWidget, QScrollArea, QScrollArea > QWidget, QScrollArea > QWidget > QWidget {{
    background: transparent; color: {t.text};
}}
QLabel {{ color: {t.text}; font-size: {body}px; background: transparent; }}
QLabel[role="title"] {{ font-size: {title}px; font-weight: bold; }}
QLabel[role="page-title"] {{ font-size: {page_title}px; font-weight: bold; }}
QLabel[role="welcome-title"] {{ font-size: {big}px; font-weight: bold; }}
QLabel[role="step"] {{ font-size: {small}px; font-weight: bold; color: {t.primary if t.name == "warm" else t.text}; }}
QLabel[role="muted"], QLabel[role="caption"], QLabel[role="disclaimer"] {{ font-size: {small}px; color: {t.muted}; }}
QLabel[role="beat-caption"] {{ font-size: {body}px; font-weight: bold; color: {t.text}; }}
QLabel[role="beat-list"] {{ font-size: {body}px; color: {t.text}; }}
QLabel[role="demo"] {{ font-size: {small}px; color: {t.on_primary}; background: {t.focus}; padding: 4px 12px; }}
QPushButton {{
    font-size: {button}px; font-weight: bold;
    /* min-height is the content box: + 2 x 10 px padding + 2 x 2 px border >= 48 px */
    min-height: 28px;
    padding: 10px {pad * 2}px;
    border-radius: 12px; border: 2px solid {t.border};
    background: {t.secondary}; color: {t.on_secondary};
}}
QPushButton:focus {{ border: 4px solid {t.focus}; }}
QPushButton:disabled {{ color: {t.disabled}; border-color: {t.disabled}; }}
QPushButton[role="primary"] {{ background: {t.primary}; color: {t.on_primary}; border-color: {t.primary}; }}
QPushButton[role="primary"]:focus {{ border: 4px solid {t.focus}; }}
QPushButton[role="start"] {{ font-size: {big}px; padding: {pad * 2}px {pad * 5}px; background: {t.primary}; color: {t.on_primary}; border-radius: 20px; }}
QPushButton[role="topic"] {{ background: {t.surface}; color: {t.text}; border: 3px solid {t.primary}; border-radius: 20px; padding: 0; }}
QPushButton[role="topic"]:focus {{ border: 5px solid {t.focus}; }}
QLabel[role="topic-title"] {{ font-size: {title}px; font-weight: bold; }}
/* A section's border is as thick in every state (3 px; with the 4 px focus ring, 1 px less
   padding), so the header's height never changes: when a section became "done" the header
   grew 2 px, moving the page under it and laying out and painting the window twice. */
QPushButton[role="section"] {{ border-radius: 24px; border-width: 3px; }}
QPushButton[role="section"][state="current"] {{ background: {t.primary}; color: {t.on_primary}; border-color: {t.primary}; }}
QPushButton[role="section"][state="done"] {{ border: 3px solid {t.progress_done}; }}
QPushButton[role="section"]:focus, QPushButton[role="section"][state="current"]:focus, QPushButton[role="section"][state="done"]:focus {{
    border: 4px solid {t.focus}; padding: 9px {pad * 2 - 1}px;
}}
QPushButton[role="language"][state="current"] {{ background: {t.primary}; color: {t.on_primary}; }}
QPushButton#contrast:checked, QPushButton#less-motion:checked {{ background: {t.primary}; color: {t.on_primary}; border-color: {t.primary}; }}
QPushButton#contrast:checked:focus, QPushButton#less-motion:checked:focus {{ border: 4px solid {t.focus}; }}
QPushButton[role="score"] {{ padding: 10px 4px; min-width: 40px; }}
QPushButton[role="score"]:checked {{ background: {t.primary}; color: {t.on_primary}; border: 3px solid {t.primary}; }}
QPushButton[role="score"]:checked:focus {{ border: 4px solid {t.focus}; }}
QFrame#practice {{ background: {t.surface}; border: 2px solid {t.border}; border-radius: 14px; }}
QFrame#practice-sample {{ background: {t.background}; border: 2px solid {t.text}; border-radius: 6px; }}
QPushButton[role="question"] {{
    text-align: left; font-weight: normal; font-size: {body}px;
    background: {t.surface}; color: {t.text}; border-radius: 14px; padding: {pad}px;
}}
QPushButton[role="question"]:checked {{ background: {t.ticked}; border: 3px solid {t.primary}; }}
QPushButton[role="question"]:focus {{ border: 4px solid {t.focus}; }}
QPushButton[role="question"]:disabled {{ color: {t.text}; }}
QFrame#check-feedback {{ background: {t.surface}; border: 3px solid {t.primary}; border-radius: 14px; }}
QFrame#Header QPushButton, QFrame#Footer QPushButton, QFrame#Toolbar QPushButton {{
    font-size: {frame_button}px;
}}
/* Six toolbar buttons (with Less motion) stay on one row on a 1280 px panel at 100 %. */
QFrame#Toolbar QPushButton {{ padding: 10px {pad}px; }}
QFrame#Footer QLabel {{ font-size: {frame_small}px; }}
QFrame#Toolbar {{ background: {t.background}; border: none; }}
QFrame#Footer, QFrame#Header {{ background: {t.surface if t.name == "warm" else t.background}; border: none; }}
QFrame#Header {{ border-bottom: 2px solid {t.border}; }}
QFrame#Footer {{ border-top: 2px solid {t.border}; }}
QScrollBar:vertical {{ width: {px(18, min(scale, 1.5))}px; background: {t.background}; }}
QScrollBar::handle:vertical {{ background: {t.border}; border-radius: 6px; min-height: 48px; }}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; }}
"""


def rich_text_css(theme: Theme, scale: float) -> str:
    """Style for the sanitised page HTML shown in rich-text labels: headings a step
    below the page title, so the title still reads as the biggest thing."""
    h2 = px(BASE_BODY_PX * H2_FACTOR, scale)
    h3 = px(BASE_BODY_PX * H3_FACTOR, scale)
    return (
        f"a {{ color: {theme.primary if theme.name == 'warm' else theme.focus}; font-weight: bold; }}"
        f"h2 {{ font-size: {h2}px; margin-top: 18px; margin-bottom: 6px; }}"
        f"h3 {{ font-size: {h3}px; margin-top: 14px; margin-bottom: 4px; }}"
        "li { margin-bottom: 6px; } p { margin-bottom: 10px; }"
    )
