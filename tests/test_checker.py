"""``kiosk check-content``'s plain-language checks: sentence length and medical jargon, at their lines."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.checker import check_content
from kiosk.core.content import load_library
from kiosk.core.jargon import JARGON
from kiosk.core.plain_language import check_pack, sentences, word_count
from kiosk.core.readability import ReadingLimits
from kiosk.core.resources import assets_dir, content_dir
from kiosk.core.settings import Settings, drop_missing_languages
from tests.packmaker import make_pack

SETTINGS = Settings(clinic_name="Sunrise Pain Clinic", clinic_phone="555-0142")


def words(n: int, start: str = "We") -> str:
    """A plain sentence of exactly ``n`` words."""
    return " ".join([start, *(["rest"] * (n - 2)), "today."])


def check(tmp_path: Path, limits: ReadingLimits | None = None) -> tuple[int, list[str]]:
    out = io.StringIO()
    root = tmp_path / "content"  # as the command line does: the languages the folder has
    code = check_content(root, drop_missing_languages(SETTINGS, root), limits or ReadingLimits(), out=out)
    return code, out.getvalue().splitlines()


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    folder, _ = make_pack(tmp_path, picture="spine-facets.svg")  # a bundled picture: check_content uses assets/
    return folder


def line_of(path: Path, text: str) -> int:
    return next(i + 1 for i, t in enumerate(path.read_text(encoding="utf-8").splitlines()) if t == text)


def test_the_test_pack_passes(tmp_path: Path, pack: Path) -> None:
    code, out = check(tmp_path)
    assert code == 0 and out[-1] == "OK", out


def test_long_sentence_fails_at_its_line(tmp_path: Path, pack: Path) -> None:
    (pack / "risks.md").write_text(f"Most people feel fine.\n\n{words(26, 'Sometimes')}\n")
    code, out = check(tmp_path)
    assert code == 1
    assert f'{pack / "risks.md"}:3: sentence has 26 words (limit 25): "Sometimes rest rest rest rest rest ..."; split it' in out
    assert out[-1] == "1 plain-language problem(s) found."


def test_a_sentence_at_the_limit_passes(tmp_path: Path, pack: Path) -> None:
    (pack / "risks.md").write_text(f"Most people feel fine.\n\n{words(25)}\n")
    assert check(tmp_path)[0] == 0


def test_the_limit_comes_from_reading_limits(tmp_path: Path, pack: Path) -> None:
    (pack / "risks.md").write_text(f"{words(12)}\n")
    code, out = check(tmp_path, ReadingLimits(max_sentence_words=10))
    assert code == 1 and f'{pack / "risks.md"}:1: sentence has 12 words (limit 10): "We rest rest rest rest rest ..."; split it' in out


def test_sentence_is_located_where_it_starts(tmp_path: Path, pack: Path) -> None:
    # The long sentence starts mid-line 2 of a paragraph, after a link and a placeholder.
    (pack / "risks.md").write_text(
        "Most people feel fine.\n\n"
        "See the [risks](#risks) page.\n"
        f"Call {{{{clinic_phone}}}} now. {{{{clinic_name}}}} staff {words(24, 'can')[:-1]}\n"
        "and more.\n"
    )
    _, out = check(tmp_path)
    problems = [line for line in out if "sentence has" in line]
    assert problems == [f'{pack / "risks.md"}:4: sentence has 30 words (limit 25): "Sunrise Pain Clinic staff can rest ..."; split it']


def test_every_bullet_and_heading_is_its_own_sentence(tmp_path: Path, pack: Path) -> None:
    bullets = "\n".join(f"- Bring your list number {i}" for i in range(10))  # 50 words, no full stops
    (pack / "risks.md").write_text(f"## What to bring with you on the day\n\n{bullets}\n")
    assert check(tmp_path)[0] == 0


def test_long_bullet_is_reported_at_its_line(tmp_path: Path, pack: Path) -> None:
    (pack / "step-one.md").write_text(f"## Before\n\n- You lie on your belly.\n- {words(30, 'Then')}\n")
    code, out = check(tmp_path)
    assert code == 1 and f'{pack / "step-one.md"}:4: sentence has 30 words (limit 25): "Then rest rest rest rest rest ..."; split it' in out


@pytest.mark.parametrize(("text", "word", "plain"), [
    ("The doctor uses fluoroscopy to see.", "fluoroscopy", "X-ray"),
    ("Fluoroscopy helps the doctor.", "Fluoroscopy", "X-ray"),
    ("Take your analgesics as usual.", "analgesics", "pain medicine"),
    ("It is done on a bilateral basis.", "bilateral", "on both sides"),
])
def test_jargon_in_a_page_names_the_plain_word(tmp_path: Path, pack: Path, text: str, word: str, plain: str) -> None:
    (pack / "risks.md").write_text(f"Most people feel fine.\n\nThe doctor will check you.\n{text}\n")
    code, out = check(tmp_path)
    assert code == 1
    assert f'{pack / "risks.md"}:4: "{word}" is medical jargon; say "{plain}" instead' in out


@pytest.mark.parametrize("text", ["Fluoroscopyx is not a word.", "The fluoro scopy is split.", "An [X-ray](#risks) helps."])
def test_only_whole_jargon_words_count(tmp_path: Path, pack: Path, text: str) -> None:
    (pack / "risks.md").write_text(f"{text}\n")
    assert check(tmp_path)[0] == 0


def test_spanish_jargon_ignores_accents_and_matches_gender_and_plural(tmp_path: Path) -> None:
    folder, _ = make_pack(tmp_path, "es", picture="spine-facets.svg")
    (folder / "risks.md").write_text("La mayoría se siente bien.\n\nEs contraindicada para usted.\n\nTome analgesicos.\n")
    code, out = check(tmp_path)
    assert code == 1
    assert f'{folder / "risks.md"}:3: "contraindicada" is medical jargon; say "no es seguro para usted" instead' in out
    assert f'{folder / "risks.md"}:5: "analgesicos" is medical jargon; say "medicina para el dolor" instead' in out


def test_manifest_texts_are_checked_at_their_lines(tmp_path: Path, pack: Path) -> None:
    manifest = pack / "pack.toml"
    text = manifest.read_text()
    text = text.replace('why = "So you can plan."', 'why = "So you know the efficacy."')
    text = text.replace('caption = "A caption."', f'caption = "{words(26, "Here")}"')
    manifest.write_text(text)
    code, out = check(tmp_path)
    assert code == 1
    why = line_of(manifest, 'why = "So you know the efficacy."')
    assert f'{manifest}:{why}: "efficacy" is medical jargon; say "how well it works" instead' in out
    caption = next(i + 1 for i, t in enumerate(text.splitlines()) if t.startswith("caption = "))
    assert f'{manifest}:{caption}: sentence has 26 words (limit 25): "Here rest rest rest rest rest ..."; split it' in out


def test_reading_and_plain_language_failures_are_both_listed(tmp_path: Path, pack: Path) -> None:
    (pack / "risks.md").write_text(
        "Notwithstanding contemporaneous pharmacological considerations, interventional radiological "
        "administration of corticosteroid formulations necessitates comprehensive individualised "
        "evaluation of contraindications under fluoroscopy.\n"
    )
    code, out = check(tmp_path)
    assert code == 1
    assert out[-2] == "2 reading-level problem(s) found."  # the page and the pack's average
    assert out[-1] == "1 plain-language problem(s) found."


def test_shipped_content_passes_the_plain_language_checks() -> None:
    values = SETTINGS.placeholder_values()
    library = load_library(content_dir(), ["en", "es"], values, assets_dir() / "illustrations")
    for pack in library.packs.values():
        assert check_pack(pack, values, ReadingLimits().max_sentence_words) == [], pack.language


def test_jargon_lists_are_short_lower_case_and_have_plain_words() -> None:
    assert set(JARGON) == {"en", "es"}
    for language, words_ in JARGON.items():
        assert 10 <= len(words_) <= 15, language
        for word, plain in words_.items():
            assert word == word.lower().strip() and " " not in word and plain.strip(), (language, word)


@pytest.mark.parametrize(("block", "expected"), [
    ("One. Two words! Three words here? Four", ["One.", "Two words!", "Three words here?", "Four"]),
    ("Fever over 100.4°F. Call us.", ["Fever over 100.4°F.", "Call us."]),
    ("¿Tiene fiebre? Llame ya.", ["¿Tiene fiebre?", "Llame ya."]),
    ('He said "stop." Then left.', ['He said "stop.', "Then left."]),
])
def test_sentences(block: str, expected: list[str]) -> None:
    assert sentences(block) == expected


def test_word_count() -> None:
    assert word_count("An X-ray at 100.4°F — then home.") == 6


def test_checker_runs_without_qt() -> None:
    code = (
        "import io, sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6'):\n"
        "            raise ImportError('no Qt in check-content: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from kiosk.checker import check_content\n"
        "from kiosk.core.readability import ReadingLimits\n"
        "from kiosk.core.resources import content_dir\n"
        "from kiosk.core.settings import Settings\n"
        "out = io.StringIO()\n"
        "print(check_content(content_dir(), Settings(), ReadingLimits(), out=out), out.getvalue().splitlines()[-1])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "OK"]
