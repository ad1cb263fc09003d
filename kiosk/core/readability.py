"""Reading scores for patient pages (textstat, measured on the rendered text)."""

from __future__ import annotations

from dataclasses import dataclass

import textstat

from kiosk.core.render import html_to_sentences


@dataclass(frozen=True)
class ReadingLimits:
    """Per-page and average limits. English uses a grade (lower is easier);
    Spanish uses Fernández-Huerta (higher is easier). A sentence may have at most
    ``max_sentence_words`` words in every language."""

    max_grade_page: float = 7.0
    max_grade_average: float = 6.0
    min_huerta_page: float = 75.0
    min_huerta_average: float = 80.0
    max_sentence_words: int = 25


@dataclass(frozen=True)
class ReadingScore:
    metric: str  # "grade" (Flesch-Kincaid) or "huerta" (Fernández-Huerta)
    value: float

    @property
    def higher_is_easier(self) -> bool:
        return self.metric == "huerta"


def score_text(plain_text: str, language: str) -> ReadingScore:
    """Score plain text: Flesch-Kincaid grade for English, Fernández-Huerta for Spanish."""
    if language.startswith("es"):
        textstat.set_lang("es")
        return ReadingScore("huerta", float(textstat.fernandez_huerta(plain_text)))
    textstat.set_lang("en")
    return ReadingScore("grade", float(textstat.flesch_kincaid_grade(plain_text)))


def score_html(fragment: str, language: str) -> ReadingScore:
    """Score a rendered page, treating each paragraph, bullet and heading as a sentence."""
    return score_text(html_to_sentences(fragment), language)
