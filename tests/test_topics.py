"""Topics (issue 13 item 3): one folder per procedure, interface words apart, links between
topics, the config keys that choose them, and statistics named topic/id."""

from __future__ import annotations

import io
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from kiosk.checker import check_content
from kiosk.core.content import INTERFACE_KEYS, TOPIC_UI_KEYS, UI_KEYS, ContentLibrary, load_library
from kiosk.core.content.cache import load_library_cached
from kiosk.core.errors import ContentError
from kiosk.core.kiosk_content import load_kiosk_content
from kiosk.core.readability import ReadingLimits
from kiosk.core.resources import assets_dir, content_dir
from kiosk.core.settings import Settings, fit_to_content, parse_settings
from kiosk.core.stats import SessionRecord, StatsStore
from tests.packmaker import SECOND_TOPIC, TOPIC, VALUES, interface_path, make_pack, make_second_topic

PICTURES = assets_dir() / "illustrations"
SETTINGS = Settings(clinic_name="Sunrise Pain Clinic", clinic_phone="555-0142")


def two_topics(tmp_path: Path, languages: tuple[str, ...] = ("en", "es")) -> Path:
    """The test pack as thoracic-mbb and a small thoracic-rfa beside it; returns the content folder."""
    for language in languages:
        make_pack(tmp_path, language, picture="spine-facets.svg")
        make_second_topic(tmp_path, language, picture="spine-facets.svg")
    return tmp_path / "content"


def load(root: Path, languages: tuple[str, ...] = ("en", "es")) -> ContentLibrary:
    return load_library(root, list(languages), VALUES, PICTURES)


def problems(root: Path, languages: tuple[str, ...] = ("en", "es")) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(root, languages)
    return [str(p) for p in caught.value.problems]


def line_of(path: Path, text: str) -> int:
    return next(i + 1 for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()) if text in line)


# --------------------------------------------------------------------------- the library


def test_two_topics_load_each_in_every_language(tmp_path: Path) -> None:
    library = load(two_topics(tmp_path))
    assert library.topics == [TOPIC, SECOND_TOPIC] and library.default_topic == TOPIC
    assert library.languages == ["en", "es"] and library.default_language == "en"
    assert library.pack("es").topic == TOPIC and library.pack("es").language == "es"  # today's callers: the default topic
    second = library.pack("es", SECOND_TOPIC)
    assert second.topic == SECOND_TOPIC and second.language == "es" and [p.id for p in second.pages][0] == "what-it-is"
    assert library.topic_packs(SECOND_TOPIC) == {"en": library.pack("en", SECOND_TOPIC), "es": second}
    assert library.pack("fr", SECOND_TOPIC) is library.pack("en", SECOND_TOPIC)  # an unserved language: the default
    assert len(library.all_packs()) == 4
    with pytest.raises(KeyError):
        library.pack("en", "no-such-topic")


def test_topic_cards_come_from_topic_or_from_the_pack(tmp_path: Path) -> None:
    library = load(two_topics(tmp_path))
    card = library.card(SECOND_TOPIC, "es")  # written in [topic]
    assert (card.title, card.summary) == ("Nerve ablation", "Heat calms the nerves for longer.")
    assert card.picture is not None and card.picture.file == "spine-facets.svg" and card.picture.alt == "A picture."
    first = library.card(TOPIC)  # no [topic]: app_title, welcome_title and the first picture
    assert (first.title, first.summary) == ("app_title text", "welcome_title text") and first.picture is not None


def test_a_topic_card_picture_must_be_a_page_picture(tmp_path: Path) -> None:
    root = two_topics(tmp_path, ("en",))
    manifest = root / SECOND_TOPIC / "en" / "pack.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'summary = "Heat calms the nerves for longer."', 'summary = "Heat calms the nerves for longer."\nillustration = "risks.svg"'),
        encoding="utf-8")
    [problem] = problems(root, ("en",))
    line = line_of(manifest, 'illustration = "risks.svg"')
    assert problem.startswith(f"{manifest}:{line}: [topic] illustration 'risks.svg' is not the picture of any page here")


def test_shipped_content_is_two_topics_with_the_block_first(tmp_path: Path) -> None:
    # Issue 14 added the ablation (thoracic-rfa) beside the block; with no config the kiosk
    # offers every topic folder by name, so the block stays the default topic.
    library = load(content_dir())
    assert library.topics == ["thoracic-mbb", "thoracic-rfa"] and library.pack("en").topic == "thoracic-mbb"
    assert library.pack("en").text("next") == "Next" and library.pack("es").text("next") == "Siguiente"
    assert library.pack("en", "thoracic-rfa").text("next") == "Next"  # the interface words are shared
    assert library.pack("en").text("app_title") == "Your thoracic medial branch block"  # a topic's own word
    assert library.pack("en", "thoracic-rfa").text("app_title") == "Your thoracic radiofrequency ablation"


def test_config_topics_choose_the_order_and_the_default(tmp_path: Path) -> None:
    root = two_topics(tmp_path)
    settings = fit_to_content(parse_settings('topics = ["thoracic-rfa", "thoracic-mbb"]\ndefault_topic = "thoracic-rfa"\n'), root)
    library = load_kiosk_content(settings, root)
    assert library.topics == [SECOND_TOPIC, TOPIC] and library.default_topic == SECOND_TOPIC
    assert library.pack("en").topic == SECOND_TOPIC and settings.problems == ()
    only = load_kiosk_content(fit_to_content(parse_settings('topics = ["thoracic-mbb"]\n'), root), root)
    assert only.topics == [TOPIC]


# --------------------------------------------------------------------------- the interface words


def test_pack_text_answers_from_the_interface_words_of_every_topic(tmp_path: Path) -> None:
    root = two_topics(tmp_path)
    words = interface_path(root / TOPIC / "es")
    words.write_text(words.read_text(encoding="utf-8").replace('next = "next text"', 'next = "Siguiente"'), encoding="utf-8")
    library = load(root)
    assert library.pack("es").text("next") == "Siguiente" == library.pack("es", SECOND_TOPIC).text("next")
    assert library.pack("en").text("next") == "next text"
    assert library.pack("en").text("step_of", n=2, total=4) == "Step 2 of 4"
    assert library.pack("en", SECOND_TOPIC).text("welcome_title") == "welcome_title text"
    assert set(library.pack("es", SECOND_TOPIC).ui) == set(UI_KEYS) == set(INTERFACE_KEYS) | set(TOPIC_UI_KEYS)


def test_the_shipped_interface_words_are_in_every_language(tmp_path: Path) -> None:
    for language in ("en", "es"):
        text = (content_dir() / "interface" / f"{language}.toml").read_text(encoding="utf-8")
        keys = [line.split(" =")[0] for line in text.splitlines() if " = " in line]
        assert sorted(keys) == sorted(INTERFACE_KEYS), language


def test_an_interface_word_missing_in_one_language_is_named_there(tmp_path: Path) -> None:
    """Where the kiosk ships no words for the language, a missing word is an error."""
    root = two_topics(tmp_path, ("en", "fr"))
    words = interface_path(root / TOPIC / "fr")
    words.write_text("\n".join(t for t in words.read_text(encoding="utf-8").splitlines() if not t.startswith("qr_hint =")),
                     encoding="utf-8")
    assert problems(root, ("en", "fr")) == [f"{words}:3: [ui] is missing 'qr_hint'"]


def test_a_clinic_interface_file_from_an_older_version_takes_the_new_words_from_the_bundled_one(tmp_path: Path) -> None:
    """A clinic's own interface words, written before a word was added, still load after the
    update: the missing word is the bundled one, and check-content says which to add."""
    root = two_topics(tmp_path)
    words = interface_path(root / TOPIC / "es")
    words.write_text("\n".join(t for t in words.read_text(encoding="utf-8").splitlines()
                               if not t.startswith(("less_motion =", "qr_hint ="))), encoding="utf-8")
    library = load(root)
    bundled = {line.split(" = ", 1)[0]: line.split(" = ", 1)[1].strip('"')
               for line in (content_dir() / "interface" / "es.toml").read_text(encoding="utf-8").splitlines() if " = " in line}
    assert library.pack("es").text("less_motion") == bundled["less_motion"] != ""
    assert library.pack("es", SECOND_TOPIC).text("qr_hint") == bundled["qr_hint"]
    assert library.pack("es").text("next") == "next text"  # the clinic's own words stay
    assert [w.split(": warning: ")[0] for w in library.warnings] == [f"{words}:3"] * 2
    assert [w for w in library.warnings if "'less_motion'" in w and repr(bundled["less_motion"]) in w]
    out = io.StringIO()
    assert check_content(root, fit_to_content(SETTINGS, root), ReadingLimits(), out=out) == 0, out.getvalue()
    assert f"{words}:3: warning: [ui] lacks 'qr_hint'" in out.getvalue() and out.getvalue().splitlines()[-1] == "OK"


def test_an_interface_word_left_in_a_pack_is_moved_not_ignored(tmp_path: Path) -> None:
    root = two_topics(tmp_path, ("en",))
    manifest = root / SECOND_TOPIC / "en" / "pack.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("[ui]\n", '[ui]\nnext = "Onward"\n', 1), encoding="utf-8")
    found = problems(root, ("en",))
    assert found == [f"{manifest}:{line_of(manifest, 'next = ')}: [ui] 'next' is an interface word, shared by every topic: "
                     "it is in interface/en.toml now; remove it here"]


# --------------------------------------------------------------------------- the old layout


def test_a_content_folder_in_the_old_layout_says_how_to_move_it(tmp_path: Path) -> None:
    folder, _ = make_pack(tmp_path)
    root = tmp_path / "old"
    root.mkdir()
    folder.rename(root / "en")
    found = problems(root)
    assert len(found) == 1 and found[0].startswith(f"{root / 'en' / 'pack.toml'}:1: this content folder has the layout "
                                                   "from before topics: the language folder 'en' is directly in")
    assert f"move en into it ({root / '<topic>' / 'en'})" in found[0] and "interface" in found[0]
    out = io.StringIO()
    assert check_content(root, SETTINGS, ReadingLimits(), out=out) == 1
    assert out.getvalue().splitlines()[0] == found[0]


# --------------------------------------------------------------------------- links between topics


def test_a_link_to_another_topics_page_is_a_fragment_with_a_slash(tmp_path: Path) -> None:
    library = load(two_topics(tmp_path))
    assert '<a href="#thoracic-mbb/intro">the block</a>' in library.pack("es", SECOND_TOPIC).page("what-it-is").html
    assert library.warnings == ()


@pytest.mark.parametrize(("written", "message"), [
    ("thoracic-mbx#intro", "link (thoracic-mbx#intro) to unknown topic 'thoracic-mbx'; did you mean 'thoracic-mbb'? "
                           "(topics: thoracic-mbb, thoracic-rfa)"),
    ("thoracic-mbb#intr", "link (thoracic-mbb#intr) to unknown page 'intr' of topic 'thoracic-mbb'; did you mean "
                          "'thoracic-mbb#intro'? (its pages: intro, questions, risks, step-one, summary)"),
], ids=["unknown topic", "unknown page"])
def test_a_link_to_an_unknown_topic_or_page_is_named_at_its_line(tmp_path: Path, written: str, message: str) -> None:
    root = two_topics(tmp_path)
    page = root / SECOND_TOPIC / "es" / "what-it-is.md"
    page.write_text(f"Heat calms the small nerves.\n\nSee [the block]({written}).\n", encoding="utf-8")
    assert problems(root) == [f"{page}:3: {message}"]


def test_a_link_to_a_topic_the_config_leaves_out_is_plain_words_and_a_warning(tmp_path: Path) -> None:
    root = two_topics(tmp_path)
    settings = fit_to_content(Settings(clinic_name="Sunrise Pain Clinic", clinic_phone="555-0142", topics=(SECOND_TOPIC,)), root)
    library = load_kiosk_content(settings, root)
    assert library.topics == [SECOND_TOPIC]
    html = library.pack("en").page("what-it-is").html
    assert "<a>the block</a>" in html and "#thoracic-mbb" not in html  # no dead link for a patient
    page = root / SECOND_TOPIC / "en" / "what-it-is.md"
    warning = (f"{page}:3: warning: link (thoracic-mbb#intro) to topic 'thoracic-mbb', which the config's topics leave "
               "out: the kiosk shows its words without the link")
    assert warning in library.warnings
    out = io.StringIO()
    assert check_content(root, settings, ReadingLimits(), out=out) == 0  # a warning, not a failure
    assert warning in out.getvalue().splitlines() and out.getvalue().splitlines()[-1] == "OK"


# --------------------------------------------------------------------------- check-content and the cache


def test_check_content_checks_every_topic_and_names_the_file(tmp_path: Path) -> None:
    root = two_topics(tmp_path)
    settings = fit_to_content(SETTINGS, root)
    out = io.StringIO()
    assert check_content(root, settings, ReadingLimits(), out=out) == 0, out.getvalue()
    lines = out.getvalue().splitlines()
    assert "thoracic-rfa/es/what-it-is.md" in "\n".join(lines) and "thoracic-mbb/en: average" in "\n".join(lines)
    broken = root / SECOND_TOPIC / "es" / "summary.md"
    broken.write_text("<b>Show</b> this.\n", encoding="utf-8")
    out = io.StringIO()
    assert check_content(root, settings, ReadingLimits(), out=out) == 1
    assert f"{broken}:1: raw HTML is not allowed ('<b>'); write plain Markdown" in out.getvalue().splitlines()


def test_check_content_checks_a_topic_the_config_leaves_out(tmp_path: Path) -> None:
    root = two_topics(tmp_path, ("en",))
    broken = root / SECOND_TOPIC / "en" / "summary.md"
    broken.write_text("<b>Show</b> this.\n", encoding="utf-8")
    settings = fit_to_content(Settings(clinic_name="Sunrise Pain Clinic", clinic_phone="555-0142", languages=("en",),
                                       topics=(TOPIC,)), root)
    assert load_kiosk_content(settings, root).topics == [TOPIC]  # the kiosk serves the first topic ...
    out = io.StringIO()
    assert check_content(root, settings, ReadingLimits(), out=out) == 1  # ... the checker looks at both
    assert any(line.startswith(f"{broken}:1:") for line in out.getvalue().splitlines())


@pytest.mark.parametrize("edit", ["second topic page", "interface words"])
def test_the_content_cache_sees_every_topic_and_the_interface_words(tmp_path: Path, edit: str) -> None:
    root = two_topics(tmp_path)
    cache_file = tmp_path / "cache.json"
    first = load_library_cached(root, ["en", "es"], VALUES, PICTURES, cache_file)
    assert load_library_cached(root, ["en", "es"], VALUES, PICTURES, cache_file) == first  # a hit
    if edit == "second topic page":
        (root / SECOND_TOPIC / "en" / "summary.md").write_text("Show this to your doctor.\n", encoding="utf-8")
        changed = load_library_cached(root, ["en", "es"], VALUES, PICTURES, cache_file)
        assert "doctor" in changed.pack("en", SECOND_TOPIC).page("summary").html
    else:
        words = interface_path(root / TOPIC / "en")
        words.write_text(words.read_text(encoding="utf-8").replace('next = "next text"', 'next = "Onward"'), encoding="utf-8")
        changed = load_library_cached(root, ["en", "es"], VALUES, PICTURES, cache_file)
        assert changed.pack("en", SECOND_TOPIC).text("next") == "Onward"
    assert changed.topics == first.topics and changed.card(SECOND_TOPIC) == first.card(SECOND_TOPIC)


# --------------------------------------------------------------------------- config keys


def test_topics_and_default_topic_are_validated_like_languages() -> None:
    s = parse_settings('topics = ["thoracic-mbb", "thoracic-rfa"]\ndefault_topic = "knee"\n', "kiosk.toml")
    assert s.topics == ("thoracic-mbb", "thoracic-rfa") and s.default_topic == "thoracic-mbb"
    assert s.problems == ("kiosk.toml:2: default_topic: 'knee' is not in topics; using 'thoracic-mbb'",)
    for bad in ('"thoracic-mbb"', "[]", '["Thoracic MBB"]', '["a", "a"]', "[1]"):
        s = parse_settings(f"topics = {bad}\n", "kiosk.toml")
        assert s.topics == () and len(s.problems) == 1 and s.problems[0].startswith("kiosk.toml:1: topics "), bad
    s = parse_settings('default_topic = "../x"\n', "kiosk.toml")
    assert s.default_topic == "" and s.problems[0].startswith("kiosk.toml:1: default_topic must be a topic folder name")


def test_a_configured_topic_with_no_folder_is_left_out_and_blamed_on_the_key(tmp_path: Path) -> None:
    root = two_topics(tmp_path)
    s = fit_to_content(parse_settings('topics = ["knee", "thoracic-rfa"]\ndefault_topic = "knee"\n', "kiosk.toml"), root)
    assert s.topics == (SECOND_TOPIC,) and s.default_topic == SECOND_TOPIC
    assert s.problems[0] == f"kiosk.toml:1: topics: no topic folder 'knee' in {root}; left out (serving thoracic-rfa)"
    assert s.problems[1].startswith("kiosk.toml:2: default_topic: 'knee' is not a topic served")
    unset = fit_to_content(parse_settings(""), root)
    assert unset.topics == (TOPIC, SECOND_TOPIC) and unset.default_topic == TOPIC and unset.problems == ()


# --------------------------------------------------------------------------- statistics


def test_new_statistics_name_their_topic(tmp_path: Path) -> None:
    library = load(two_topics(tmp_path))
    store = StatsStore(tmp_path / "stats.sqlite3", library.statistics_ids(), library.default_topic)
    day = date(2026, 12, 1)
    store.record(SessionRecord("en", "what-it-is", {"what-it-is": 10}, {"what-it-is": 1}, ["q-one"], topic=SECOND_TOPIC), day)
    store.record(SessionRecord("es", "risks", {"risks": 30}, {"risks": 1}, ["q-one"]), day)  # the default topic's
    store.record(SessionRecord("en", "thoracic-rfa/nowhere", {}, {}, ["thoracic-rfa/not-a-question"]), day)  # unknown: dropped
    for _ in range(8):
        store.record(SessionRecord("en", None), day)
    s = store.summary(day, day)
    assert s.furthest_page == {"thoracic-rfa/what-it-is": 1, "thoracic-mbb/risks": 1}
    assert s.question_ticks == {"thoracic-mbb/q-one": 1, "thoracic-rfa/q-one": 1}
    assert s.seconds_per_view == {"thoracic-rfa/what-it-is": 10, "thoracic-mbb/risks": 30}
    assert "not-a-question" not in store.export_csv() and "nowhere" not in store.export_csv()


def test_statistics_from_before_topics_are_read_as_thoracic_mbb(tmp_path: Path) -> None:
    path = tmp_path / "stats.sqlite3"
    StatsStore(path)  # the same schema as before topics
    with sqlite3.connect(path) as db:  # what an older kiosk wrote: bare ids
        db.executemany("INSERT INTO counters VALUES (?, ?, ?, ?)", [
            ("2026-11-30", "sessions", "", 12), ("2026-11-30", "furthest_page", "risks", 12),
            ("2026-11-30", "page_views", "risks", 12), ("2026-11-30", "page_seconds", "risks", 120),
            ("2026-11-30", "question_ticked", "risk-lung", 5)])
    store = StatsStore(path, default_topic="thoracic-mbb")
    store.record(SessionRecord("en", "risks", {"risks": 20}, {"risks": 1}, ["risk-lung"]), date(2026, 11, 30))
    s = store.summary(date(2026, 11, 24), date(2026, 11, 30))
    assert s.sessions == 13 and s.furthest_page == {"thoracic-mbb/risks": 13}
    assert s.question_ticks == {"thoracic-mbb/risk-lung": 6} and s.seconds_per_view == {"thoracic-mbb/risks": 140 / 13}
    rows = store.export_csv().splitlines()
    assert "2026-11-30,question_ticked,thoracic-mbb/risk-lung,6" in rows and not any(",risks," in r for r in rows)


def test_statistics_ids_and_titles_name_every_topic(tmp_path: Path) -> None:
    library = load(two_topics(tmp_path))
    ids = library.statistics_ids()
    assert {"en", "es", "thoracic-mbb/intro", "thoracic-rfa/what-it-is", "thoracic-rfa/q-two"} <= ids and "intro" not in ids
    pages, questions = library.titles_for_statistics("en")
    assert pages["thoracic-rfa/what-it-is"] == "What it is" and questions["thoracic-mbb/q-one"] == "What will this show?"
