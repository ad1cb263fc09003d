"""The loader accepts a valid pack and names file and line for every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core.content import load_library, load_pack
from kiosk.core.errors import ContentError
from tests.packmaker import SVG, VALUES, add_clinic_picture, interface_path, make_pack, manifest


def load(folder: Path, pictures: Path, values: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return load_pack(folder, VALUES if values is None else values, pictures)


def problems_of(folder: Path, pictures: Path, values: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(folder, pictures, values)
    return [str(p) for p in caught.value.problems]


def test_valid_pack_loads_and_renders(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    pack = load(folder, pictures)
    assert [p.id for p in pack.pages] == ["intro", "step-one", "risks", "questions", "summary"]
    intro = pack.page("intro")
    assert "555-0142" in intro.html and "{{" not in intro.html
    assert '<a href="#risks">risks</a>' in intro.html
    assert intro.illustration is not None and intro.illustration.alt == "A picture."
    assert pack.page("step-one").step == 1 and pack.stage_count == 1
    assert [q.id for q in pack.questions] == ["q-one", "q-two"]
    assert pack.review.status == "pending clinical review"


def test_missing_page_file_names_manifest_line(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    (folder / "risks.md").unlink()
    [message] = problems_of(folder, pictures)
    manifest = (folder / "pack.toml").read_text().splitlines()
    line = next(i + 1 for i, text in enumerate(manifest) if text == 'file = "risks.md"')
    assert message.startswith(f"{folder / 'pack.toml'}:{line}:")
    assert "risks.md" in message and "not found" in message


def test_bad_toml_names_file_and_line(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    text = (folder / "pack.toml").read_text().replace('title = "Risks"', 'title = "Risks')
    (folder / "pack.toml").write_text(text)
    line = next(i + 1 for i, t in enumerate(text.splitlines()) if t == 'title = "Risks')
    [message] = problems_of(folder, pictures)
    assert message.startswith(f"{folder / 'pack.toml'}:{line}: bad TOML")


def test_unknown_illustration_lists_known_ones(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    text = (folder / "pack.toml").read_text().replace('"picture.svg"', '"pictur.svg"')
    (folder / "pack.toml").write_text(text)
    [message] = problems_of(folder, pictures)
    assert str(folder / "pack.toml") in message
    assert "'pictur.svg' not found" in message and "known: picture.svg" in message


@pytest.mark.parametrize("raw", ["<script>alert(1)</script>", "Some <b>bold</b> text", '<img src="x.png">'])
def test_raw_html_is_refused_with_its_line(tmp_path: Path, raw: str) -> None:
    folder, pictures = make_pack(tmp_path)
    (folder / "risks.md").write_text(f"Most people feel fine.\n\n{raw}\n")
    messages = problems_of(folder, pictures)
    assert any(m.startswith(f"{folder / 'risks.md'}:3: raw HTML is not allowed") for m in messages), messages


@pytest.mark.parametrize(
    "link",
    ["[x](https://example.org)", "[x](javascript:alert(1))", "[x](file:///etc/passwd)", "<https://example.org>", "[x](other.md)", "[x](mailto:a@b.c)"],
)
def test_links_that_leave_the_pack_are_refused(tmp_path: Path, link: str) -> None:
    folder, pictures = make_pack(tmp_path)
    (folder / "risks.md").write_text(f"Most people feel fine.\n\nRead {link} now.\n")
    [message] = problems_of(folder, pictures)
    assert message.startswith(f"{folder / 'risks.md'}:3: link") and "leaves the kiosk" in message


@pytest.mark.parametrize("image", ["![x](http://example.org/a.png)", "![x](file:///etc/passwd)", "![x](picture.svg)"])
def test_images_in_text_are_refused(tmp_path: Path, image: str) -> None:
    folder, pictures = make_pack(tmp_path)
    (folder / "risks.md").write_text(f"Most people feel fine.\n\n{image}\n")
    [message] = problems_of(folder, pictures)
    assert message.startswith(f"{folder / 'risks.md'}:3: pictures are not allowed")


@pytest.mark.parametrize("raw, link", [('<A HREF="http://example.org">x</A>', "leaves the kiosk"),
                                       ('<IMG SRC="x.png">', "pictures are not allowed"),
                                       ("<a\thref='https://example.org'>x</a>", "leaves the kiosk")])
def test_links_and_pictures_written_as_tags_are_refused_too(tmp_path: Path, raw: str, link: str) -> None:
    """(Pages are looked at for links only when a tag could be one: in any case, with any space.)"""
    folder, pictures = make_pack(tmp_path)
    (folder / "risks.md").write_text(f"Most people feel fine.\n\nRead {raw} now.\n")
    messages = problems_of(folder, pictures)
    assert any(m.startswith(f"{folder / 'risks.md'}:3: raw HTML is not allowed") for m in messages), messages
    assert any(m.startswith(f"{folder / 'risks.md'}:3: ") and link in m for m in messages), messages


def test_a_load_reads_each_picture_and_motion_file_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every language's pack names the same pictures: each is checked, and its motion file
    read, once a load, not once a language."""
    from kiosk.core.content import pages
    from kiosk.core.resources import assets_dir, content_dir

    checked: list[Path] = []
    moved: list[Path] = []
    real_problem, real_motion = pages.picture_problem, pages.read_motion
    monkeypatch.setattr(pages, "picture_problem", lambda path, root: checked.append(path) or real_problem(path, root))
    monkeypatch.setattr(pages, "read_motion", lambda path, ids=None: moved.append(path) or real_motion(path, ids))
    library = load_library(content_dir(), ["en", "es"], VALUES, assets_dir() / "illustrations")
    shown = {page.illustration.path for pack in library.all_packs() for page in pack.pages if page.illustration}
    assert sorted(checked) == sorted(shown)
    assert len(moved) == len(set(moved)) > 0


@pytest.mark.parametrize("on_before", [True, False])
def test_a_load_pauses_the_garbage_collector_and_leaves_it_as_it_was(monkeypatch: pytest.MonkeyPatch, on_before: bool) -> None:
    """Python's cyclic collector is off while pages are rendered (it walked the growing heap
    again and again), also when a load fails, and is left after as it was found."""
    import gc

    from kiosk.core.content import pages
    from kiosk.core.resources import assets_dir, content_dir

    seen: list[bool] = []
    real = pages.render_page
    monkeypatch.setattr(pages, "render_page", lambda *args, **kwargs: seen.append(gc.isenabled()) or real(*args, **kwargs))
    was = gc.isenabled()
    try:
        gc.enable() if on_before else gc.disable()
        load_library(content_dir(), ["en"], VALUES, assets_dir() / "illustrations")
        assert seen and not any(seen)
        assert gc.isenabled() is on_before
        with pytest.raises(ContentError):
            load_library(content_dir(), ["en"], VALUES, assets_dir() / "illustrations", topics=["no-such-topic"])
        assert gc.isenabled() is on_before
    finally:
        gc.enable() if was else gc.disable()


def test_link_to_unknown_page_is_refused(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    (folder / "risks.md").write_text("Fine.\n\nSee [the end](#nowhere).\n")
    [message] = problems_of(folder, pictures)
    assert message.startswith(f"{folder / 'risks.md'}:3: link to unknown page '#nowhere'")


def test_non_utf8_page_names_the_line(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    (folder / "risks.md").write_bytes("Line one.\n\nCaf\u00e9 two.\n".encode("latin-1"))
    [message] = problems_of(folder, pictures)
    assert message.startswith(f"{folder / 'risks.md'}:3: not UTF-8")


def test_non_utf8_manifest(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    data = (folder / "pack.toml").read_bytes().replace(b'"Risks"', b'"Ri\xe9sks"')
    (folder / "pack.toml").write_bytes(data)
    [message] = problems_of(folder, pictures)
    assert str(folder / "pack.toml") in message and "not UTF-8" in message


@pytest.mark.parametrize("text", ["", "   \n\n  \n"])
def test_empty_page(tmp_path: Path, text: str) -> None:
    folder, pictures = make_pack(tmp_path)
    (folder / "risks.md").write_text(text)
    [message] = problems_of(folder, pictures)
    assert message == f"{folder / 'risks.md'}:1: page is empty"


def test_duplicate_question_id_names_the_second(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    text = (folder / "pack.toml").read_text().replace('id = "q-two"', 'id = "q-one"')
    (folder / "pack.toml").write_text(text)
    lines = [i + 1 for i, t in enumerate(text.splitlines()) if t == 'id = "q-one"']
    [message] = problems_of(folder, pictures)
    assert message == f"{folder / 'pack.toml'}:{lines[1]}: duplicate question id 'q-one'"


def test_missing_placeholder_value_is_an_error(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    messages = problems_of(folder, pictures, {**VALUES, "clinic_phone": ""})
    assert any(m.startswith(f"{folder / 'intro.md'}:5: placeholder {{{{clinic_phone}}}} has no value") for m in messages)
    manifest_line = next(i + 1 for i, t in enumerate((folder / "pack.toml").read_text().splitlines())
                         if t.startswith('heading = "Call {{clinic_phone}}'))
    assert f"{folder / 'pack.toml'}:{manifest_line}: placeholder {{{{clinic_phone}}}} has no value: set clinic_phone in the config file" in messages


def test_unknown_placeholder_is_an_error(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    (folder / "risks.md").write_text("Call {{clinic_phon}} today.\n")
    [message] = problems_of(folder, pictures)
    assert message.startswith(f"{folder / 'risks.md'}:1: unknown placeholder {{{{clinic_phon}}}}")


def test_placeholder_values_are_escaped(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    pack = load(folder, pictures, {**VALUES, "clinic_phone": "<script>x</script>"})
    assert "<script>" not in pack.page("intro").html


def test_missing_ui_string_is_reported(tmp_path: Path) -> None:
    """(In a language the kiosk ships no words for: else the bundled word stands in, with a
    warning; test_topics.py tests that.)"""
    folder, pictures = make_pack(tmp_path, "fr")
    words = interface_path(folder)  # an interface word: in interface/fr.toml, shared by every topic
    text = "\n".join(t for t in words.read_text().splitlines() if not t.startswith("still_here ="))
    words.write_text(text)
    [message] = problems_of(folder, pictures)
    assert message.startswith(f"{words}:") and "[ui] is missing 'still_here'" in message


def test_missing_manifest(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    (folder / "pack.toml").unlink()
    [message] = problems_of(folder, pictures)
    assert message.startswith(f"{folder / 'pack.toml'}:1: manifest pack.toml not found")


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    (folder / "risks.md").write_text("")
    (folder / "summary.md").write_text("<i>x</i>\n")
    messages = problems_of(folder, pictures)
    assert len(messages) == 2


def _replace_in(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` line in ``path`` with ``new``; return its line number."""
    lines = path.read_text().splitlines()
    index = lines.index(old)
    lines[index] = new
    path.write_text("\n".join(lines) + "\n")
    return index + 1


def library_problems(tmp_path: Path, pictures: Path, languages: tuple[str, ...] = ("en", "es")) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_library(tmp_path / "content", list(languages), VALUES, pictures)
    for problem in caught.value.problems:
        assert problem.path.is_file() and problem.line >= 1, problem
    return [str(p) for p in caught.value.problems]


def test_languages_must_share_ids(tmp_path: Path) -> None:
    make_pack(tmp_path, "en")
    folder, pictures = make_pack(tmp_path, "es")
    line = _replace_in(folder / "pack.toml", 'id = "q-two"', 'id = "q-dos"')
    [message] = library_problems(tmp_path, pictures)
    assert message == (f"{folder / 'pack.toml'}:{line}: question ids differ from 'en': 'q-dos' is not in 'en'; "
                       "did you mean 'q-two' (which is missing here)?")


def test_id_typo_is_reported_with_the_other_problems_sorted(tmp_path: Path) -> None:
    en, _ = make_pack(tmp_path, "en")
    es, pictures = make_pack(tmp_path, "es")
    (en / "summary.md").write_text("")
    (es / "risks.md").write_text("<b>x</b>\n")
    typo = _replace_in(es / "pack.toml", 'id = "step-one"', 'id = "step-on"')
    link = _replace_in(es / "pack.toml", 'title = "Risks"', 'title = "Risks {{nope}}"')
    messages = library_problems(tmp_path, pictures)
    assert [m.split(": ", 1)[0] for m in messages] == [
        f"{en / 'summary.md'}:1",
        f"{es / 'pack.toml'}:{typo}",
        f"{es / 'pack.toml'}:{link}",
        f"{es / 'risks.md'}:1",
    ], messages
    assert messages[1].endswith("page ids differ from 'en': 'step-on' is not in 'en'; did you mean 'step-one' (which is missing here)?")


def test_missing_id_is_reported_at_its_neighbour(tmp_path: Path) -> None:
    make_pack(tmp_path, "en")
    es, pictures = make_pack(tmp_path, "es")
    text = (es / "pack.toml").read_text()
    last = text.rindex("[[questions]]")
    (es / "pack.toml").write_text(text[:last])
    line = next(i + 1 for i, t in enumerate(text.splitlines()) if t == 'id = "q-one"')
    [message] = library_problems(tmp_path, pictures)
    assert message == f"{es / 'pack.toml'}:{line}: question ids differ from 'en': 'q-two' is missing; add it after 'q-one', as in 'en'"


def test_extra_id_far_from_any_other(tmp_path: Path) -> None:
    make_pack(tmp_path, "en")
    es, pictures = make_pack(tmp_path, "es")
    text = (es / "pack.toml").read_text()
    (es / "pack.toml").write_text(text + '\n[[questions]]\nid = "zzzz"\ngroup = "benefits"\ntext = "Why?"\nwhy = "So."\n')
    line = len(text.splitlines()) + 3
    [message] = library_problems(tmp_path, pictures)
    assert message == f"{es / 'pack.toml'}:{line}: question ids differ from 'en': 'zzzz' is not in 'en'; every language needs the same ids"


def test_ids_in_another_order(tmp_path: Path) -> None:
    make_pack(tmp_path, "en")
    es, pictures = make_pack(tmp_path, "es")
    first = _replace_in(es / "pack.toml", 'id = "q-one"', 'id = "q-tmp"')
    _replace_in(es / "pack.toml", 'id = "q-two"', 'id = "q-one"')
    _replace_in(es / "pack.toml", 'id = "q-tmp"', 'id = "q-two"')
    [message] = library_problems(tmp_path, pictures)
    assert message == f"{es / 'pack.toml'}:{first}: question ids differ from 'en': different order; 'en' has 'q-one' here, not 'q-two'"


def test_page_kind_and_picture_differences_name_their_lines(tmp_path: Path) -> None:
    make_pack(tmp_path, "en")
    es, pictures = make_pack(tmp_path, "es")
    manifest = es / "pack.toml"
    manifest.write_text(manifest.read_text().replace('illustration = "picture.svg"\n', ""))
    kind = _replace_in(manifest, 'kind = "stage"', 'kind = "info"')
    intro = _replace_in(manifest, 'id = "intro"', 'id = "intro"')
    messages = library_problems(tmp_path, pictures)
    assert messages == [
        f"{manifest}:{intro}: page 'intro' has no picture here but one in 'en'",
        f"{manifest}:{kind}: page 'step-one' differs from 'en': kind 'info' (en: 'stage')",
    ]


def test_page_step_difference(tmp_path: Path) -> None:
    make_pack(tmp_path, "en")
    es, pictures = make_pack(tmp_path, "es")
    line = _replace_in(es / "pack.toml", "step = 1", "step = 2")
    messages = library_problems(tmp_path, pictures)
    assert f"{es / 'pack.toml'}:{line}: page 'step-one' differs from 'en': step 2 (en: 1)" in messages


line_edit = st.tuples(st.sampled_from(["delete", "duplicate", "swap", "ids"]), st.integers(0, 10_000), st.integers(0, 10_000))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(line_edit, min_size=1, max_size=5))
def test_comparing_broken_packs_reports_only_located_problems(tmp_path: Path, edits: list[tuple[str, int, int]]) -> None:
    """Ids are compared even in a pack with other problems: that must never crash or lose the line."""
    make_pack(tmp_path, "en")
    es, pictures = make_pack(tmp_path, "es")
    lines = manifest("es").splitlines()
    for op, raw_i, raw_j in edits:
        i, j = raw_i % len(lines), raw_j % len(lines)
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif lines[i].startswith("id = "):
            lines[i] = lines[i].replace('"', '"x', 1)
        if not lines:
            break
    (es / "pack.toml").write_text("\n".join(lines) + "\n")
    try:
        load_library(tmp_path / "content", ["en", "es"], VALUES, pictures)
    except ContentError as exc:
        assert exc.problems
        assert all(p.line >= 1 and p.path.exists() for p in exc.problems), exc
        assert exc.problems == sorted(exc.problems, key=lambda p: (str(p.path), p.line))


def test_missing_language_folder(tmp_path: Path) -> None:
    _, pictures = make_pack(tmp_path, "en")
    with pytest.raises(ContentError) as caught:
        load_library(tmp_path / "content", ["en", "fr"], VALUES, pictures)
    assert "language folder 'fr' not found" in str(caught.value)


# --------------------------------------------------------------------------- "did you mean" hints


def _manifest_line(folder: Path, text: str) -> int:
    return next(i + 1 for i, t in enumerate((folder / "pack.toml").read_text().splitlines()) if t == text)


@pytest.mark.parametrize("on_disk", ["Risks.md", "rsks.md", "risks.MD"])
def test_missing_page_file_suggests_the_closest_markdown_file(tmp_path: Path, on_disk: str) -> None:
    folder, pictures = make_pack(tmp_path)
    (folder / "risks.md").rename(folder / on_disk)
    [message] = problems_of(folder, pictures)
    line = _manifest_line(folder, 'file = "risks.md"')
    assert message == (f"{folder / 'pack.toml'}:{line}: page 'risks': page file 'risks.md' not found in {folder}; "
                       f"did you mean '{on_disk}'?")


def test_missing_page_file_without_a_close_name_gets_no_hint(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    (folder / "risks.md").rename(folder / "zzz.md")
    [message] = problems_of(folder, pictures)
    assert "not found" in message and "did you mean" not in message


@pytest.mark.parametrize("written", ["pictur.svg", "Picture.svg", "pictures/picture.svg"])
def test_unknown_illustration_suggests_the_closest_name(tmp_path: Path, written: str) -> None:
    folder, pictures = make_pack(tmp_path, picture=written)
    [message] = problems_of(folder, pictures)
    line = _manifest_line(folder, f'illustration = "{written}"')
    assert message.startswith(f"{folder / 'pack.toml'}:{line}:")
    assert f"illustration {written!r} not found" in message
    assert "did you mean 'picture.svg'?" in message and "known: picture.svg" in message


def test_link_to_misspelt_page_suggests_the_page(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    (folder / "risks.md").write_text("Fine.\n\nSee [the list](#question).\n")
    [message] = problems_of(folder, pictures)
    assert message.startswith(f"{folder / 'risks.md'}:3: link to unknown page '#question'; did you mean '#questions'?")


# --------------------------------------------------------------------------- a clinic's own pictures


def test_clinic_picture_beside_the_language_folders_is_used(tmp_path: Path) -> None:
    make_pack(tmp_path, "en", picture="our-room.svg")
    _, pictures = make_pack(tmp_path, "es", picture="our-room.svg")
    ours = add_clinic_picture(tmp_path, "our-room.svg")
    library = load_library(tmp_path / "content", ["en", "es"], VALUES, pictures)
    for pack in library.packs.values():
        illustration = pack.page("intro").illustration
        assert illustration is not None and illustration.path == ours


def test_clinic_picture_replaces_a_bundled_one_of_the_same_name(tmp_path: Path) -> None:
    _, pictures = make_pack(tmp_path, "en")
    ours = add_clinic_picture(tmp_path, "picture.svg")
    library = load_library(tmp_path / "content", ["en"], VALUES, pictures)
    assert library.pack("en").page("intro").illustration.path == ours  # type: ignore[union-attr]


def test_unknown_picture_lists_clinic_and_bundled_names(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path, "en", picture="our-rom.svg")
    add_clinic_picture(tmp_path, "our-room.svg")
    clinic = tmp_path / "content" / "illustrations"
    [message] = library_problems(tmp_path, pictures, ("en",))
    line = _manifest_line(folder, 'illustration = "our-rom.svg"')
    assert message == (f"{folder / 'pack.toml'}:{line}: page 'intro': illustration 'our-rom.svg' not found in {clinic} or "
                       f"{pictures}; did you mean 'our-room.svg'? (known: our-room.svg, picture.svg)")


@pytest.mark.parametrize(("name", "data", "why"), [
    ("our-room.png", b"\x89PNG\r\n\x1a\n", "is not an SVG file"),
    ("our-room.svg", b"<svg>" + b" " * 2_000_001 + b"</svg>", "is too large (2,000,012 bytes; the limit is 2,000,000)"),
    ("our-room.svg", b"Hello, I am a text file.", "is not an SVG drawing"),
    ("our-room.svg", b"<html><body><svg></svg></body></html>", "is not an SVG drawing"),
    ("our-room.svg", b"\x00\xff\xfe garbage", "is not an SVG drawing"),
])
def test_unusable_clinic_picture_is_refused_at_its_manifest_line(tmp_path: Path, name: str, data: bytes, why: str) -> None:
    folder, pictures = make_pack(tmp_path, "en", picture=name)
    path = add_clinic_picture(tmp_path, name, data)
    [message] = library_problems(tmp_path, pictures, ("en",))
    line = _manifest_line(folder, f'illustration = "{name}"')
    assert message.startswith(f"{folder / 'pack.toml'}:{line}: page 'intro': illustration '{name}' ({path}) {why}"), message


@pytest.mark.parametrize("data", [
    '<?xml version="1.0" encoding="UTF-8"?>\n<!-- drawn for our clinic -->\n' + SVG,
    '\ufeff<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' + SVG,
    SVG.replace("<svg ", "<svg:svg ").replace("</svg>", "</svg:svg>"),
])
def test_clinic_svg_with_a_prolog_is_accepted(tmp_path: Path, data: str) -> None:
    _, pictures = make_pack(tmp_path, "en", picture="our-room.svg")
    add_clinic_picture(tmp_path, "our-room.svg", data)
    assert load_library(tmp_path / "content", ["en"], VALUES, pictures).pack("en").page("intro").illustration is not None


# ----------------------------------------------------------------------------- warning signs


def manifest_line(folder: Path, starts: str, nth: int = 0) -> int:
    lines = [i + 1 for i, t in enumerate((folder / "pack.toml").read_text().splitlines()) if t.startswith(starts)]
    return lines[nth]


def test_the_warning_tiers_are_read_and_shown_where_the_page_asks(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    pack = load(folder, pictures)
    assert [t.tier for t in pack.warnings] == ["emergency", "same-day", "after-hours"]
    assert pack.warnings[0].heading == "Call 911 now if you have:"  # placeholders filled in
    risks = pack.page("questions")  # the page of the test pack that asks for them
    for tier in pack.warnings:
        assert f"<h3>{tier.heading}</h3>" in risks.html
        assert all(f"<li>{sign}</li>" in risks.html for sign in tier.signs)
        assert tier.heading in risks.blocks and all(sign in risks.blocks for sign in tier.signs)  # read aloud too


def test_a_pack_without_warning_tiers_fails(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    text = (folder / "pack.toml").read_text()
    (folder / "pack.toml").write_text(text[: text.index("[[warnings]]")] + text[text.index("[[sections]]"):])
    assert f"{folder / 'pack.toml'}:1: no [[warnings]] blocks" in problems_of(folder, pictures)


def test_a_missing_or_misplaced_tier_fails_at_its_line(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    text = (folder / "pack.toml").read_text()
    (folder / "pack.toml").write_text(text.replace('tier = "same-day"', 'tier = "later"'))
    [message] = problems_of(folder, pictures)
    first = manifest_line(folder, "[[warnings]]")
    assert message == (f"{folder / 'pack.toml'}:{first}: the warning signs need three [[warnings]] tiers, in this order: "
                       "emergency, same-day, after-hours (found: emergency, later, after-hours)")


def test_a_tier_with_no_signs_fails(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    text = (folder / "pack.toml").read_text()
    (folder / "pack.toml").write_text(text.replace('signs = ["Go to the emergency room."]', "signs = []"))
    [message] = problems_of(folder, pictures)
    line = manifest_line(folder, "signs = []")
    assert message.startswith(f"{folder / 'pack.toml'}:{line}: warning tier 'after-hours': 'signs' must be a list of texts")


def test_the_warning_signs_must_be_on_some_page_on_a_line_of_their_own(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    (folder / "questions.md").write_text("Tap a question.\n")
    assert any("no page shows the warning signs" in m for m in problems_of(folder, pictures))
    (folder / "questions.md").write_text("Tap a question.\n\nSee {{warning_signs}} here.\n")
    assert any(m.startswith(f"{folder / 'questions.md'}:3: {{{{warning_signs}}}} must stand alone on its own line")
               for m in problems_of(folder, pictures))


def test_an_older_pack_is_told_where_its_warning_signs_went(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    text = (folder / "pack.toml").read_text()
    (folder / "pack.toml").write_text(text.replace('warning_title = "After"', 'warning_title = "After"\nwarning_signs = ["Fever."]'))
    [message] = problems_of(folder, pictures)
    line = manifest_line(folder, "warning_signs")
    assert message.startswith(f"{folder / 'pack.toml'}:{line}: [handout] warning_signs has moved")


def test_an_indented_warning_block_is_refused_not_shown(tmp_path: Path) -> None:
    folder, pictures = make_pack(tmp_path)
    (folder / "questions.md").write_text("Tap a question.\n\n    {{warning_signs}}\n")
    messages = problems_of(folder, pictures)
    assert any(m.startswith(f"{folder / 'questions.md'}:3: {{{{warning_signs}}}} must stand alone") for m in messages)


@pytest.mark.parametrize("text", ['title = "x', "a = 1\nb = ", "[x]\na = 1\n[x]\n", "a = [1,\n", "a = 1\na = 2\n", "x = tru\n",
                                  'a = "\\q"\n', "[[pages]]\nid = 'a'\n[pages]\n",
                                  # TOML 1.1, which tomllib refuses: a newline in an inline table, \e, a time without seconds
                                  "a = { b = 1,\n c = 2 }\n", 'a = "\\e"\n', "a = 2024-01-01T10:00\n"])
def test_content_toml_is_read_as_the_standard_library_reads_it(text: str) -> None:
    """The loader's compiled TOML parser (tomli) takes and refuses what tomllib does, with the same messages."""
    import tomllib

    from kiosk.core.content import toml_text
    from kiosk.core.content.manifest import toml_error_line

    def outcome(module) -> object:  # type: ignore[no-untyped-def]
        try:
            return module.loads(text)
        except module.TOMLDecodeError as exc:
            return toml_error_line(exc)

    assert toml_text.loads.__module__.startswith("tomli")
    assert outcome(toml_text) == outcome(tomllib)
