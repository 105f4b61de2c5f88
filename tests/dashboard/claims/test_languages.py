"""The reader in Italian, Azerbaijani and Russian: language detection, locale numbers, inflected names and
months, and the misreadings of issue 12 in each language (each must be "not checkable", never a verdict).

Checked against the store of mirror_stores.py (Italy 2019: exports $5.0 bn, imports $0.4 bn; customs'
January–July 2020: exports $933.2 m, imports $175.3 m).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import claims
from dashboard.claims import Period, Verdict
from dashboard.claims.reading import lexicon as lexicon_module
from dashboard.claims.reading.language import detect_language
from dashboard.claims.reading.lexicon import LexiconError
from dashboard.queries.answers import TradeQueries

YEAR_2019 = Period.year(2019)
JAN_JUL_2020 = Period("2020-01", "2020-07")


def one(queries: TradeQueries, text: str, language: str | None = None) -> Verdict:
    (verdict,) = claims.check_text(queries, text, language=language)
    return verdict


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("L'interscambio commerciale ha raggiunto 4,2 miliardi di dollari nei primi dieci mesi.", "it"),
        ("Ticarət dövriyyəsi 4,5 milyard dollar təşkil edib.", "az"),
        ("Товарооборот составил 4,5 млрд долларов.", "ru"),
        ("Trade turnover reached $4.5 billion.", "en"),
        ("$4.5 bn, 2019", "en"),  # no words to tell: English
    ],
)
def test_the_language_is_told_from_the_text(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_a_stated_language_overrides_detection(mirror_queries: TradeQueries) -> None:
    text = "Esportazioni verso l'Italia: 5 miliardi di dollari nel 2019."
    assert one(mirror_queries, text).word == claims.CONSISTENT
    # Read as English, the Italian words say nothing: no figure with a measure, never a verdict.
    english = claims.check_text(mirror_queries, text, language="en")
    assert all(v.word == claims.NOT_CHECKABLE for v in english)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Nel 2020 le esportazioni verso l'Italia sono state pari a 4.172,2 milioni di dollari.", 4172.2e6),
        ("В 2020 году экспорт в Италию составил 4\u00a0172,2 млн долларов.", 4172.2e6),
        ("В 2020 году экспорт в Италию составил 4 172,2 млн долларов.", 4172.2e6),
        ("2020-ci ildə İtaliyaya ixrac 4 172,2 milyon dollar təşkil edib.", 4172.2e6),
        ("2020-ci ildə İtaliyaya ixrac 4,17 mlrd. dollar olub.", 4.17e9),
        ("Nel 2020 le esportazioni verso l'Italia sono state pari a 4,17 mld di dollari.", 4.17e9),
    ],
)
def test_decimal_commas_and_locale_grouping(mirror_queries: TradeQueries, text: str, value: float) -> None:
    verdict = one(mirror_queries, text)
    assert verdict.claim.value == pytest.approx(value)
    assert verdict.claim.measure == "exports" and verdict.claim.partner == "ITA"
    assert verdict.word == claims.CONSISTENT


def test_a_grouping_the_language_does_not_use_is_never_read_as_its_tail() -> None:
    # "1 108.5 million" in English: never "108.5 million" (the confident-wrong reading).
    found = claims.extract_claims(
        "Turnover with Italy was 1 108.5 million dollars in 2020.", names={"Italy": "ITA"}
    )
    assert all(c.value != pytest.approx(108.5e6) for c in found)


@pytest.mark.parametrize(
    ("text", "partner", "measure"),
    [
        ("Товарооборот с Италией в 2019 году составил 5,4 млрд долларов.", "ITA", "turnover"),
        ("Импорт из Италии в 2019 году составил 400 млн долларов.", "ITA", "imports"),
        ("2019-cu ildə İtaliyadan idxal 400 milyon dollar olub.", "ITA", "imports"),
        ("2019-cu ildə Azərbaycanın İtaliyaya ixracı 5 milyard dollar olub.", "ITA", "exports"),
        ("Nel 2019 le importazioni dall'Italia sono state pari a 400 milioni di dollari.", "ITA", "imports"),
    ],
)
def test_inflected_names_are_read(
    mirror_queries: TradeQueries, text: str, partner: str, measure: str
) -> None:
    verdict = one(mirror_queries, text)
    assert (verdict.claim.partner, verdict.claim.measure, verdict.claim.period) == (
        partner,
        measure,
        YEAR_2019,
    )
    assert verdict.word == claims.CONSISTENT


@pytest.mark.parametrize(
    "text",
    [
        "За январь-июль 2020 года экспорт в Италию составил 933,2 млн долларов.",
        "В январе-июле 2020 года экспорт в Италию составил 933,2 млн долларов.",
        "С января по июль 2020 года экспорт в Италию составил 933,2 млн долларов.",
        "За семь месяцев 2020 года экспорт в Италию составил 933,2 млн долларов.",
        "Tra gennaio e luglio 2020 le esportazioni verso l'Italia sono state pari a 933,2 milioni di dollari.",
        "Da gennaio a luglio 2020 le esportazioni verso l'Italia sono state pari a 933,2 milioni di dollari.",
        "Nei primi sette mesi del 2020 le esportazioni verso l'Italia sono state di 933,2 milioni di dollari.",
        "2020-ci ilin yanvar-iyul aylarında İtaliyaya ixrac 933,2 milyon dollar olub.",
        "2020-ci ilin ilk yeddi ayında İtaliyaya ixrac 933,2 milyon dollar olub.",
        "2020-ci ilin 7 ayında İtaliyaya ixrac 933,2 milyon dollar olub.",
    ],
)
def test_january_to_month_periods_in_each_language(mirror_queries: TradeQueries, text: str) -> None:
    verdict = one(mirror_queries, text)
    assert verdict.claim.period == JAN_JUL_2020  # not the whole year, not July alone
    assert verdict.word == claims.CONSISTENT


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "Nel 2019 le esportazioni verso l'Itlaia sono state pari a 5 miliardi di dollari.",
            "partner 'Itlaia'",
        ),
        ("В 2019 году экспорт в Италлию составил 5 млрд долларов.", "partner 'Италлию'"),
        ("2019-cu ildə İtlaiya ilə ticarət dövriyyəsi 5,4 milyard dollar olub.", "partner 'İtlaiya'"),
        ("Nel 2019 le esportazioni verso l'Italia sono state pari a 5 miliardi di euro.", "US dollars"),
        ("В 2019 году экспорт в Италию составил 5 млрд манатов.", "US dollars"),
        ("2019-cu ildə İtaliyaya ixrac 5 milyard manat olub.", "US dollars"),
        (
            "Dall'inizio dell'anno le esportazioni verso l'Italia hanno raggiunto 933,2 milioni di dollari.",
            "period unclear",
        ),
        ("С начала года экспорт в Италию составил 933,2 млн долларов.", "period unclear"),
        ("Ilin əvvəlindən İtaliyaya ixrac 933,2 milyon dollar olub.", "period unclear"),
        ("Since the start of the year, exports to Italy reached $933.2 million.", "period unclear"),
        (
            "Nel 2019 l'interscambio con l'Italia è stato di \u22125,4 miliardi di dollari.",
            "negative turnover",
        ),
    ],
)
def test_what_is_unclear_is_not_checkable_and_named(
    mirror_queries: TradeQueries, text: str, reason: str
) -> None:
    verdict = one(mirror_queries, text)
    assert verdict.word == claims.NOT_CHECKABLE
    assert reason in verdict.explanation
    assert verdict.claim.partner != claims.WORLD  # an unknown partner is never the World total


@pytest.mark.parametrize(
    ("text", "bound", "word"),
    [
        (
            "Nel 2019 le esportazioni verso l'Italia hanno superato i 4 miliardi di dollari.",
            "at least",
            claims.CONSISTENT,
        ),
        (
            "Nel 2019 le esportazioni verso l'Italia hanno sfiorato i 4,5 miliardi di dollari.",
            "at most",
            claims.INCONSISTENT,
        ),
        ("В 2019 году экспорт в Италию превысил 6 млрд долларов.", "at least", claims.INCONSISTENT),
        ("В 2019 году экспорт в Италию составил около 5 млрд долларов.", "about", claims.CONSISTENT),
        ("2019-cu ildə İtaliyaya ixrac 4 milyard dollardan çox olub.", "at least", claims.CONSISTENT),
        ("2019-cu ildə İtaliyaya ixrac təxminən 6 milyard dollar olub.", "about", claims.INCONSISTENT),
    ],
)
def test_bounds_in_each_language(mirror_queries: TradeQueries, text: str, bound: str, word: str) -> None:
    verdict = one(mirror_queries, text)
    assert (verdict.claim.bound, verdict.word) == (bound, word)


def test_a_broken_words_file_names_the_file_and_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = (lexicon_module.WORDS_DIR / "it.toml").read_text(encoding="utf-8")
    (tmp_path / "it.toml").write_text(source.replace("deficit = '''", "deficit = '''(", 1), encoding="utf-8")
    monkeypatch.setattr(lexicon_module, "WORDS_DIR", tmp_path)
    lexicon_module.lexicon.cache_clear()
    try:
        with pytest.raises(LexiconError, match=r"it\.toml: deficit"):
            lexicon_module.lexicon("it")
    finally:
        lexicon_module.lexicon.cache_clear()


def test_every_verdict_sentence_has_a_translation_with_the_same_placeholders() -> None:
    """Each template the checker says (found in its source) is in the it, az and ru catalogues, and each
    translation keeps the template's {placeholders}: a missing one would show English, a wrong one break."""
    import string

    from dashboard.claims import wording
    from dashboard.claims.reading.lexicon import LANGUAGES
    from dashboard.claims_cli import TEXT_LANGUAGES

    assert wording.LANGUAGES == LANGUAGES == TEXT_LANGUAGES
    templates = wording.templates_in_source()
    assert len(templates) > 80

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for language in ("it", "az", "ru"):
        catalogue = wording.catalogue(language)
        missing = [t for t in templates if not catalogue.get(t)]
        assert not missing, (language, missing)
        wrong = [t for t in templates if fields(catalogue[t]) != fields(t)]
        assert not wrong, (language, wrong)


def test_verdicts_in_the_readers_language(mirror_queries: TradeQueries) -> None:
    from dashboard.claims import verdict_line

    text = "Nel 2019 le esportazioni verso l'Italia sono state pari a 6,5 miliardi di dollari."
    (verdict,) = claims.check_text(mirror_queries, text)
    names = mirror_queries.names(["ITA"])
    assert verdict_line(verdict, names) == (
        "6,5 miliardi di dollari (exports to Italy, 2019) — INCONSISTENT — data: exports $5.00 bn in 2019, IMF, "
        "Direction of Trade Statistics (DOTS), release 2022 — the data give $5.00 bn; the claim is "
        "+$1.50 bn off, +30.0% — also: Italy's report (mirror): imports from Azerbaijan $5.60 bn (2019, IMF, "
        "Direction of Trade Statistics (DOTS), release 2022)"
    )
    italian = verdict_line(verdict, names, "it")
    assert "NON COERENTE" in italian and "esportazioni verso Italia, 2019" in italian
    assert "l'affermazione si discosta di +1,5\u00a0Mld\u00a0USD, +30,0%" in italian
    russian = verdict_line(verdict, names, "ru")
    assert "НЕ СООТВЕТСТВУЕТ" in russian and "расхождение +1,5\u00a0млрд\u00a0$, +30,0%" in russian
    azerbaijani = verdict_line(verdict, names, "az")
    assert "UYĞUN DEYİL" in azerbaijani and "iddia +1,5\u00a0mlrd\u00a0US$ fərqlənir, +30,0%" in azerbaijani
    for line in (italian, russian, azerbaijani):
        assert "the data give" not in line and "exports" not in line


def test_an_unclear_reason_survives_the_page_record_in_every_language() -> None:
    from dashboard.claims import claim_from_record, claim_record
    from dashboard.claims.wording import localized

    (claim,) = claims.extract_claims(
        "В 2019 году экспорт в Италлию составил 5 млрд долларов.", names={"Италия": "ITA"}, language="ru"
    )
    back = claim_from_record(claim_record(claim))
    assert back is not None and back.unclear == "partner 'Италлию' not recognised"
    assert localized(back.unclear, "ru") == "партнёр «Италлию» не распознан"
