"""Writes small, valid content packs into a temporary folder for loader tests."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.content import INTERFACE_KEYS, TOPIC_UI_KEYS

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="60" viewBox="0 0 80 60"><rect width="80" height="60" fill="#A7D3D6"/></svg>'

PAGES = {
    "intro.md": "Your back has small joints.\n\nSee the [risks](#risks).\n\nCall {{clinic_phone}}.\n",
    "step-one.md": "## Before\n\n- You lie on your belly.\n- We clean your back.\n",
    "risks.md": "Most people feel fine.\n",
    # The warning signs are shown here, on a page the tests leave alone (real packs show
    # them on the risks page).
    "questions.md": "Tap a question.\n\n{{warning_signs}}\n",
    "summary.md": "Show this to your nurse.\n",
}


TOPIC = "thoracic-mbb"  # the topic make_pack writes to unless told otherwise


def interface(language: str = "en") -> str:
    """The text of ``interface/<language>.toml``: every interface word, each "<key> text"."""
    ui = "\n".join(f'{key} = "{key} text {{n}}"' if key.endswith(("count", "step_of", "page_of")) else f'{key} = "{key} text"'
                   for key in INTERFACE_KEYS)
    ui = ui.replace('idle_note = "idle_note text"', 'idle_note = "Clears after {minutes} minutes"')
    ui = ui.replace('idle_body = "idle_body text"', 'idle_body = "Clears in {seconds} seconds"')
    ui = ui.replace('step_of = "step_of text {n}"', 'step_of = "Step {n} of {total}"')
    ui = ui.replace('page_of = "page_of text {n}"', 'page_of = "Page {n} of {total}"')
    return f"# Test interface words ({language})\n\n[ui]\n{ui}\n"


def manifest(language: str = "en", picture: str = "picture.svg") -> str:
    ui = "\n".join(f'{key} = "{key} text"' for key in TOPIC_UI_KEYS)
    return f'''[pack]
language = "{language}"
name = "Test {language}"
version = "1"

[review]
status = "pending clinical review"
reviewed_by = ""
review_date = ""
next_review_due = "2027-01-31"

[ui]
{ui}

[handout]
title = "My questions"
intro = "Write the answers."
answer_label = "Answer:"
warning_title = "After"
date_label = "Printed on"
qr_heading = "My questions:"
disclaimer = "Not advice."

[[warnings]]
tier = "emergency"
heading = "Call {{{{emergency_number}}}} now if you have:"
signs = ["Trouble breathing."]

[[warnings]]
tier = "same-day"
heading = "Call {{{{clinic_phone}}}} today if you have:"
signs = ["Fever.", "Bad pain."]

[[warnings]]
tier = "after-hours"
heading = "After hours:"
signs = ["Go to the emergency room."]

[[sections]]
id = "about"
label = "About"

[[sections]]
id = "steps"
label = "Steps"

[[pages]]
id = "intro"
section = "about"
kind = "info"
title = "What it is"
file = "intro.md"
illustration = "{picture}"
alt = "A picture."
caption = "A caption."

[[pages]]
id = "step-one"
section = "steps"
kind = "stage"
step = 1
title = "Step 1"
file = "step-one.md"

[[pages]]
id = "risks"
section = "steps"
kind = "info"
title = "Risks"
file = "risks.md"

[[pages]]
id = "questions"
section = "steps"
kind = "checklist"
title = "Questions"
file = "questions.md"

[[pages]]
id = "summary"
section = "steps"
kind = "summary"
title = "Your list"
file = "summary.md"

[[groups]]
id = "benefits"
title = "Benefits"

[[questions]]
id = "q-one"
group = "benefits"
text = "What will this show?"
why = "So you know."

[[questions]]
id = "q-two"
group = "benefits"
text = "When will I know?"
why = "So you can plan."
'''


def make_pack(root: Path, language: str = "en", picture: str = "picture.svg", topic: str = TOPIC) -> tuple[Path, Path]:
    """Write a valid pack to ``root/content/<topic>/<language>``, and its interface words to
    ``root/content/interface/<language>.toml``; return (pack folder, illustrations folder)."""
    pictures = root / "illustrations"
    pictures.mkdir(parents=True, exist_ok=True)
    (pictures / "picture.svg").write_text(SVG, encoding="utf-8")
    words = root / "content" / "interface" / f"{language}.toml"
    words.parent.mkdir(parents=True, exist_ok=True)
    if not words.exists():
        words.write_text(interface(language), encoding="utf-8")
    folder = root / "content" / topic / language
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.toml").write_text(manifest(language, picture), encoding="utf-8")
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder, pictures


def interface_path(folder: Path) -> Path:
    """The interface words file of the pack in ``folder`` (as make_pack writes it)."""
    return folder.parent.parent / "interface" / f"{folder.name}.toml"


SECOND_TOPIC = "thoracic-rfa"
SECOND_PAGES = {
    "what-it-is.md": "Heat calms the small nerves.\n\nSee [the block](thoracic-mbb#intro).\n",
    "step-one.md": "- You lie on your belly.\n",
    "questions.md": "Tap a question.\n\n{{warning_signs}}\n",
    "summary.md": "Show this to your nurse.\n",
}


def make_second_topic(root: Path, language: str = "en", picture: str = "picture.svg") -> Path:
    """Write a small second topic, ``thoracic-rfa``, to ``root/content/thoracic-rfa/<language>``
    (the interface words as make_pack writes them): four pages, the first linking to the
    first topic's ``intro`` page. Returns the pack folder."""
    folder, _ = make_pack(root, language, picture, topic=SECOND_TOPIC)
    for name in PAGES:
        (folder / name).unlink()
    for name, text in SECOND_PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    text = (folder / "pack.toml").read_text(encoding="utf-8")
    text = text.replace('id = "intro"', 'id = "what-it-is"').replace('file = "intro.md"', 'file = "what-it-is.md"')
    text = text.replace('[[pages]]\nid = "risks"\nsection = "steps"\nkind = "info"\ntitle = "Risks"\nfile = "risks.md"\n\n', "")
    text = text.replace('[ui]\n', '[topic]\ntitle = "Nerve ablation"\nsummary = "Heat calms the nerves for longer."\n\n[ui]\n', 1)
    (folder / "pack.toml").write_text(text, encoding="utf-8")
    return folder


def add_clinic_picture(root: Path, name: str, data: str | bytes = SVG) -> Path:
    """Write a clinic's own picture to ``root/content/illustrations`` (beside the topic folders)."""
    folder = root / "content" / "illustrations"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


VALUES = {"clinic_name": "Sunrise Pain Clinic", "clinic_phone": "555-0142", "emergency_number": "911"}
