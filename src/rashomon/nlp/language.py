"""Language identification (lingua), restricted to the configured languages and loaded lazily."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from rashomon.model import Document
from rashomon.nlp.pipeline import register
from rashomon.settings import Settings

if TYPE_CHECKING:
    from lingua import LanguageDetector

# Enough text to decide; more only costs time.
_SAMPLE_CHARS = 3000
_MIN_CONFIDENCE = 0.5


@lru_cache(maxsize=4)
def _detector(codes: tuple[str, ...]) -> LanguageDetector:
    # Imported here: lingua's models load on first use, and most commands never need them.
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = []
    for code in codes:
        try:
            languages.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
        except AttributeError:
            raise ValueError(f"unknown language code {code!r} in settings.languages") from None
    if len(languages) < 2:
        raise ValueError("settings.languages must name at least two languages to choose between")
    return LanguageDetectorBuilder.from_languages(*languages).build()


def identify_language(text: str, settings: Settings) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or None when the text is too short or too uncertain."""
    sample = text[:_SAMPLE_CHARS]
    if len(sample.strip()) < settings.min_language_chars:
        return None
    values = _detector(tuple(settings.languages)).compute_language_confidence_values(sample)
    if not values or values[0].value < _MIN_CONFIDENCE:
        return None
    return str(values[0].language.iso_code_639_1.name.lower())


@register("language", requires=["text"], assigns=["language"])
def language_stage(doc: Document, settings: Settings) -> Document:
    """Identify the article's language (ISO 639-1)."""
    return replace(doc, language=identify_language(doc.text, settings))
