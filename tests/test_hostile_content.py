"""Hostile content packs (issue 19): content that passed the checker but broke the kiosk.

Each is refused by the loader at its file and line, and by ``kiosk check-content`` with
exit 1 and no traceback; the good pack still loads. That a hostile pack is refused
quickly is asserted by its structure, not by the clock: python-markdown never sees a
page past the bounds (``kiosk.core.markdown_limits``). The timings are measured by
``python -m tests.perf.hostile``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import markdown
import pytest

from kiosk.core import markdown_limits as limits
from kiosk.core.content import ContentPack, load_pack, manifest, model, substitute
from kiosk.core.errors import ContentError
from kiosk.core.resources import assets_dir
from tests.packmaker import VALUES, interface_path, make_pack

PICTURES = assets_dir() / "illustrations"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A valid pack naming a bundled picture, so that check-content accepts it as it is."""
    folder, _ = make_pack(tmp_path, picture="spine-facets.svg")
    return folder


@pytest.fixture
def markdown_sees(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text given to python-markdown while the test runs."""
    seen: list[str] = []
    original = markdown.Markdown.convert

    def convert(self: markdown.Markdown, source: str) -> str:
        seen.append(source)
        return original(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", convert)
    return seen


def problems(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_pack(folder, VALUES, PICTURES)
    return [str(p) for p in caught.value.problems]


def loads(folder: Path) -> ContentPack:
    return load_pack(folder, VALUES, PICTURES)


# --------------------------------------------------------------------------- 1. nesting


def indented_levels(levels: int) -> str:
    return "".join("    " * i + "- x\n" for i in range(levels))


@pytest.mark.parametrize(("text", "line", "depth"), [
    ("- " * 500 + "x\n", 1, 500),  # the issue's list nested on one line
    (">" * 500 + " x\n", 1, 500),  # quotes in quotes
    ("> - " * 200 + "x\n", 1, 400),  # both
    ("1. " * 300 + "x\n", 1, 300),
    (indented_levels(20), limits.MAX_NESTING + 1, limits.MAX_NESTING + 1),  # one level a line, by indentation
    ("Intro.\n\n" + "\t" * 12 + "- x\n", 3, 13),
], ids=["dashes", "quotes", "quotes-and-dashes", "numbered", "indented", "tabs"])
def test_deep_nesting_is_refused_at_its_line_before_markdown(pack: Path, markdown_sees: list[str], text: str,
                                                            line: int, depth: int) -> None:
    (pack / "risks.md").write_text(text, encoding="utf-8")
    assert problems(pack) == [(f"{pack / 'risks.md'}:{line}: lists or > quotes nested {depth} deep "
                               f"(the limit is {limits.MAX_NESTING}); use fewer levels and less indentation")]
    assert text not in markdown_sees


def test_three_hundred_indented_levels_are_refused_before_markdown(pack: Path, markdown_sees: list[str]) -> None:
    (pack / "risks.md").write_text(indented_levels(300), encoding="utf-8")  # 180 kB: too long first
    assert problems(pack) == [(f"{pack / 'risks.md'}:1: this file is too large (180,600 bytes; the limit is "
                               f"{limits.MAX_PAGE_BYTES:,}); split it into two pages")]
    assert not any("- x" in seen for seen in markdown_sees)


@pytest.mark.parametrize(("line", "depth"), [
    ("- a", 1), ("   - a", 1), ("    - a", 2), ("> - a", 2), (">> a", 2), ("1. a", 1), ("1) a", 1),
    ("- - - x", 3), ("-    - x", 3), ("\t\t- x", 3), ("* * *", 0), ("- - - - - - - -", 0), ("---", 0),
    ("-5 degrees", 0), ("2024 was", 0), ("[a](#b)", 0), ("", 0), ("        code", 2),
])
def test_nesting_depth(line: str, depth: int) -> None:
    assert limits.nesting_depth(line) == depth


def test_nesting_at_the_limit_is_shown(pack: Path) -> None:
    text = "".join("    " * i + f"- level {i + 1}\n" for i in range(limits.MAX_NESTING))
    (pack / "risks.md").write_text(text, encoding="utf-8")
    assert loads(pack).page("risks").html.count("<ul>") == limits.MAX_NESTING


def test_a_recursion_error_in_markdown_is_a_problem_not_a_crash(pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Belt and braces behind the nesting bound: whatever python-markdown recurses on.
    def recurse(self: markdown.Markdown, source: str) -> str:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(markdown.Markdown, "convert", recurse)
    assert f"{pack / 'intro.md'}:1: Markdown nested too deeply: use fewer levels of lists and > quotes" in problems(pack)


# --------------------------------------------------------------------------- 2. work python-markdown would do


def marks(mark: str, count: int, per_paragraph: int = 50) -> str:
    """``count`` of ``mark``, in short paragraphs (so only the count passes a bound)."""
    paragraphs, rest = divmod(count, per_paragraph)
    text = ((mark + "a ") * per_paragraph + "\n\n") * paragraphs
    return text + (mark + "a ") * rest + "\n"


def first_line_past(text: str, mark: str, limit: int, seen: int = 0) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        seen += line.count(mark)
        if seen > limit:
            return number
    raise AssertionError("never passed")


@pytest.mark.parametrize("mark", list(limits.MAX_MARKS))
def test_too_many_markup_characters_are_refused_before_markdown(pack: Path, markdown_sees: list[str], mark: str) -> None:
    limit = limits.MAX_MARKS[mark]
    text = marks(mark, limit + 1)
    (pack / "risks.md").write_text(text, encoding="utf-8")
    found = problems(pack)
    # The pages before it count too, as python-markdown would see them (placeholders filled in).
    earlier = sum(substitute((pack / name).read_text(encoding="utf-8"), VALUES, lambda *_: None).count(mark)
                  for name in ("intro.md", "step-one.md"))
    line = first_line_past(text, mark, limit, earlier)
    assert [p for p in found if "too much Markdown" in p] == [
        (f"{pack / 'risks.md'}:{line}: too much Markdown: more than {limit:,} {limits._MARK_NAMES[mark]} in this "
         "language's pages, counting this line; simplify the pages")]
    assert text not in markdown_sees


def test_marks_are_counted_over_all_of_a_languages_pages(pack: Path, markdown_sees: list[str]) -> None:
    half = limits.MAX_MARKS["["] // 2 + 1
    (pack / "intro.md").write_text("Your back has small joints.\n\n" + marks("[", half), encoding="utf-8")
    (pack / "step-one.md").write_text(marks("[", half), encoding="utf-8")
    found = problems(pack)
    assert any(p.startswith(f"{pack / 'step-one.md'}:") and "more than 100 [ (links)" in p for p in found), found
    # Once a bound shared by the pages is passed, no later page reaches python-markdown.
    assert not any("Most people feel fine." in seen for seen in markdown_sees)


def test_the_issues_ten_thousand_brackets_are_refused_before_markdown(pack: Path, markdown_sees: list[str]) -> None:
    for count in (10_000, 4_000):  # past the page size, and inside it
        text = "[" * count + "x" + ")" * count + "\n"
        (pack / "risks.md").write_text(text, encoding="utf-8")
        found = problems(pack)
        assert found and all(p.startswith(f"{pack / 'risks.md'}:1: ") for p in found), found
        assert text not in markdown_sees


TOO_LONG = f"the limit is {limits.MAX_PAGE_BYTES:,}); split it into two pages"
LONG_BLOCK = (f"paragraph or list is too long (more than {limits.MAX_BLOCK_CHARS:,} characters with no blank line); "
              "put blank lines between paragraphs")


@pytest.mark.parametrize(("text", "line", "message"), [
    ("word " * 4_001, 1, f"this file is too large (20,005 bytes; {TOO_LONG}"),
    ("<" * 100_000 + "\n", 1, f"this file is too large (100,001 bytes; {TOO_LONG}"),
    ("a\n" * 400, limits.MAX_PAGE_LINES + 1,
     f"page has 401 lines (the limit is {limits.MAX_PAGE_LINES}); split it into two pages"),
    ("Intro.\n\n" + "word " * 401 + "\n", 3, LONG_BLOCK),
    ("Intro.\n\n" + "- a long item in a long list\n" * 70, 3, LONG_BLOCK),
    # Inside the file size, but past it once the clinic's name is filled in: bounded as python-markdown sees it.
    ("{{clinic_name}} " * 1_200 + "\n", 1, f"page is too long (24,001 bytes; {TOO_LONG}"),
], ids=["page-bytes", "page-of-tags", "lines", "paragraph", "list", "filled-in-placeholders"])
def test_long_pages_lines_and_paragraphs_are_refused_before_markdown(pack: Path, markdown_sees: list[str], text: str,
                                                                    line: int, message: str) -> None:
    (pack / "risks.md").write_text(text, encoding="utf-8")
    assert f"{pack / 'risks.md'}:{line}: {message}" in problems(pack)
    assert text not in markdown_sees


def test_all_of_a_languages_pages_together_are_bounded(pack: Path, markdown_sees: list[str]) -> None:
    page = ("Most people feel fine after it. " * 60 + "\n\n") * 9  # ~17 kB: each page alone is fine
    names = ["intro.md", "step-one.md", "risks.md", "questions.md"]
    for name in names:
        (pack / name).write_text(page + ("{{warning_signs}}\n" if name == "questions.md" else ""), encoding="utf-8")
    found = problems(pack)
    assert found == [(f"{pack / 'questions.md'}:1: this language's pages are too long together (more than "
                      f"{limits.MAX_PACK_PAGE_BYTES:,} bytes counting this page); shorten them")]
    assert len(markdown_sees) == 3  # intro, step-one, risks; not questions, nor summary after it


def test_shipped_pages_are_well_inside_the_bounds() -> None:
    from kiosk.core.resources import content_dir

    for language in ("en", "es"):
        budget = limits.MarkdownBudget()
        for page in sorted((content_dir() / language).glob("*.md")):
            assert budget.check(page.read_text(encoding="utf-8")) == [], page
        assert budget.bytes * 3 < limits.MAX_PACK_PAGE_BYTES and budget.lines * 3 < limits.MAX_PACK_PAGE_LINES
        assert all(used * 5 <= limits.MAX_MARKS[mark] for mark, used in budget.marks.items()), budget.marks


# --------------------------------------------------------------------------- 3. [ui] format fields


def file_of(folder: Path, old: str) -> Path:
    """The file of the pack in ``folder`` that holds ``old``: its pack.toml, else its
    interface words (interface/<language>.toml, where the shared [ui] words are)."""
    manifest_file = folder / "pack.toml"
    return manifest_file if old in manifest_file.read_text(encoding="utf-8") else interface_path(folder)


def edit_manifest(folder: Path, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in pack.toml (or the interface words: :func:`file_of`); return the line it is on."""
    path = file_of(folder, old)
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return next(i + 1 for i, t in enumerate(text.splitlines()) if old in t)


STEP_OF = 'step_of = "Step {n} of {total}"'
IDLE_NOTE = 'idle_note = "Clears after {minutes} minutes"'
IDLE_BODY = 'idle_body = "Clears in {seconds} seconds"'
SUMMARY_COUNT = 'summary_count = "summary_count text {n}"'


@pytest.mark.parametrize(("old", "new", "message"), [
    # The issue's five: a hang, a bounce to the welcome screen, a crash at start, no countdown, a lost list.
    (STEP_OF, 'step_of = "Step {n:>300000000} of {total}"',
     "[ui] step_of: {n:>300000000} is not allowed: write just {n} (the kiosk fills in the number as it is)"),
    (STEP_OF, 'step_of = "Step {n:zz} of {total}"', "[ui] step_of: {n:zz} is not allowed: write just {n}"),
    (IDLE_NOTE, 'idle_note = "Clears after {minutes:zz} minutes"', "[ui] idle_note: {minutes:zz} is not allowed"),
    (IDLE_BODY, 'idle_body = "Clears in {seconds:zz} seconds"', "[ui] idle_body: {seconds:zz} is not allowed"),
    (SUMMARY_COUNT, 'summary_count = "{n:zz} questions"', "[ui] summary_count: {n:zz} is not allowed"),
    # Conversions, nested specs, attributes, indexes and positions.
    (SUMMARY_COUNT, 'summary_count = "{n!r} questions"', "[ui] summary_count: {n!r} is not allowed"),
    (SUMMARY_COUNT, 'summary_count = "{n!s:>9} questions"', "[ui] summary_count: {n!s:>9} is not allowed"),
    (STEP_OF, 'step_of = "Step {n:{total}} of {total}"', "[ui] step_of: {n:{total}} is not allowed"),
    (SUMMARY_COUNT, 'summary_count = "{n.real} questions"', "[ui] summary_count: unknown {n.real}; this text may use {n}"),
    (SUMMARY_COUNT, 'summary_count = "{n[0]} questions"', "[ui] summary_count: unknown {n[0]}; this text may use {n}"),
    (SUMMARY_COUNT, 'summary_count = "{0} questions"', "[ui] summary_count: unknown {0}; this text may use {n}"),
    (SUMMARY_COUNT, 'summary_count = "{} questions"', "[ui] summary_count: unknown {}; this text may use {n}"),
    ('start = "start text"', 'start = "Start {n:>9}"', "[ui] start: unknown {n:>9}; this text may use no {…} numbers"),
], ids=["pad-300000000", "zz-step", "zz-minutes", "zz-seconds", "zz-summary", "conversion", "conversion-and-spec",
        "nested-spec", "attribute", "index", "position", "empty", "no-numbers"])
def test_ui_fields_with_a_format_spec_are_refused_at_their_line(pack: Path, old: str, new: str, message: str) -> None:
    path = file_of(pack, old)
    line = edit_manifest(pack, old, new)
    found = problems(pack)
    assert len(found) == 1 and found[0].startswith(f"{path}:{line}: {message}"), found


def test_plain_fields_and_literal_braces_still_work(pack: Path) -> None:
    edit_manifest(pack, SUMMARY_COUNT, 'summary_count = "{n} questions {{see below}}"')
    edit_manifest(pack, 'start = "start text"', 'start = "Start }} now {{"')
    edit_manifest(pack, 'welcome_title = "welcome_title text"', 'welcome_title = "Welcome to {{clinic_name}}"')
    loaded = load_pack(pack, {**VALUES, "clinic_name": "Dr {Who}'s {n:zz} clinic"}, PICTURES)
    assert loaded.text("summary_count", n=3) == "3 questions {see below}"
    assert loaded.text("start") == "Start } now {"  # a string without numbers is filled in too
    assert loaded.text("welcome_title") == "Welcome to Dr {Who}'s {n:zz} clinic"  # a clinic detail keeps its braces
    assert loaded.text("step_of", n=2, total=4) == "Step 2 of 4"


# --------------------------------------------------------------------------- 5. one validation path


def kiosk_refuses(root: Path, config: Path) -> bool:
    """Whether the kiosk, started as ``kiosk --config CONFIG --content ROOT``, shows its out-of-order screen."""
    from kiosk.core.settings import drop_missing_languages, load_settings
    from kiosk.ui.app import load_content

    settings = drop_missing_languages(load_settings(config), root)  # as __main__ does before starting
    try:
        load_content(settings, root)
    except ContentError:
        return True
    return False


def checker_exit(root: Path, config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from kiosk.__main__ import main

    code = main(["--config", str(config), "check-content", str(root)])
    return code, capsys.readouterr().out


def layout_empty_en(tmp_path: Path) -> str:  # the issue's: en/ there but empty, es/ complete
    make_pack(tmp_path, "es", picture="spine-facets.svg")
    (tmp_path / "content" / "thoracic-mbb" / "en").mkdir()
    return 'languages = ["en", "es"]\n'


def layout_other_language_only(tmp_path: Path) -> str:  # none of the configured languages is there
    make_pack(tmp_path, "fr", picture="spine-facets.svg")
    return 'languages = ["en", "es"]\n'


def layout_broken_default(tmp_path: Path) -> str:  # the default language's manifest is unreadable
    folder, _ = make_pack(tmp_path, "en", picture="spine-facets.svg")
    make_pack(tmp_path, "es", picture="spine-facets.svg")
    (folder / "pack.toml").write_text("[pack\n", encoding="utf-8")
    return 'languages = ["es", "en"]\ndefault_language = "es"\n'


@pytest.mark.parametrize("layout", [layout_empty_en, layout_other_language_only, layout_broken_default])
def test_check_content_refuses_whatever_the_kiosk_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          layout: Callable[[Path], str]) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('clinic_name = "Sunrise Pain Clinic"\nclinic_phone = "555-0142"\n' + layout(tmp_path), encoding="utf-8")
    root = tmp_path / "content"
    assert kiosk_refuses(root, config)
    code, out = checker_exit(root, config, capsys)
    assert code == 1 and "OK" not in out.splitlines(), out


def test_an_empty_language_folder_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(CONFIG.replace('["en"]', '["en", "es"]'), encoding="utf-8")
    layout_empty_en(tmp_path)
    root = tmp_path / "content"
    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "check-content", str(root)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    en = root / "thoracic-mbb" / "en"
    assert f"{en / 'pack.toml'}:1: manifest pack.toml not found in {en}" in result.stdout.splitlines()


def test_the_checker_checks_a_language_the_config_leaves_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_pack(tmp_path, "en", picture="spine-facets.svg")
    extra, _ = make_pack(tmp_path, "fr", picture="spine-facets.svg")
    (extra / "risks.md").write_text("- " * 500 + "x\n", encoding="utf-8")
    config = tmp_path / "kiosk.toml"
    config.write_text(CONFIG, encoding="utf-8")  # languages = ["en"]
    root = tmp_path / "content"
    assert not kiosk_refuses(root, config)  # the kiosk serves English ...
    code, out = checker_exit(root, config, capsys)
    assert code == 1 and f"{extra / 'risks.md'}:1: lists or > quotes nested 500 deep" in out  # ... the checker looks further


# --------------------------------------------------------------------------- 6. links and huge files


LINK_ADVICE = "the kiosk reads only real files inside the content folder: put the file itself there, not a link to it"


@pytest.fixture
def bytes_read(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """What each read of a content file returned while the test ran."""
    from kiosk.core import content_files

    reads: list[bytes] = []
    original = content_files.os.read

    def read(fd: int, size: int) -> bytes:
        data = original(fd, size)
        reads.append(data)
        return data

    monkeypatch.setattr(content_files.os, "read", read)
    return reads


def test_a_page_linked_to_a_system_file_is_refused_unread(pack: Path, markdown_sees: list[str], bytes_read: list[bytes]) -> None:
    (pack / "risks.md").unlink()
    (pack / "risks.md").symlink_to("/etc/passwd")
    assert problems(pack) == [f"{pack / 'risks.md'}:1: this file is a link (to /etc/passwd); {LINK_ADVICE}"]
    assert not any(b"root:" in data for data in bytes_read) and not any("root:" in seen for seen in markdown_sees)


def test_a_link_inside_the_pack_is_refused_too(pack: Path) -> None:
    (pack / "risks.md").unlink()
    (pack / "risks.md").symlink_to(pack / "intro.md")
    assert problems(pack) == [f"{pack / 'risks.md'}:1: this file is a link (to {pack / 'intro.md'}); {LINK_ADVICE}"]


def test_a_huge_sparse_page_is_refused_by_its_size_unread(tmp_path: Path, pack: Path, bytes_read: list[bytes]) -> None:
    huge = tmp_path / "sparse.md"
    with huge.open("wb") as file:
        file.truncate(2 * 1024**3)  # 2 GB that take no disk
    (pack / "risks.md").unlink()
    (pack / "risks.md").symlink_to(huge)
    assert problems(pack) == [f"{pack / 'risks.md'}:1: this file is a link (to {huge}); {LINK_ADVICE}"]
    (pack / "risks.md").unlink()
    huge.rename(pack / "risks.md")  # the file itself, not a link: refused by the size stat gives, before reading
    assert problems(pack) == [(f"{pack / 'risks.md'}:1: this file is too large (2,147,483,648 bytes; the limit is "
                               f"{limits.MAX_PAGE_BYTES:,}); split it into two pages")]
    assert max(map(len, bytes_read)) <= limits.MAX_PAGE_BYTES + 1


def test_a_file_larger_than_its_limit_is_not_read(tmp_path: Path, bytes_read: list[bytes]) -> None:
    from kiosk.core.content_files import ContentFileError, read_bounded

    page = tmp_path / "page.md"
    page.write_bytes(b"x" * 5_000)
    with pytest.raises(ContentFileError, match="too large"):
        read_bounded(page, 1_000)
    assert bytes_read == []
    assert read_bounded(page, 5_000) == b"x" * 5_000


def test_a_fifo_page_is_refused_without_waiting(pack: Path) -> None:
    import os

    (pack / "risks.md").unlink()
    os.mkfifo(pack / "risks.md")  # opened for reading, it would wait for a writer for ever
    assert problems(pack) == [f"{pack / 'risks.md'}:1: this file is not a regular file"]


def test_a_linked_manifest_is_refused(tmp_path: Path, pack: Path) -> None:
    real = tmp_path / "real.toml"
    (pack / "pack.toml").rename(real)
    (pack / "pack.toml").symlink_to(real)
    assert problems(pack) == [f"{pack / 'pack.toml'}:1: this file is a link (to {real}); {LINK_ADVICE}"]


def test_a_linked_language_folder_is_refused(tmp_path: Path) -> None:
    from kiosk.core.content import load_library

    folder, _ = make_pack(tmp_path / "elsewhere", picture="spine-facets.svg")
    root = tmp_path / "content"
    (root / "thoracic-mbb").mkdir(parents=True)
    (root / "thoracic-mbb" / "en").symlink_to(folder)
    with pytest.raises(ContentError) as caught:
        load_library(root, ["en"], VALUES, PICTURES)
    en = root / "thoracic-mbb" / "en"
    assert [str(p) for p in caught.value.problems] == [
        f"{en / 'pack.toml'}:1: this file is in {en}, which is a link (to {folder}); {LINK_ADVICE}"]


def picture_line(folder: Path) -> int:
    return next(i + 1 for i, t in enumerate((folder / "pack.toml").read_text().splitlines()) if t.startswith("illustration = "))


@pytest.mark.parametrize("linked", ["picture", "folder"])
def test_linked_clinic_pictures_are_refused_at_the_manifest_line(tmp_path: Path, linked: str) -> None:
    from kiosk.core.content import load_library
    from tests.packmaker import SVG

    folder, _ = make_pack(tmp_path, picture="our-room.svg")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "our-room.svg").write_text(SVG, encoding="utf-8")
    root = tmp_path / "content"
    clinic = root / "illustrations"
    if linked == "picture":
        clinic.mkdir()
        (clinic / "our-room.svg").symlink_to(outside / "our-room.svg")
        where, target = "is a link", outside / "our-room.svg"
    else:
        clinic.symlink_to(outside)
        where, target = f"is in {clinic}, which is a link", outside
    with pytest.raises(ContentError) as caught:
        load_library(root, ["en"], VALUES, PICTURES)
    assert [str(p) for p in caught.value.problems] == [
        (f"{folder / 'pack.toml'}:{picture_line(folder)}: page 'intro': illustration 'our-room.svg' "
         f"({clinic / 'our-room.svg'}) {where} (to {target}); {LINK_ADVICE}")]


# --------------------------------------------------------------------------- 4 (the loader's part) and 7. texts and sizes

def add_blocks(folder: Path, blocks: str) -> None:
    path = folder / "pack.toml"
    path.write_text(path.read_text(encoding="utf-8") + blocks, encoding="utf-8")


def header_line(folder: Path, header: str, nth: int) -> int:
    """Line of the ``nth`` (0-based) ``[[header]]`` of pack.toml."""
    lines = [i + 1 for i, t in enumerate((folder / "pack.toml").read_text(encoding="utf-8").splitlines()) if t == f"[[{header}]]"]
    return lines[nth]


def question_blocks(count: int, group: str = "benefits", start: int = 0) -> str:
    return "".join(f'\n[[questions]]\nid = "x{i}"\ngroup = "{group}"\ntext = "Question {i}?"\nwhy = "So you know."\n'
                   for i in range(start, start + count))


def test_the_issues_two_thousand_questions_are_refused_and_only_the_first_sixty_read(pack: Path) -> None:
    # Every added question names an unknown group: the problems show how many were read.
    add_blocks(pack, question_blocks(2_000, group="nope"))
    found = problems(pack)
    limit_line = header_line(pack, "questions", model.MAX_QUESTIONS)
    assert (f"{pack / 'pack.toml'}:{limit_line}: too many [[questions]] blocks (2,002; the limit is {model.MAX_QUESTIONS})"
            in found)
    assert sum("unknown group 'nope'" in p for p in found) == model.MAX_QUESTIONS - 2  # the pack's own two come first


def test_questions_at_the_limits_load(pack: Path) -> None:
    groups = "".join(f'\n[[groups]]\nid = "g{i}"\ntitle = "Group {i}"\n' for i in range(2))
    full = model.MAX_QUESTIONS_PER_GROUP
    add_blocks(pack, groups + question_blocks(full, "g0") + question_blocks(full, "g1", start=100)
               + question_blocks(model.MAX_QUESTIONS - 2 * full - 2, start=200))
    assert len(loads(pack).questions) == model.MAX_QUESTIONS


def test_too_many_questions_in_one_group(pack: Path) -> None:
    add_blocks(pack, question_blocks(model.MAX_QUESTIONS_PER_GROUP - 1))  # the group had 2
    found = problems(pack)
    line = header_line(pack, "questions", model.MAX_QUESTIONS_PER_GROUP) + 2  # its group = ... line
    assert found == [(f"{pack / 'pack.toml'}:{line}: question 'x{model.MAX_QUESTIONS_PER_GROUP - 2}': group 'benefits' has "
                      f"more than {model.MAX_QUESTIONS_PER_GROUP} questions; split it into two groups")]


@pytest.mark.parametrize(("table", "limit", "block"), [
    ("pages", model.MAX_PAGES,
     '\n[[pages]]\nid = "more-{i}"\nsection = "steps"\nkind = "info"\ntitle = "More"\nfile = "risks.md"\n'),
    ("sections", model.MAX_SECTIONS, '\n[[sections]]\nid = "s{i}"\nlabel = "More"\n'),
    ("groups", model.MAX_GROUPS, '\n[[groups]]\nid = "g{i}"\ntitle = "More"\n'),
], ids=["pages", "sections", "groups"])
def test_too_many_blocks_are_refused_at_the_first_one_too_many(pack: Path, table: str, limit: int, block: str) -> None:
    text = (pack / "pack.toml").read_text(encoding="utf-8")
    have = text.count(f"[[{table}]]")
    add_blocks(pack, "".join(block.format(i=i) for i in range(limit + 1 - have)))
    assert problems(pack) == [(f"{pack / 'pack.toml'}:{header_line(pack, table, limit)}: too many [[{table}]] blocks "
                               f"({limit + 1}; the limit is {limit})")]


def test_too_many_warning_signs_in_a_tier(pack: Path) -> None:
    signs = ", ".join(f'"Sign {i}."' for i in range(model.MAX_SIGNS_PER_TIER + 1))
    line = edit_manifest(pack, 'signs = ["Fever.", "Bad pain."]', f"signs = [{signs}]")
    assert problems(pack) == [(f"{pack / 'pack.toml'}:{line}: warning tier 'same-day': too many signs "
                               f"({model.MAX_SIGNS_PER_TIER + 1}; the limit is {model.MAX_SIGNS_PER_TIER}); keep the ones "
                               "that need action")]


def test_a_fourth_warning_tier_is_refused(pack: Path) -> None:
    add_blocks(pack, '\n[[warnings]]\ntier = "extra"\nheading = "Also:"\nsigns = ["More."]\n')
    assert problems(pack) == [(f"{pack / 'pack.toml'}:{header_line(pack, 'warnings', 3)}: too many [[warnings]] blocks "
                               "(4; the limit is 3)")]


LONG = "word " * 100  # 500 characters


LENGTHS = [
    ('title = "Risks"', "title", "page 'risks': title", model.MAX_TITLE_CHARS),
    ('caption = "A caption."', "caption", "page 'intro': caption", model.MAX_TEXT_CHARS),
    ('alt = "A picture."', "alt", "page 'intro': alt", model.MAX_TEXT_CHARS),
    ('text = "What will this show?"', "text", "question 'q-one': text", model.MAX_QUESTION_CHARS),
    ('why = "So you know."', "why", "question 'q-one': why", model.MAX_QUESTION_CHARS),
    ('label = "Steps"', "label", "section 'steps': label", model.MAX_LABEL_CHARS),
    ('title = "Benefits"', "title", "group 'benefits': title", model.MAX_TITLE_CHARS),
    ('name = "Test en"', "name", "[pack] name", model.MAX_LABEL_CHARS),
    ('welcome_title = "welcome_title text"', "welcome_title", "[ui] welcome_title", model.MAX_TEXT_CHARS),
    ('intro = "Write the answers."', "intro", "[handout] intro", model.MAX_TEXT_CHARS),
    ('heading = "After hours:"', "heading", "warning tier 'after-hours': heading", model.MAX_TEXT_CHARS),
]


@pytest.mark.parametrize(("old", "key", "where", "limit"), LENGTHS, ids=[row[2] for row in LENGTHS])
def test_texts_past_their_length_are_refused_at_their_line(pack: Path, old: str, key: str, where: str, limit: int) -> None:
    value = LONG[: limit + 1]
    line = edit_manifest(pack, old, f'{key} = "{value}"')
    found = problems(pack)
    assert f"{pack / 'pack.toml'}:{line}: {where} is too long ({limit + 1} characters; the limit is {limit}); " \
           "say it in fewer words" in found, found


IMAGE = '<img src=\\"/usr/share/pixmaps/debian-logo.png\\" width=50000>'
LINK = '<a href=\\"https://example.test\\">Risks</a>'


HTML_FIELDS = [
    ('title = "Risks"', "title", "page 'risks': title"),
    ('caption = "A caption."', "caption", "page 'intro': caption"),
    ('alt = "A picture."', "alt", "page 'intro': alt"),
    ('text = "What will this show?"', "text", "question 'q-one': text"),
    ('why = "So you know."', "why", "question 'q-one': why"),
    ('title = "Benefits"', "title", "group 'benefits': title"),
    ('welcome_title = "welcome_title text"', "welcome_title", "[ui] welcome_title"),
    ('disclaimer = "disclaimer text"', "disclaimer", "[ui] disclaimer"),
    ('title = "My questions"', "title", "[handout] title"),
    ('heading = "After hours:"', "heading", "warning tier 'after-hours': heading"),
]


@pytest.mark.parametrize(("old", "key", "where"), HTML_FIELDS, ids=[row[2] for row in HTML_FIELDS])
@pytest.mark.parametrize("html", [IMAGE, LINK], ids=["img", "link"])
def test_html_in_manifest_texts_is_refused_at_its_line(pack: Path, old: str, key: str, where: str, html: str) -> None:
    path = file_of(pack, old)
    line = edit_manifest(pack, old, f'{key} = "{html}"')
    shown = html.replace("\\", "")
    preview = repr(shown[:30] + ("…" if len(shown) > 30 else ""))
    assert problems(pack) == [(f"{path}:{line}: {where} holds HTML ({preview}); texts in pack.toml are "
                               "shown exactly as written: leave the tags out")]


@pytest.mark.parametrize(("old", "key", "where"), [
    ('label = "Steps"', "label", "section 'steps': label"), ('name = "Test en"', "name", "[pack] name"),
], ids=["section label", "pack name"])
def test_html_in_a_short_label_is_refused(pack: Path, old: str, key: str, where: str) -> None:
    line = edit_manifest(pack, old, f'{key} = "<b>Steps</b>"')
    assert problems(pack) == [(f"{pack / 'pack.toml'}:{line}: {where} holds HTML ('<b>Steps</b>'); texts in pack.toml "
                               "are shown exactly as written: leave the tags out")]


def test_html_in_a_warning_sign_is_refused(pack: Path) -> None:
    line = edit_manifest(pack, 'signs = ["Trouble breathing."]', 'signs = ["<b>Trouble</b> breathing."]')
    assert problems(pack) == [(f"{pack / 'pack.toml'}:{line}: warning tier 'emergency': the sign '<b>Trouble</b> breathing.' "
                               "holds HTML ('<b>Trouble</b> breathing.'); texts in pack.toml are shown exactly as written: "
                               "leave the tags out")]


@pytest.mark.parametrize("text", ["Less than <5 days.", "Fever over 38 °C -> call us.", "Q&A", "x < y and y > z"])
def test_text_that_only_looks_a_little_like_html_is_fine(pack: Path, text: str) -> None:
    edit_manifest(pack, 'text = "What will this show?"', f'text = "{text}"')
    assert loads(pack).questions[0].text == text


def test_a_table_of_thousands_of_unknown_keys_is_reported_in_one_scan(pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each key's line used to be found by its own scan of the table: thousands of keys took seconds.
    edit_manifest(pack, "[ui]", "[ui]" + "".join(f'\njunk{i} = "x"' for i in range(3_000)))
    scans: list[str] = []
    original = manifest._KEY.match

    class CountingKey:
        def match(self, text: str) -> object:
            scans.append(text)
            return original(text)

    monkeypatch.setattr(manifest, "_KEY", CountingKey())
    found = problems(pack)
    assert sum("has unknown key 'junk" in p for p in found) == 3_000
    assert len(scans) < 2 * len((pack / "pack.toml").read_text(encoding="utf-8").splitlines())


# --------------------------------------------------------------------------- check-content as IT runs it

CONFIG = 'clinic_name = "Sunrise Pain Clinic"\nclinic_phone = "555-0142"\nlanguages = ["en"]\n'


def check_content(root: Path) -> subprocess.CompletedProcess[str]:
    config = root / "kiosk.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "check-content", str(root / "content")],
                          capture_output=True, text=True, timeout=120, check=False)


def write_page(name: str, text: str) -> Callable[[Path], str]:
    def spoil(folder: Path) -> str:
        (folder / name).write_text(text, encoding="utf-8")
        return f"{folder / name}:"
    return spoil


HOSTILE: dict[str, Callable[[Path], str]] = {
    "dashes": write_page("risks.md", "- " * 500 + "x\n"),
    "quotes": write_page("risks.md", ">" * 500 + " x\n"),
    "indented": write_page("risks.md", indented_levels(300)),
    "brackets": write_page("risks.md", "[" * 10_000 + "x" + ")" * 10_000 + "\n"),
    "emphasis": write_page("risks.md", marks("*", 2_000)),
    "backticks": write_page("risks.md", "`a " * 6_000 + "\n"),
    "tags": write_page("risks.md", "<a " * 30_000 + "\n"),
    "link to /etc/passwd": lambda folder: ((folder / "risks.md").unlink(), (folder / "risks.md").symlink_to("/etc/passwd"),
                                           f"{folder / 'risks.md'}:1: this file is a link")[2],
    "2,000 questions": lambda folder: (add_blocks(folder, question_blocks(2_000)), f"{folder / 'pack.toml'}:")[1],
    "HTML title": lambda folder: (edit_manifest(folder, 'title = "Risks"', f'title = "{IMAGE}"'), f"{folder / 'pack.toml'}:")[1],
    "format spec": lambda folder: (edit_manifest(folder, STEP_OF, 'step_of = "Step {n:>300000000} of {total}"'),
                                   f"{interface_path(folder)}:")[1],
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_check_content_refuses_a_hostile_pack_without_a_traceback(tmp_path: Path, pack: Path, name: str) -> None:
    where = HOSTILE[name](pack)
    result = check_content(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert any(line.startswith(where) for line in result.stdout.splitlines()), result.stdout
    assert result.stdout.splitlines()[-1].endswith("problem(s) found.")


def test_check_content_passes_the_good_pack(tmp_path: Path, pack: Path) -> None:
    result = check_content(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "OK" and "Traceback" not in result.stderr


def self_test(root: Path) -> subprocess.CompletedProcess[str]:
    """``kiosk --self-test``: what the kiosk does at start (load, build, render every page), offscreen."""
    config = root / "kiosk.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "--content", str(root / "content"),
                           "--self-test"], capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize(("old", "new", "page_text"), [
    ("", "", "- " * 500 + "x\n"),  # a RecursionError at start: a crash loop under the supervisor
    (IDLE_NOTE, 'idle_note = "Clears after {minutes:zz} minutes"', ""),  # a ValueError building the welcome screen
], ids=["nesting", "format-spec"])
def test_the_kiosk_refuses_what_crashed_it_at_start(tmp_path: Path, pack: Path, old: str, new: str, page_text: str) -> None:
    if page_text:
        (pack / "risks.md").write_text(page_text, encoding="utf-8")
    if old:
        edit_manifest(pack, old, new)
    result = self_test(tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "self-test FAILED" in result.stderr and str(file_of(pack, new) if old else pack) in result.stderr


def test_the_kiosk_starts_on_the_good_pack(tmp_path: Path, pack: Path) -> None:
    result = self_test(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "self-test OK: 1 topic(s), 1 language(s)" in result.stdout and "Traceback" not in result.stderr


def test_link_problem_on_a_path_that_climbs_out_with_dotdot(tmp_path: Path) -> None:
    """No link on the way, but ".." leads out of the content folder: refused by its real
    path; a plain path inside (and one whose ".." stays inside) is fine."""
    from kiosk.core.content_files import link_problem

    root = tmp_path / "content"
    (root / "topic").mkdir(parents=True)
    (root / "topic" / "page.md").write_text("x", encoding="utf-8")
    (tmp_path / "secret.md").write_text("x", encoding="utf-8")
    assert link_problem(root / "topic" / "page.md", root) == ""
    assert link_problem(root / "topic" / ".." / "topic" / "page.md", root) == ""
    assert "outside the content folder" in link_problem(root / "topic" / ".." / ".." / "secret.md", root)
    (root / "linked").symlink_to(root / "topic")
    assert "which is a link" in link_problem(root / "linked" / "page.md", root)
