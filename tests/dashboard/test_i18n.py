"""Labels: one dict per language, Azerbaijani complete, unknown languages and keys fall back."""

from __future__ import annotations

from dashboard.i18n import LABELS, LANGUAGES, label, language
from dashboard.registry import VIEWS


def test_every_english_label_has_an_azerbaijani_one() -> None:
    assert set(LABELS) == set(LANGUAGES)
    assert sorted(set(LABELS["en"]) - set(LABELS["az"])) == []
    assert all(text.strip() for texts in LABELS.values() for text in texts.values())


def test_every_view_has_a_label() -> None:
    assert all(v.label_key in LABELS["en"] for v in VIEWS)
    assert [label("az", v.label_key) for v in VIEWS] == [
        "İkitərəfli",
        "Tərəfdaşlar",
        "Xəritə",
        "Cədvəl",
        "Mənbələr",
        "Güzgü: iki hesabat",
        "İddianı yoxla",
    ]


def test_fallbacks() -> None:
    assert language("az") == "az"
    assert language("fr") == "en" and language(None) == "en"
    assert label("fr", "turnover") == "Turnover"
    assert label("az", "no-such-key") == "no-such-key"
