"""The second topic, thoracic radiofrequency ablation (issue 14), as shipped: it loads, English
and Spanish match, every picture is described, check-content passes it, a patient can walk it
end to end in the real window (tick, summary, handout, QR code), the block's "What comes next"
links to it, and the safety facts the issue names are there in both languages."""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel

from kiosk.checker import check_content
from kiosk.core.content import ContentLibrary, ContentPack
from kiosk.core.kiosk_content import load_kiosk_content
from kiosk.core.readability import ReadingLimits
from kiosk.core.render import html_to_blocks
from kiosk.core.resources import content_dir
from kiosk.core.settings import Settings, fit_to_content
from kiosk.ui.app import build_kiosk
from kiosk.ui.pages.checklist import ChecklistPage
from kiosk.ui.pages.summary import SummaryPage
from kiosk.ui.printing import handout_html
from kiosk.ui.widgets import KineticScrollArea, RichText
from tests.ui_helpers import tap

TOPIC = "thoracic-rfa"
PAGES = ["what-it-is", "benefits", "preparation", "imaging", "heating", "recovery", "after", "risks", "check",
         "questions", "summary"]
STAGES = {"preparation": 1, "imaging": 2, "heating": 3, "recovery": 4}


@pytest.fixture(scope="module")
def rfa_settings() -> Settings:
    """The clinic's settings with the ablation as the topic the kiosk opens on."""
    settings = Settings(clinic_name="Sunrise Pain Clinic", clinic_phone="555-0142", languages=("en", "es"),
                        default_topic=TOPIC)
    return fit_to_content(settings, content_dir())


@pytest.fixture(scope="module")
def rfa_library(rfa_settings: Settings) -> ContentLibrary:
    return load_kiosk_content(rfa_settings, content_dir())


def packs(library: ContentLibrary) -> dict[str, ContentPack]:
    return library.topic_packs(TOPIC)


def text_of(pack: ContentPack, page_id: str) -> str:
    return " ".join(html_to_blocks(pack.page(page_id).html))


# --------------------------------------------------------------------------- loading and parity


def test_the_topic_loads_from_the_bundled_content(rfa_settings: Settings, rfa_library: ContentLibrary) -> None:
    assert rfa_settings.problems == ()
    assert rfa_library.default_topic == TOPIC and TOPIC in rfa_library.topics
    assert set(packs(rfa_library)) == {"en", "es"}
    for language, pack in packs(rfa_library).items():
        assert pack.topic == TOPIC and pack.language == language
        assert [p.id for p in pack.pages] == PAGES
        assert {p.id: p.step for p in pack.pages if p.kind == "stage"} == STAGES
        assert pack.page("questions").kind == "checklist" and pack.page("summary").kind == "summary"
        assert pack.review.status == "pending clinical review" and pack.review.reviewed_by == ""
        assert pack.version == "2026.12.02.5"  # (check, issue 16; moving stages, issue 17; the resting stage, CHANGES.md)
        assert len(pack.questions) >= 15 and [t.tier for t in pack.warnings] == ["emergency", "same-day", "after-hours"]
    assert rfa_library.pack("en").text("app_title") == "Your thoracic radiofrequency ablation"


def test_english_and_spanish_have_the_same_pages_questions_and_pictures(rfa_library: ContentLibrary) -> None:
    en, es = packs(rfa_library)["en"], packs(rfa_library)["es"]

    def shape(pack: ContentPack) -> tuple[object, ...]:
        return (
            [(p.id, p.section, p.kind, p.step, p.illustration.file if p.illustration else None) for p in pack.pages],
            [(q.id, q.group) for q in pack.questions],
            [g.id for g in pack.groups],
            [s.id for s in pack.sections],
            [(t.tier, len(t.signs)) for t in pack.warnings],
            pack.card.picture.file if pack.card and pack.card.picture else None,
        )

    assert shape(en) == shape(es)
    # Translated, not copied: no page, question or sign is the same words in both.
    for page in PAGES:
        assert text_of(en, page) != text_of(es, page), page
    assert not {q.text for q in en.questions} & {q.text for q in es.questions}
    # The same numbers on every page (the same facts): a fact dropped in one language shows here.
    for page in PAGES:
        numbers = {lang: sorted(re.findall(r"\d+(?:[.,]\d+)?", text_of(pack, page).replace("1½", "1.5")))
                   for lang, pack in (("en", en), ("es", es))}
        assert numbers["en"] == numbers["es"], page


def test_every_picture_has_alt_text_and_a_caption(rfa_library: ContentLibrary) -> None:
    for language, pack in packs(rfa_library).items():
        pictured = [p for p in pack.pages if p.illustration]
        assert {p.id for p in pictured} >= set(STAGES) | {"what-it-is"}, language
        for page in pictured:
            picture = page.illustration
            assert picture is not None and picture.path.is_file(), page.id
            assert len(picture.alt.split()) >= 6 and len(picture.caption.split()) >= 4, (language, page.id)
            assert picture.alt != picture.caption
        # Each step has its own, new picture.
        stage_files = [pack.page(p).illustration.file for p in STAGES]  # type: ignore[union-attr]
        assert stage_files == ["rfa-preparation.svg", "rfa-imaging.svg", "rfa-heating.svg", "rfa-recovery.svg"]


@pytest.mark.parametrize("name", ["rfa-nerves", "rfa-preparation", "rfa-imaging", "rfa-heating", "rfa-recovery"])
def test_the_new_pictures_are_plain_svg_without_words_or_photos(name: str) -> None:
    from kiosk.core.resources import assets_dir

    svg = (assets_dir() / "illustrations" / f"{name}.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and svg.rstrip().endswith("</svg>")
    for forbidden in ("<text", "<image", "href=", "<script", "base64"):
        assert forbidden not in svg, forbidden
    assert "#F3E7D3" in svg and "#2E3A46" in svg  # the kiosk's background and ink


def test_the_ride_home_does_not_sit_on_anyones_head(qapp) -> None:  # type: ignore[no-untyped-def]
    """Resting and going home: the car of the last beat stays clear of the nurse and the friend
    (it was drawn over both their heads, seen in the screenshots)."""
    from PySide6.QtSvg import QSvgRenderer

    from kiosk.core.resources import assets_dir

    renderer = QSvgRenderer(str(assets_dir() / "illustrations" / "rfa-recovery.svg"))

    def placed(part: str):  # type: ignore[no-untyped-def]
        assert renderer.elementExists(part), part
        return renderer.transformForElement(part).mapRect(renderer.boundsOnElement(part))

    car = placed("car")
    assert car.width() > 40 and QRectF(24, 24, 752, 552).contains(car)  # still there, inside the frame
    for person in ("nurse", "friend"):
        assert not car.intersects(placed(person)), person


# --------------------------------------------------------------------------- check-content


def test_check_content_passes_the_bundled_folder_with_a_grade_for_every_page(rfa_settings: Settings) -> None:
    out = io.StringIO()
    assert check_content(content_dir(), rfa_settings, ReadingLimits(), out=out) == 0, out.getvalue()
    lines = out.getvalue().splitlines()
    assert lines[-1] == "OK"
    for page in PAGES:
        assert any(re.fullmatch(rf"{TOPIC}/en/{page}\.md: grade \d+\.\d \(ok\)", line) for line in lines), page
        assert any(re.fullmatch(rf"{TOPIC}/es/{page}\.md: Fernández-Huerta \d+\.\d \(ok\)", line) for line in lines), page


def content_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    return root


def test_check_content_fails_a_spanish_page_missing_from_the_ablation(tmp_path: Path, rfa_settings: Settings) -> None:
    root = content_copy(tmp_path)
    manifest = root / TOPIC / "es" / "pack.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('id = "heating"', 'id = "calentar"'), encoding="utf-8")
    out = io.StringIO()
    assert check_content(root, fit_to_content(rfa_settings, root), ReadingLimits(), out=out) == 1
    assert "'calentar'" in out.getvalue() and "heating" in out.getvalue()


# --------------------------------------------------------------------------- the block links here


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_blocks_next_step_links_to_the_ablation(rfa_library: ContentLibrary, language: str) -> None:
    source = (content_dir() / "thoracic-mbb" / language / "after.md").read_text(encoding="utf-8")
    next_steps = source[source.index({"en": "## What comes next", "es": "## Lo que sigue"}[language]):]
    next_steps = next_steps[: next_steps.index("\n## ")]
    assert "](thoracic-rfa#what-it-is)" in next_steps
    html = rfa_library.pack(language, "thoracic-mbb").page("after").html
    assert '<a href="#thoracic-rfa/what-it-is">' in html


def test_check_content_resolves_the_link_to_the_ablation(tmp_path: Path, rfa_settings: Settings) -> None:
    root = content_copy(tmp_path)
    page = root / "thoracic-mbb" / "es" / "after.md"
    page.write_text(page.read_text(encoding="utf-8").replace("(thoracic-rfa#what-it-is)", "(thoracic-rfa#que-es)"),
                    encoding="utf-8")
    out = io.StringIO()
    assert check_content(root, fit_to_content(rfa_settings, root), ReadingLimits(), out=out) == 1
    line = next(i + 1 for i, t in enumerate(page.read_text(encoding="utf-8").splitlines()) if "thoracic-rfa#" in t)
    assert f"{page}:{line}: link (thoracic-rfa#que-es) to unknown page 'que-es' of topic 'thoracic-rfa'" in out.getvalue()


# --------------------------------------------------------------------------- the safety facts


SAFETY = {
    "en": {
        "lung": "collapsed lung",
        "device": ("pacemaker", "defibrillator", "spinal cord stimulator", "Tell the team"),
        "relief": ("2 to 3 weeks", "Relief does **not** start right away"),
        "thinners": ("aspirin", "clopidogrel (Plavix)", "warfarin (Coumadin)", "apixaban (Eliquis)",
                     "rivaroxaban (Xarelto)", "Never stop it on your own"),
        "sedation": ("24 hours", "Do not drive", "alcohol", "machines", "important papers", "An adult must take you home"),
        "varies": "Follow your clinic's instructions",
    },
    "es": {
        "lung": "pulmón colapsado",
        "device": ("marcapasos", "desfibrilador", "estimulador de la médula espinal", "Avise al equipo"),
        "relief": ("2 a 3 semanas", "El alivio **no** empieza enseguida"),
        "thinners": ("aspirina", "clopidogrel (Plavix)", "warfarina (Coumadin)", "apixabán (Eliquis)",
                     "rivaroxabán (Xarelto)", "Nunca la deje por su cuenta"),
        "sedation": ("24 horas", "No maneje", "alcohol", "máquinas", "papeles importantes", "Un adulto debe llevarlo"),
        "varies": "Siga lo que le diga su clínica",
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_safety_facts_the_issue_names(rfa_library: ContentLibrary, language: str) -> None:
    pack, facts = packs(rfa_library)[language], SAFETY[language]
    # A collapsed lung is the first sign of the 911 tier, and the risks page shows the tiers.
    emergency = pack.warnings[0]
    assert emergency.tier == "emergency" and "{{" not in emergency.heading and "911" in emergency.heading
    assert facts["lung"] in emergency.signs[0].lower()
    risks = text_of(pack, "risks")
    assert all(sign in risks for tier in pack.warnings for sign in tier.signs)
    assert risks.lower().index(facts["lung"]) < risks.index({"en": "Rare risks", "es": "Riesgos raros"}[language])
    # Pacemaker, defibrillator or stimulator: tell the team, before the day.
    preparation = text_of(pack, "preparation")
    assert all(word.lower() in preparation.lower() for word in facts["device"]), facts["device"]
    assert facts["device"][-1] in preparation
    # Relief starts after 2-3 weeks, not at once (unlike the block).
    after = (pack.page("after").html + " " + text_of(pack, "recovery"))
    source = (content_dir() / TOPIC / language / "after.md").read_text(encoding="utf-8")
    assert facts["relief"][0] in after and facts["relief"][1] in source
    # Leg weakness after a thoracic procedure is a warning sign, never "expected".
    assert {"en": "weakness in your legs is not expected", "es": "la debilidad en las piernas no es normal"}[language] \
        in text_of(pack, "after")
    # Blood thinners by name, never stopped alone; the fixed rule after sedation; clinics differ.
    assert all(word in preparation for word in facts["thinners"] + facts["sedation"])
    assert facts["varies"] in preparation
    # No rate the brief did not find: no number beside the collapsed lung.
    lung = risks[risks.lower().index(facts["lung"], len(" ".join(s for t in pack.warnings for s in t.signs))):]
    lung = lung[: lung.index({"en": "Effects that usually pass", "es": "Efectos que casi siempre se pasan"}[language])]
    assert not re.search(r"\d", lung), lung


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_advice_to_change_a_medicine_and_celsius_beside_fahrenheit(rfa_library: ContentLibrary, language: str) -> None:
    pack = packs(rfa_library)[language]
    everything = " ".join([text_of(pack, p) for p in PAGES] + [f"{q.text} {q.why}" for q in pack.questions]
                          + [s for t in pack.warnings for s in t.signs])
    for wrong in {"en": ("stop taking your", "stop your blood thinner", "any chest pain", "101"),
                  "es": ("deje de tomar su medicina", "cualquier dolor de pecho", "101")}[language]:
        assert wrong not in everything, wrong
    for match in re.finditer("°F", everything):
        near = everything[max(0, match.start() - 16): match.end() + 12]
        assert "°C" in near, near


# What each page must say (issue 14's list), in the order it must say it where order matters.
PAGE_FACTS = {
    "en": {
        "what-it-is": ("Experts and insurers do not agree", "at least half", "two test blocks", "at least 80 percent",
                       "Ask your clinic what counts for you"),
        "benefits": ("They are small", "none that compared RFA with a fake treatment", "weaker",
                     "No treatment works for everyone", "Other choices", "do nothing for now"),
        "heating": ("Feeling test", "asks when you feel it, and where", "Muscle test", "Numbing the nerve",
                    "before any heat", "The heat", "80°C (176°F)", "How long it takes", "30 minutes", "about an hour"),
        "after": ("like a sunburn", "1 to 2 weeks", "not", "2 to 3 weeks", "3 to 12 months", "grow back",
                  "done again", "Wait 24 hours to shower", "usual activities", "pain levels for days to weeks",
                  "3 to 4 weeks"),
        "risks": ("Collapsed lung", "We do not know how often it happens", "Nerve pain", "1 in 200", "5 of 40",
                  "pacemaker", "defibrillator", "spinal cord stimulator", "Burns"),
        "questions": ("Benefits:", "Risks:", "Other choices:", "Nothing:"),
    },
    "es": {
        "what-it-is": ("Los expertos y los seguros no están de acuerdo", "por lo menos la mitad", "dos bloqueos de prueba",
                       "por lo menos el 80 por ciento", "Pregunte a su clínica"),
        "benefits": ("Son pequeños", "ninguno que comparara la RFA con un tratamiento falso", "más débiles",
                     "Ningún tratamiento funciona para todos", "Otras opciones", "no hacer nada por ahora"),
        "heating": ("Prueba de sensación", "le pregunta cuándo lo siente, y dónde", "Prueba de músculos",
                    "Anestesia en el nervio", "antes de usar calor", "El calor", "80 °C (176 °F)", "Cuánto tiempo toma",
                    "30 minutos", "como una hora"),
        "after": ("como una quemadura de sol", "de 1 a 2 semanas", "no", "de 2 a 3 semanas", "de 3 a 12 meses",
                  "vuelven a crecer", "se puede hacer otra vez", "Espere 24 horas para ducharse", "sus cosas de siempre",
                  "durante días o semanas", "3 a 4 semanas"),
        "risks": ("Pulmón colapsado", "No sabemos qué tan seguido pasa", "Dolor del nervio", "1 de cada 200", "5 de 40",
                  "marcapasos", "desfibrilador", "estimulador de la médula espinal", "Quemaduras"),
        "questions": ("Beneficios:", "Riesgos:", "Otras opciones:", "Nada:"),
    },
}
# The RFA brief's section 8 prompts, each as a question in both languages (ids as in the packs).
SECTION_8 = {"benefit-blocks-enough", "procedure-levels", "procedure-experience", "risk-lung-protection",
             "risk-blood-thinner", "risk-device", "procedure-awake-fasting", "procedure-driving",
             "procedure-kind-of-heat", "benefit-relief-how-long", "next-if-no-help", "next-repeat", "procedure-cost"}


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_page_says_what_the_issue_asks_in_order(rfa_library: ContentLibrary, language: str) -> None:
    pack = packs(rfa_library)[language]
    for page, facts in PAGE_FACTS[language].items():
        text, at = text_of(pack, page).replace("**", ""), 0
        for fact in facts:
            found = text.find(fact, at)
            assert found >= 0, (page, fact, text[at: at + 200])
            at = found + len(fact)
    # BRAN: the first four question groups, each with questions; then every section 8 prompt.
    assert [g.id for g in pack.groups][:4] == ["benefits", "risks", "alternatives", "nothing"]
    assert all(any(q.group == g for q in pack.questions) for g in ("benefits", "risks", "alternatives", "nothing"))
    assert {q.id for q in pack.questions} >= SECTION_8


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_resting_stage_asks_for_no_pain_score_on_the_day(rfa_library: ContentLibrary, language: str) -> None:
    """Unlike the block, the ablation's relief starts over weeks: the resting stage's beats must not
    have the patient rate the pain on the day (the RFA brief has no such step); the pain record is
    kept over the next weeks [41], after the ride home."""
    page = packs(rfa_library)[language].page("recovery")
    assert page.illustration is not None and page.illustration.motion is not None
    captions = [beat.caption for beat in page.illustration.motion.beats]
    assert not any(re.search(r"\b0 (to|al) 10\b", caption) for caption in captions), captions
    assert {"en": "weeks", "es": "semanas"}[language] in captions[-1]
    assert {"en": "drives you home", "es": "lo lleva a su casa"}[language] in captions[-2]


# --------------------------------------------------------------------------- the walk, in the real window


@pytest.fixture
def rfa_kiosk(qtbot, rfa_settings: Settings, rfa_library: ContentLibrary):  # type: ignore[no-untyped-def]
    handouts: list[object] = []
    built = build_kiosk(replace(rfa_settings, printer="Front desk"), rfa_library, size=(1280, 800),
                        printer=lambda handout, name: handouts.append(handout))
    built.handouts = handouts  # type: ignore[attr-defined]
    qtbot.addWidget(built.window)
    with qtbot.waitExposed(built.window):
        built.window.show()
    yield built
    built.window.allow_close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_patient_walks_the_ablation_from_start_to_summary(qtbot, rfa_kiosk, language: str) -> None:  # type: ignore[no-untyped-def]
    c, w = rfa_kiosk.controller, rfa_kiosk.window
    handouts = rfa_kiosk.handouts
    c.model.set_language(language)
    pack = c.pack
    assert pack.topic == TOPIC and pack.language == language
    # Both procedures are offered: the welcome screen shows a card for each.
    assert c.welcome.title.text() == pack.text("topics_title") and set(c.welcome.cards) == {"thoracic-mbb", TOPIC}
    assert c.welcome.cards[TOPIC].title.text() == pack.card.title  # type: ignore[union-attr]
    tap(qtbot, c.welcome.cards[TOPIC])
    seen = []
    while True:
        view = c.current_view()
        assert view is not None and view.title.text() == pack.page(c.session.page_id).title
        seen.append(c.session.page_id)
        if c.session.page_id == "questions":
            checklist = c.views["questions"]
            assert isinstance(checklist, ChecklistPage)
            assert set(checklist.buttons) == {q.id for q in pack.questions}
            tap(qtbot, checklist.buttons["risk-device"])
        if c.session.page_id == "summary":
            break
        tap(qtbot, w.footer.next)
    assert seen == PAGES
    assert c.session.ticked == ["risk-device"]
    question = pack.question("risk-device").text
    summary = c.views["summary"]
    assert isinstance(summary, SummaryPage)
    assert any(label.text().endswith(question) for label in summary.findChildren(QLabel) if label.isVisible())
    # The printed handout holds it.
    tap(qtbot, summary.print_button)
    qtbot.waitUntil(lambda: summary.status.text() == pack.text("printed"), timeout=5000)
    [handout] = handouts
    assert handout.questions == (question,)  # type: ignore[attr-defined]
    html = handout_html(handout)  # type: ignore[arg-type]
    assert html.count(question.replace("'", "&#x27;")) == 1 or html.count(question) == 1
    assert pack.handout.intro in html and pack.warnings[0].signs[0] in html
    # The QR code holds it.
    tap(qtbot, summary.qr_button)
    assert summary.qr.isVisible() and question in summary.qr.text
    assert summary.qr.text.startswith(pack.handout.qr_heading)
    # "I'm done" ends the walk: nothing ticked survives.
    qtbot.mouseClick(w.footer.next, Qt.MouseButton.LeftButton)
    assert w.on_welcome() and c.session.ticked == []


# --------------------------------------------------------------------------- the link, clicked


def link_point(label: RichText, href: str) -> QPoint:
    """Where the link to ``href`` is drawn in ``label`` (the label's own text, laid out at its
    width as QLabel does: no document margin)."""
    document = QTextDocument()
    document.setDefaultFont(label.font())
    document.setDocumentMargin(0)
    document.setHtml(label.text())
    document.setTextWidth(label.contentsRect().width())
    document.size()  # lays the text out (lazily done otherwise)
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().anchorHref() == href:
                layout = block.layout()
                at = fragment.position() - block.position() + fragment.length() // 2
                line = layout.lineForTextPosition(at)
                assert line.isValid(), href
                x = layout.position().x() + line.cursorToX(at)[0]
                y = layout.position().y() + line.y() + line.height() / 2
                return label.contentsRect().topLeft() + QPoint(round(x), round(y))
            fragments += 1
        block = block.next()
    raise AssertionError(f"no link to {href} in the label")


def click_link(qtbot, label: RichText, href: str) -> None:  # type: ignore[no-untyped-def]
    """Scroll the link into view, as a patient would, and click it with the mouse."""
    point = link_point(label, href)
    parent = label.parentWidget()
    while parent is not None and not isinstance(parent, KineticScrollArea):
        parent = parent.parentWidget()
    assert isinstance(parent, KineticScrollArea) and parent.widget() is not None
    inside = label.mapTo(parent.widget(), point)
    parent.ensureVisible(inside.x(), inside.y(), 40, 80)
    assert label.visibleRegion().contains(point), "the link is not on screen"
    with qtbot.waitSignal(label.linkActivated, timeout=2000) as clicked:
        qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=point)
    assert clicked.args == [href]


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_click_on_the_blocks_next_step_opens_the_ablation_and_back(qtbot, rfa_kiosk, language: str) -> None:  # type: ignore[no-untyped-def]
    c = rfa_kiosk.controller
    c.model.set_language(language)
    c.show("thoracic-mbb/after")
    c.model.toggle(c.pack.questions[0].id)
    block_tick = c.session.ticked[:]
    [label] = [t for t in c.current_view().findChildren(RichText) if f'href="#{TOPIC}/what-it-is"' in t.text()]
    click_link(qtbot, label, f"#{TOPIC}/what-it-is")
    assert (c.model.topic, c.session.page_id, c.pack.language) == (TOPIC, "what-it-is", language)
    view = c.current_view()
    assert view is c.views["what-it-is"] and view.isVisible()
    assert view.title.text() == packs(c.library)[language].page("what-it-is").title
    # ... and the ablation's own link to the test blocks goes back, with the block's list kept.
    [back] = [t for t in view.findChildren(RichText) if 'href="#thoracic-mbb/what-it-is"' in t.text()]
    qtbot.waitUntil(back.isVisible, timeout=2000)
    click_link(qtbot, back, "#thoracic-mbb/what-it-is")
    assert (c.model.topic, c.session.page_id) == ("thoracic-mbb", "what-it-is")
    assert c.session.ticked == block_tick
