"""Fuzzing (hypothesis): content packs and config files a clinic could write by mistake.

Contract: ``load_pack`` returns a pack or raises ContentError, every problem naming a
file and a line >= 1; ``load_settings`` never raises and always returns Settings; the
kiosk builds with any config. Known faults outside the contract are pinned below as
strict xfails, so that fixing them turns the suite red until the marker goes.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kiosk.core.content import ContentPack, load_pack
from kiosk.core.errors import ContentError
from kiosk.core.settings import Settings, load_settings
from tests.packmaker import PAGES, VALUES, interface, interface_path, make_pack, manifest

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Pieces of Markdown and of this project's syntax, so that generated text hits the parser's corners.
MARKDOWN_TOKENS = [
    "\n", "\n\n", " ", "    ", "\t", "#", "## ", "### ", "- ", "* ", "1. ", "> ", "```", "`", "**", "*", "_", "__",
    "[", "]", "(", ")", "(#risks)", "(#nowhere)", "(http://x.test)", "![a](b.png)", "<", ">", "</", "<b>", "<script>",
    "<!--", "-->", "&amp;", "&#0;", "&", "{{", "}}", "{{clinic_phone}}", "{{ clinic_name }}", "{{nope}}", "{{}}",
    "\\", "|", "---", "===", "\r\n", "\r", "\ufeff", "\x00", "\u202e", "é", "😀", "text", "word ", "1.", "\u2028",
]
markdown_text = st.lists(st.sampled_from(MARKDOWN_TOKENS) | st.text(max_size=8), max_size=60).map("".join)

# TOML values, good and bad, for the manifest's and the config's keys.
TOML_VALUES = [
    '""', '" "', '"x"', '"{{clinic_name}}"', '"{{nope}}"', '"{n}"', '"{"', '"}"', '"{0}"', '"{n!r}"', '"{minutes:>{n}}"',
    "0", "-1", "1", "2", "3", "99999999999", "true", "false", "1.5", "nan", "inf", "2027-01-31", "2027-01-31T00:00:00",
    "07:00:00", "[]", '["en"]', '["en", "es"]', '[""]', "[1]", "{}", "{a = 1}", '"../x.md"', '"intro.md"', '"risks.md"',
    '"picture.svg"', '"/etc/passwd"', '"a\\u0000b"', '"info"', '"stage"', '"checklist"', '"summary"', '"about"',
    '"steps"', '"q-one"', '"benefits"', '"en"', '"es"', '"intro"', '"UPPER"', '"a b"', "'literal'", '"""multi\nline"""',
]
toml_value = st.sampled_from(TOML_VALUES) | st.text(max_size=20).map(json.dumps) | st.integers().map(str)


def check_load(folder: Path, pictures: Path) -> ContentPack | None:
    """The loader's contract: a pack, or ContentError with located problems."""
    try:
        return load_pack(folder, VALUES, pictures)
    except ContentError as exc:
        assert exc.problems, "ContentError without problems"
        for problem in exc.problems:
            assert isinstance(problem.path, Path), problem
            assert isinstance(problem.line, int) and problem.line >= 1, f"line {problem.line}: {problem}"
            assert problem.message.strip(), problem
        return None


@pytest.fixture
def pack(tmp_path: Path) -> tuple[Path, Path]:
    return make_pack(tmp_path)


class Restore:
    """Put a file back after an example, so each example starts from the valid pack."""

    def __init__(self, path: Path) -> None:
        self.path, self.original = path, path.read_bytes()

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *_: object) -> None:
        self.path.write_bytes(self.original)


# --------------------------------------------------------------------------- content packs


@FUZZ
@given(data=st.binary(max_size=3000))
@example(data=b"\xff\xfe")
@example(data=b"# ok\n\n\x80")
def test_page_file_any_bytes(pack, data: bytes) -> None:
    folder, pictures = pack
    with Restore(folder / "intro.md") as page:
        page.write_bytes(data)
        check_load(folder, pictures)


@FUZZ
@given(text=markdown_text)
@example(text="[x](#nowhere)\n\n<b>hi</b>")
@example(text="{{nope}} {{}}")
@example(text="")
def test_page_file_markdown(pack, text: str) -> None:
    folder, pictures = pack
    with Restore(folder / "step-one.md") as page:
        page.write_text(text, encoding="utf-8", errors="surrogatepass")
        loaded = check_load(folder, pictures)
        if loaded is not None:  # what loads is sanitised: no raw tags or outside links survive
            html = loaded.page("step-one").html
            assert "<script" not in html and "<img" not in html
            assert 'href="' not in html.replace('href="#', ""), html  # only in-app links


@FUZZ
@given(data=st.binary(max_size=3000) | st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass")))
@example(data=b"")
@example(data=b"[pack")
@example(data=manifest().encode() + b"\nzz = ")
def test_manifest_any_bytes(pack, data: bytes) -> None:
    folder, pictures = pack
    with Restore(folder / "pack.toml") as path:
        path.write_bytes(data)
        check_load(folder, pictures)


edit = st.tuples(st.sampled_from(["delete", "duplicate", "swap", "value", "insert", "key"]),
                 st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=10_000), toml_value,
                 st.text(alphabet="abcdefghijklmnopqrstuvwxyz_[]= \"#.", max_size=15))


def mutate(text: str, edits: list[tuple[str, int, int, str, str]]) -> str:
    lines = text.splitlines()
    for op, raw_i, raw_j, value, junk in edits:
        if not lines:
            break
        i, j = raw_i % len(lines), raw_j % len(lines)
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "value" and " = " in lines[i]:
            lines[i] = lines[i].split(" = ", 1)[0] + " = " + value
        elif op == "insert":
            lines.insert(i, junk)
        elif op == "key" and " = " in lines[i]:
            lines[i] = (junk.strip(" =[]\"#.") or "k") + " = " + lines[i].split(" = ", 1)[1]
    return "\n".join(lines) + "\n"


@FUZZ
@given(edits=st.lists(edit, min_size=1, max_size=6))
def test_manifest_mutations(pack, edits) -> None:  # type: ignore[no-untyped-def]
    folder, pictures = pack
    with Restore(folder / "pack.toml") as path:
        path.write_text(mutate(manifest(), edits), encoding="utf-8", errors="surrogatepass")
        check_load(folder, pictures)


def test_fuzz_pack_is_valid_to_start_with(pack) -> None:  # type: ignore[no-untyped-def]
    folder, pictures = pack
    assert check_load(folder, pictures) is not None
    assert set(PAGES) <= {p.name for p in folder.iterdir()}


# --------------------------------------------------------------------------- config files

config_line = st.tuples(st.sampled_from([*Settings.__dataclass_fields__, "unknown_key", "pack"]), toml_value).map(
    lambda kv: f"{kv[0]} = {kv[1]}")


@FUZZ
@given(data=st.binary(max_size=2000)
       | st.lists(config_line, max_size=12).map(lambda ls: "\n".join(ls).encode("utf-8", "surrogatepass")))
@example(data=b"\xef\xbb\xbfclinic_name = \"x\"")
@example(data=b'languages = []\ndefault_language = "fr"\nidle_seconds = 10\nwarning_seconds = 300')
def test_config_file_never_raises(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_bytes(data)
    result = load_settings(path)
    assert isinstance(result, Settings)
    assert result.default_language in result.languages
    assert 5 <= result.warning_seconds < result.idle_seconds <= 3600


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(config_line, max_size=12))
@example(lines=['languages = ["es", "en"]', 'default_language = "es"', "hide_cursor = true", 'pin_hash = "scrypt$1$x"'])
def test_kiosk_builds_with_any_config(qtbot, tmp_path: Path, library, lines: list[str]) -> None:  # type: ignore[no-untyped-def]
    from kiosk.ui.app import build_kiosk

    path = tmp_path / "kiosk.toml"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    built = build_kiosk(load_settings(path), library, size=(1280, 800))
    try:
        qtbot.addWidget(built.window)
        built.window.show()
        built.controller.next()
        built.controller.reset_session()
    finally:
        built.window.allow_close()
        built.window.close()


# --------------------------------------------------------------------------- faults the fuzzing found (fixed)

DEEP = "x = " + "[" * 1000 + "]" * 1000 + "\n"


def test_config_deeply_nested_array(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(DEEP, encoding="utf-8")
    assert isinstance(load_settings(path), Settings)


def test_manifest_deeply_nested_array(pack) -> None:  # type: ignore[no-untyped-def]
    folder, pictures = pack
    (folder / "pack.toml").write_text(manifest() + DEEP, encoding="utf-8")
    check_load(folder, pictures)


def test_review_due_as_datetime(pack) -> None:  # type: ignore[no-untyped-def]
    folder, pictures = pack
    text = manifest().replace('next_review_due = "2027-01-31"', "next_review_due = 2027-01-31T09:00:00")
    (folder / "pack.toml").write_text(text, encoding="utf-8")
    loaded = check_load(folder, pictures)
    if loaded is not None:
        loaded.review.overdue(date(2030, 1, 1))


def test_ui_string_with_unknown_field_is_refused(pack) -> None:  # type: ignore[no-untyped-def]
    folder, pictures = pack
    text = interface().replace('idle_note = "Clears after {minutes} minutes"', 'idle_note = "Clears after {minutes} {mins}"')
    assert "{mins}" in text
    interface_path(folder).write_text(text, encoding="utf-8")  # an interface word: shared by every topic
    loaded = check_load(folder, pictures)
    if loaded is not None:  # the loader should have refused it; the welcome screen would raise here
        loaded.text("idle_note", minutes=2)


def test_step_must_be_a_number_not_a_boolean(pack) -> None:  # type: ignore[no-untyped-def]
    folder, pictures = pack
    (folder / "pack.toml").write_text(manifest().replace("step = 1", "step = true"), encoding="utf-8")
    assert check_load(folder, pictures) is None
