"""Which of the checker's four languages a text is in (lingua, limited to the four)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from dashboard.claims.reading.lexicon import LANGUAGES

if TYPE_CHECKING:
    from lingua import LanguageDetector

_DEFAULT = "en"


@cache
def _detector() -> tuple[LanguageDetector, dict[object, str]]:
    # Imported and built on first use: the models load in about 0.1 s per language, once per process.
    from lingua import Language, LanguageDetectorBuilder

    codes: dict[object, str] = {
        Language.ENGLISH: "en",
        Language.ITALIAN: "it",
        Language.AZERBAIJANI: "az",
        Language.RUSSIAN: "ru",
    }
    return LanguageDetectorBuilder.from_languages(*codes).build(), codes  # type: ignore[arg-type]


def detect_language(text: str) -> str:
    """'en', 'it', 'az' or 'ru': the language `text` is written in, English when it cannot tell (a text of
    figures and names only)."""
    if not any(character.isalpha() for character in text):
        return _DEFAULT
    detector, codes = _detector()
    found = detector.detect_language_of(text)
    language = codes.get(found, _DEFAULT) if found is not None else _DEFAULT
    assert language in LANGUAGES
    return language
