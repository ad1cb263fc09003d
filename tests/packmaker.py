"""Writes small, valid content packs into a temporary folder for loader tests."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.content import UI_KEYS

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


def manifest(language: str = "en", picture: str = "picture.svg") -> str:
    ui = "\n".join(f'{key} = "{key} text {{n}}"' if key.endswith(("count", "step_of", "page_of")) else f'{key} = "{key} text"' for key in UI_KEYS)
    ui = ui.replace('idle_note = "idle_note text"', 'idle_note = "Clears after {minutes} minutes"')
    ui = ui.replace('idle_body = "idle_body text"', 'idle_body = "Clears in {seconds} seconds"')
    ui = ui.replace('step_of = "step_of text {n}"', 'step_of = "Step {n} of {total}"')
    ui = ui.replace('page_of = "page_of text {n}"', 'page_of = "Page {n} of {total}"')
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


def make_pack(root: Path, language: str = "en", picture: str = "picture.svg") -> tuple[Path, Path]:
    """Write a valid pack to ``root/content/<language>``; return (pack folder, illustrations folder)."""
    pictures = root / "illustrations"
    pictures.mkdir(parents=True, exist_ok=True)
    (pictures / "picture.svg").write_text(SVG, encoding="utf-8")
    folder = root / "content" / language
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.toml").write_text(manifest(language, picture), encoding="utf-8")
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder, pictures


def add_clinic_picture(root: Path, name: str, data: str | bytes = SVG) -> Path:
    """Write a clinic's own picture to ``root/content/illustrations`` (beside the language folders)."""
    folder = root / "content" / "illustrations"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


VALUES = {"clinic_name": "Sunrise Pain Clinic", "clinic_phone": "555-0142", "emergency_number": "911"}
