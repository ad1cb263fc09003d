"""The corrections of the 2026-12-01 clinical review (content brief, section 0) stay in
the shipped packs, in English and Spanish: each test fails if a corrected fact or a
piece of advice that could delay care comes back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.core.handout import build_handout
from kiosk.core.render import html_to_blocks

CONTENT = Path(__file__).resolve().parent.parent / "content" / "thoracic-mbb"


def page_text(pack, page_id: str) -> str:  # type: ignore[no-untyped-def]
    return " ".join(html_to_blocks(pack.page(page_id).html))


def all_text(pack) -> str:  # type: ignore[no-untyped-def]
    """Everything a patient can read or hear in a pack."""
    parts = [page_text(pack, p.id) for p in pack.pages] + [p.title for p in pack.pages]
    parts += [f"{q.text} {q.why}" for q in pack.questions]
    parts += [p.illustration.alt + " " + p.illustration.caption for p in pack.pages if p.illustration]
    parts += [t.heading + " " + " ".join(t.signs) for t in pack.warnings]
    return " ".join(parts)


@pytest.mark.parametrize("language", ["en", "es"])
def test_three_warning_tiers_the_same_on_the_page_the_handout_and_in_speech(qtbot, kiosk, language: str) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.set_language(language)
    pack = c.pack
    assert [t.tier for t in pack.warnings] == ["emergency", "same-day", "after-hours"]
    assert all(t.signs for t in pack.warnings)
    risks = page_text(pack, "risks")
    handout = build_handout(pack, [], "Sunrise Pain Clinic", __import__("datetime").date(2026, 12, 1))
    assert handout.warnings == pack.warnings
    c.show("risks")
    c.read_aloud()
    said = c.speaker.history[-1] if c.speaker.has_voice(language) else " ".join(c.views["risks"].speech_parts())
    for tier in pack.warnings:
        for text in (tier.heading, *tier.signs):
            assert text in risks and text in said, text
    # The numbers are the clinic's own.
    assert "911" in pack.warnings[0].heading and "555-0142" in pack.warnings[1].heading


def test_the_tiers_say_what_the_review_asked() -> None:  # type: ignore[no-untyped-def]
    from kiosk.core.content import load_pack
    from kiosk.core.resources import assets_dir

    values = {"clinic_name": "Sunrise", "clinic_phone": "555-0142", "emergency_number": "911"}
    en = load_pack(CONTENT / "en", values, assets_dir() / "illustrations")
    emergency, same_day, after_hours = (" ".join(t.signs).lower() for t in en.warnings)
    assert "new or different chest pain" in emergency and "sharp pain when you breathe in" in emergency
    for sign in ("trouble breathing", "legs", "bladder", "stiff neck", "headache", "swelling of your face"):
        assert sign in emergency, sign
    assert "100.4°f (38°c)" in same_day and "even once" in same_day and "two times" not in same_day
    assert "spreads" in same_day and "needle spot" in same_day and "does not ease" in same_day
    assert "emergency room" in after_hours
    es = load_pack(CONTENT / "es", values, assets_dir() / "illustrations")
    assert "punzante" in " ".join(es.warnings[0].signs) and "nuevo o distinto" in " ".join(es.warnings[0].signs)


@pytest.mark.parametrize("language", ["en", "es"])
def test_wrong_facts_stay_corrected(library, language: str) -> None:
    pack = library.pack(language)
    risks = page_text(pack, "risks")
    faint = {"en": "Feeling faint** is the most common reaction", "es": "es la reacción más común"}[language]
    assert faint.replace("**", "") in risks
    assert {"en": "5 in 100", "es": "5 de cada 100"}[language] in risks
    rare = risks[risks.index({"en": "Rare risks", "es": "Riesgos raros"}[language]):]
    assert {"en": "faint", "es": "desmay"}[language] not in rare.lower()
    # One block does not prove the cause.
    for page in ("what-it-is", "after"):
        text = page_text(pack, page)
        assert {"en": "may be the cause", "es": "puede"}[language] in text
        assert {"en": "likely the cause", "es": "es probable que la causa"}[language] not in text
    # Nerve injury: "some were thought to be", never "mostly".
    nerve = re.search({"en": r"Nerve or spinal cord injury:[^.]*\.[^.]*\.", "es": r"Daño a un nervio[^.]*\.[^.]*\."}[language], risks)
    assert nerve is not None and {"en": "Some of these", "es": "algunos de estos"}[language] in nerve.group(0)
    assert {"en": "mostly", "es": "sobre todo"}[language] not in risks


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_advice_that_could_delay_care(library, language: str) -> None:
    pack = library.pack(language)
    text = all_text(pack)
    # Leg weakness is a red flag after a thoracic block, never "expected for 3 to 5 hours".
    assert {"en": "weak for 3 to 5 hours", "es": "débil por 3 a 5 horas"}[language] not in text
    assert {"en": "Weakness in your legs is not expected", "es": "La debilidad en las piernas no es normal"}[language] in page_text(pack, "after")
    # Chest pain: "new or different", never "any chest pain".
    assert {"en": "Chest pain, or pain when you breathe in", "es": "Tiene dolor en el pecho, o le duele"}[language] not in text
    # Sedation is a fixed rule.
    prep = page_text(pack, "preparation")
    for words in {"en": ("24 hours", "Do not drive", "alcohol", "machines", "important papers", "An adult must take you home"),
                  "es": ("24 horas", "No maneje", "alcohol", "máquinas", "papeles importantes", "Un adulto debe llevarlo")}[language]:
        assert words in prep, words
    # Blood thinners by name, decided together, never stopped alone.
    for drug in ("aspirin", "clopidogrel (Plavix)", "warfarin", "apixab", "rivaroxab"):
        assert drug.replace("aspirin", "aspirin" if language == "en" else "aspirina") in prep, drug
    assert {"en": "decide together", "es": "decidir juntos"}[language] in prep
    # Steroid and diabetes.
    assert {"en": "check your blood sugar more often", "es": "mida su azúcar más seguido"}[language] in page_text(pack, "after")


@pytest.mark.parametrize("language", ["en", "es"])
def test_results_relief_and_the_diary_are_explained(library, language: str) -> None:
    pack = library.pack(language)
    after = page_text(pack, "after")
    words = {
        "en": ("at least half of your usual pain", "80 percent", "Partial relief may not count", "Test block:",
               "weeks to months", "nerves grow back", "Just before the block", "Rate only your usual pain",
               "when the relief ends", "phone in your scores"),
        "es": ("por lo menos la mitad", "80 por ciento", "Un alivio parcial puede no contar", "Bloqueo de prueba:",
               "de semanas a meses", "vuelven a crecer", "Justo antes del bloqueo", "Califique solo su dolor de siempre",
               "cuándo se termina el alivio", "llame para dar sus números"),
    }[language]
    for w in words:
        assert w in after, w


@pytest.mark.parametrize("language", ["en", "es"])
def test_benefits_and_what_studies_show_have_their_own_page_in_about(library, language: str) -> None:
    pack = library.pack(language)
    page = pack.page("benefits")
    assert page.section == "about" and pack.page_index("benefits") == pack.page_index("what-it-is") + 1
    html = page.html
    headings = {"en": ("Why people choose it", "What studies show"), "es": ("Por qué lo eligen", "Lo que dicen los estudios")}[language]
    assert all(f"<h2>{h}" in html for h in headings)
    text = page_text(pack, "benefits")
    assert {"en": "only a few studies of the mid-back", "es": "pocos estudios sobre la parte media"}[language] in text


@pytest.mark.parametrize("language", ["en", "es"])
def test_before_the_day(library, language: str) -> None:
    prep = page_text(library.pack(language), "preparation")
    for w in {"en": ("list of all your medicines", "driver", "glasses", "glucose meter", "Loose, comfortable clothes",
                     "sick or have a fever", "cannot lie face down", "reaction to numbing medicine"),
              "es": ("lista de todas sus medicinas", "manejar", "lentes", "medidor de azúcar", "Ropa suelta y cómoda",
                     "enfermo o tiene fiebre", "no puede acostarse boca abajo", "reacción a la anestesia local")}[language]:
        assert w in prep, w


def test_the_questions_the_review_asked_for(library) -> None:
    for pack in library.packs.values():
        ids = [q.id for q in pack.questions]
        for qid in ("procedure-driving", "procedure-usual-pain-medicine", "next-ablation", "procedure-cost",
                    "procedure-after-hours", "risk-lung-protection"):
            assert qid in ids, (pack.language, qid)
        assert "risk-collapsed-lung" not in ids  # no reliable rate exists to answer it
        group = {q.id: q.group for q in pack.questions}
        assert group["alt-next-if-positive"] == group["alt-next-if-negative"] == group["next-ablation"] == "next"
        assert group["nothing-try-other-care"] == "alternatives"
        assert [q.id for q in pack.questions if q.group == "nothing"] == ["nothing-what-happens"]
    en = library.pack("en")
    assert en.question("benefit-goal").text == "What will this test tell us?"
    assert en.question("risk-blood-thinner").text == "Who will tell me what to do about my blood thinner?"
    assert en.question("benefit-positive-result").text == "How much relief, for how long, counts as a good result?"


def test_spanish_uses_the_reviewed_terms(library) -> None:
    es = library.pack("es")
    text = all_text(es) + " " + " ".join(es.ui.values())
    for wrong in ("adormec", "suero", "escáner CT", "tinte", "espalda media", "ramo medial", "Es justo", "Diga la verdad",
                  "cómo se ve un buen resultado"):
        assert wrong not in text, wrong
    for right in ("anestesia local", "quita la sensibilidad de la zona", "vía intravenosa", "tomografía (TAC)",
                  "medio de contraste", "la parte media de la espalda", "rama medial", "Tiene derecho a preguntar",
                  "qué se considera un buen resultado", "Responda con sinceridad", "punzante"):
        assert right in text, right
    for match in re.finditer(r"°F", text):
        assert "°C" in text[match.end(): match.end() + 12], text[match.start() - 20: match.end() + 12]


def test_the_change_list_covers_this_version_and_review_stays_pending(library) -> None:
    changes = (CONTENT.parent / "CHANGES.md").read_text(encoding="utf-8")
    for pack in library.packs.values():
        assert f"## {pack.version}" in changes, pack.version
        assert pack.review.status == "pending clinical review"
    # The clinical review's corrections cite their sources (a later entry, such as the pain
    # diary's, sits above them).
    review = changes[changes.index("## 2026.12.01"):]
    review = review[: review.index("\n## ", 3)]
    for key in ("[VASO]", "[MANCH04]", "[SISSED]", "[UWH]", "[UCONN]", "[ASRA-UTD]", "[SISGLU]", "[PSA]", "[ANZCA]"):
        assert key in review, key
