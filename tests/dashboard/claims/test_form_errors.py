"""The claim form's error messages in each language: every FormError the form can raise is written by the
catalogue (ui.po) in Azerbaijani, Italian and Russian, with no English word left and every placeholder
filled with what was typed; English stays the message `str(error)` gives."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from dashboard import claims
from dashboard.claims import FormError, Period
from dashboard.i18n import catalogue, label, lowercase

YEAR_2020 = Period.year(2020)


def _claim(**fields: object) -> Callable[[], object]:
    values: dict[str, object] = {
        "partner": "ITA",
        "measure": "turnover",
        "value": "3.7",
        "unit": "billion USD",
    }
    values.update(fields)
    return lambda: claims.claim_from_form(
        values["partner"], values["measure"], period=YEAR_2020, value=values["value"], unit=values["unit"]
    )


# What the form is given, and the English message it answers with (all ten of dashboard/claims/form.py).
CASES: tuple[tuple[Callable[[], object], str], ...] = (
    (lambda: claims.form_period("year", "x", None), "year: 'x' is not a year"),
    (lambda: claims.form_period("month", 2020, "13"), "month: '13' is not a month (1–12)"),
    (lambda: claims.form_period("quarter", 2020, 3), "period: 'quarter' is not year, month or cumulative"),
    (_claim(partner=""), "partner: choose a partner"),
    (_claim(measure="growth"), "measure: 'growth' is not one of turnover, exports, imports, balance, share, rank"),
    (_claim(value="3,7x"), "value: '3,7x' is not a number"),
    (_claim(unit="percent"), "unit: 'percent' is not one of USD, thousand USD, million USD, billion USD"),
    (_claim(value="-3", measure="exports"), "value: exports cannot be negative"),
    (_claim(measure="rank", value="1.5", unit="rank"), "value: a rank is a whole number from 1, with the unit 'rank'"),
    (_claim(measure="share", unit="USD"), "unit: a share is stated in percent"),
)  # fmt: skip
# Words a translation may share with English: the same word in that language.
SAME_WORD = {"it": {"partner"}, "az": set(), "ru": set()}


def _words(text: str) -> list[str]:
    """The words of four letters or more (whole words: `unità` is not `unit`)."""
    return [word for word in re.findall(r"[^\W\d_]+", text) if len(word) >= 4]


def _raised(make: Callable[[], object]) -> FormError:
    with pytest.raises(FormError) as caught:
        make()
    return caught.value


@pytest.mark.parametrize(
    ("make", "english"), CASES, ids=[english.split(":")[0] + str(i) for i, (_, english) in enumerate(CASES)]
)
def test_each_form_error_in_english(make: Callable[[], object], english: str) -> None:
    error = _raised(make)
    assert str(error) == english == error.text("en")


@pytest.mark.parametrize("lang", ["az", "it", "ru"])
def test_each_form_error_in_each_language(lang: str) -> None:
    for make, english in CASES:
        error = _raised(make)
        assert catalogue(lang).get(error.template), f"{lang}: no translation of {error.template!r}"
        text = error.text(lang)
        assert "{" not in text and "}" not in text, text
        for typed in error.parts.values():  # what was typed (or the codes offered) is quoted as it was
            assert typed in text, (lang, text)
        rest = text
        for typed in error.parts.values():
            rest = rest.replace(typed, " ")
        template_words = set(_words(re.sub(r"\{\w+\}", " ", error.template)))
        left = {word for word in _words(rest.lower()) if word in template_words}
        assert not left - SAME_WORD[lang], f"{lang}: English left in {text!r} (from {english!r})"


def test_a_measure_is_named_by_the_languages_word() -> None:
    error = _raised(_claim(value="-3", measure="exports"))
    for lang in ("az", "it", "ru"):
        word = lowercase(label(lang, "exports"), lang)
        assert f"«{word}»" in error.text(lang)
    assert error.text("it") == "valore: il dato «esportazioni» non può essere negativo"
    assert error.text("ru") == "значение: показатель «экспорт» не может быть отрицательным"
    assert error.text("az") == "dəyər: «ixrac» göstəricisi mənfi ola bilməz"
