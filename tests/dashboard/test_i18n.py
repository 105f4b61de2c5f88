"""The page's words in four languages: catalogues complete and in step with the code, names, months,
ordinals and plurals from CLDR, the browser's language on a first visit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard import i18n
from dashboard.i18n import (
    LABELS,
    LANGUAGES,
    area_name,
    label,
    language,
    month_names,
    ordinal,
    preferred_language,
    t,
    tn,
)
from dashboard.registry import VIEWS

PLACEHOLDER = re.compile(r"\{(\w*)\}")
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


def _fields(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_the_four_languages() -> None:
    assert LANGUAGES == ("en", "az", "it", "ru")
    assert language("it") == "it" and language("fr") == "en" and language(None) == "en"


def test_the_committed_template_is_what_the_code_says() -> None:
    """Translators work from dashboard/locale/ui.pot: it must list every text the page can show."""
    committed = (i18n.LOCALE_DIR / "ui.pot").read_text(encoding="utf-8")
    drop_date = re.compile(r'"POT-Creation-Date: .*\\n"\n')
    assert drop_date.sub("", committed) == drop_date.sub("", i18n.template()), (
        "dashboard/locale/ui.pot is stale: run `python -m dashboard.i18n`"
    )


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_text_is_translated_with_the_same_placeholders(lang: str) -> None:
    from babel.messages.pofile import read_po

    with (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "ui.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    entries = {m.id: m.string for m in catalog if m.id}
    wanted = list(dict.fromkeys(i18n.texts_in_source()))
    missing = [
        w for w in wanted if not entries.get(w) or (isinstance(entries[w], tuple) and not all(entries[w]))
    ]
    assert missing == [], f"{len(missing)} texts not translated in {lang}.po: {missing[:8]}"
    for msgid in wanted:
        found = entries[msgid]
        english = msgid if isinstance(msgid, tuple) else (msgid,)
        forms = found if isinstance(found, tuple) else (found,)
        assert all(_fields(f) == _fields(english[-1]) for f in forms), (lang, msgid, found)
        if isinstance(msgid, tuple):
            assert len(forms) == catalog.num_plurals, (lang, msgid)
    english_words = [text for text in entries.values() if isinstance(text, str)]
    assert sum(text in LABELS["en"].values() for text in english_words) <= 12, "texts left in English"


def test_labels_fall_back_to_english_then_the_key() -> None:
    assert label("fr", "turnover") == "Turnover"
    assert label("az", "no-such-key") == "no-such-key"
    assert all(v.label_key in LABELS["en"] for v in VIEWS)


def test_views_are_named_in_each_language() -> None:
    assert [label("az", v.label_key) for v in VIEWS][:4] == ["İkitərəfli", "Tərəfdaşlar", "Xəritə", "Cədvəl"]
    for lang in TRANSLATED:
        names = [label(lang, v.label_key) for v in VIEWS]
        assert names != [label("en", v.label_key) for v in VIEWS] and all(names), lang


def test_sentences_fill_their_parts_in_each_language() -> None:
    assert t("en", "Exports to {partner}", partner="Italy") == "Exports to Italy"
    for lang in TRANSLATED:
        said = t(lang, "Exports to {partner}", partner="PARTNER")
        assert "PARTNER" in said and "Exports" not in said, lang


def test_plural_forms_follow_each_languages_rules() -> None:
    singular, plural = "of {count} partner country by turnover", "of {count} partner countries by turnover"
    assert tn("en", singular, plural, 1) == "of 1 partner country by turnover"
    assert tn("en", singular, plural, 5) == "of 5 partner countries by turnover"
    # Russian: 1 показатель, 3 показателя, 5 показателей: three forms where English has two.
    found = ("{count} figure found.", "{count} figures found.")
    assert [tn("ru", *found, n) for n in (1, 3, 5, 21)] == [
        "Найден 1 показатель.", "Найдено 3 показателя.", "Найдено 5 показателей.", "Найден 21 показатель."
    ]  # fmt: skip
    assert tn("it", *found, 1_000_000) == "1000000 dati trovati."


def test_ordinals() -> None:
    assert [ordinal(n, "en") for n in (1, 2, 3, 11, 23)] == ["1st", "2nd", "3rd", "11th", "23rd"]
    # Azerbaijani suffixes follow the vowel of the number's last word (the old code wrote -ci for all).
    assert [ordinal(n, "az") for n in (1, 3, 6, 9, 10, 40, 100)] == [
        "1-ci", "3-cü", "6-cı", "9-cu", "10-cu", "40-cı", "100-cü"
    ]  # fmt: skip
    assert ordinal(3, "it") == "3º" and ordinal(3, "ru") == "3-й"


def test_country_and_group_names_and_months() -> None:
    assert area_name("ITA", "Italy", "ru") == "Италия"
    assert area_name("ITA", "Italy", "az") == "İtaliya"
    assert area_name("TUR", "Türkiye", "it") == "Turchia"
    assert area_name("ITA", "Italy", "en") == "Italy"
    assert area_name("EUU", "European Union", "it") != "European Union"
    assert area_name("WLD", "World", "ru") != "World"
    assert area_name("XXX", "Somewhere", "it") == "Somewhere"  # unknown: the store's name
    assert month_names("it")[6] == "luglio" and month_names("ru")[0] == "январь"
    assert month_names("az", width="abbreviated")[6] == "iyl"


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("it-IT,it;q=0.9,en-US;q=0.8,en;q=0.7", "it"),
        ("ru-RU,ru;q=0.9", "ru"),
        ("az-Latn-AZ,az;q=0.9,tr;q=0.8", "az"),
        ("fr-FR,fr;q=0.9,ru;q=0.5", "ru"),
        ("de-DE,de;q=0.9", "en"),
        ("en-GB,it;q=0.2", "en"),
        ("", "en"),
        (None, "en"),
        ("garbage;q=x,,", "en"),
    ],
)
def test_the_browsers_language_on_a_first_visit(header: str | None, chosen: str) -> None:
    assert preferred_language(header) == chosen


def test_the_catalogues_are_read_once() -> None:
    assert i18n.catalogue("it") is i18n.catalogue("it")
    assert Path(i18n.LOCALE_DIR).is_dir()
