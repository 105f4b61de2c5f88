"""Every UI label in English and Azerbaijani, in one place: `label(lang, key)`.

Data (country names, source attributions) come from the store and are not translated here. A key missing in
Azerbaijani falls back to English, so a new label never shows a raw key.
"""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("en", "az")
DEFAULT_LANGUAGE: Final = "en"
LANGUAGE_NAMES: Final = {"en": "English", "az": "Azərbaycanca"}

LABELS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "product": "Bilateral Trade Statistics",
        "tagline": "Merchandise trade · US dollars · official statistics",
        "view.bilateral": "Bilateral",
        "view.partners": "Partners",
        "view.map": "Map",
        "view.table": "Table",
        "view.sources": "Sources",
        "view.mirror": "Mirror: both reports",
        "view.claims": "Check a claim",
        "views": "Views",
        "reporter": "Reporter",
        "reporter.hint": "Whose statistics: the economy that reports the trade",
        "partner": "Partner",
        "partner.hint": "Countries first; groups are labelled “Group:”",
        "frequency": "Frequency",
        "frequency.annual": "Annual",
        "frequency.monthly": "Monthly",
        "frequency.cumulative": "Jan–month",
        "period": "Period",
        "period.hint": "Compared with the same period a year earlier",
        "source": "Source",
        "source.hint": "Sources are never added together; the preferred one with data comes first",
        "flows": "Show",
        "measure": "Rank by",
        "measure.map": "Colour by",
        "top": "Show",
        "compare": "Partners to compare (up to 8)",
        "turnover": "Turnover",
        "exports": "Exports",
        "imports": "Imports",
        "balance": "Balance",
        "trend.title": "Trade over time",
        "ranking.title": "Top partners",
        "ranking.title_for": "Top {count} partners by {measure}, {period}",
        "compare.title": "Selected partners over time",
        "rank_history.title": "Rank over time: turnover, exports, imports",
        "map.title": "Partners on the map",
        "table.title": "The data behind this view",
        "table.filter_hint": "Sort by clicking a column header; filter with the field under it.",
        "sources.title": "Sources in this store",
        "language": "Language",
        "note.invalid": "Some link parameters were not valid and were replaced by defaults:",
        "note.annual_only": "Only annual figures exist for this selection: monthly and January–month views need "
        "sub-annual rows.",
        "note.derived": "Figures marked “derived” are computed here from stored rows (a month as the difference of "
        "two January–month cumulatives, a cumulative as a sum of months, a group as the sum of its members).",
        "narrative": "In words",
        "footer.read": "How to read these figures.",
        "kpi.change_on": "{change} on {previous}",
        "kpi.no_figure_for": "no figure for {previous}",
        "kpi.not_reported": "not reported",
        # --- accessibility ---
        "table.search": "Search the table",
        "theme.toggle": "Dark theme",
    },
    "az": {
        "product": "İkitərəfli ticarət statistikası",
        "tagline": "Mal ticarəti · ABŞ dolları · rəsmi statistika",
        "view.bilateral": "İkitərəfli",
        "view.partners": "Tərəfdaşlar",
        "view.map": "Xəritə",
        "view.table": "Cədvəl",
        "view.sources": "Mənbələr",
        "view.mirror": "Güzgü: iki hesabat",
        "view.claims": "İddianı yoxla",
        "views": "Görünüşlər",
        "reporter": "Hesabat verən",
        "reporter.hint": "Kimin statistikası: ticarəti bəyan edən ölkə",
        "partner": "Tərəfdaş",
        "partner.hint": "Əvvəlcə ölkələr; qruplar “Group:” ilə işarələnib",
        "frequency": "Dövrilik",
        "frequency.annual": "İllik",
        "frequency.monthly": "Aylıq",
        "frequency.cumulative": "Yanvar–ay",
        "period": "Dövr",
        "period.hint": "Ötən ilin eyni dövrü ilə müqayisədə",
        "source": "Mənbə",
        "source.hint": "Mənbələr heç vaxt toplanmır; məlumatı olan üstün mənbə birinci gəlir",
        "flows": "Göstər",
        "measure": "Sıralama",
        "measure.map": "Rəngləmə",
        "top": "Göstər",
        "compare": "Müqayisə üçün tərəfdaşlar (8-ə qədər)",
        "turnover": "Dövriyyə",
        "exports": "İxrac",
        "imports": "İdxal",
        "balance": "Saldo",
        "trend.title": "Zaman üzrə ticarət",
        "ranking.title": "Əsas tərəfdaşlar",
        "ranking.title_for": "{measure} üzrə ilk {count} tərəfdaş, {period}",
        "compare.title": "Seçilmiş tərəfdaşlar zaman üzrə",
        "rank_history.title": "Zaman üzrə yer: dövriyyə, ixrac, idxal",
        "map.title": "Tərəfdaşlar xəritədə",
        "table.title": "Bu görünüşün məlumatları",
        "table.filter_hint": "Sütun başlığına klikləməklə sıralayın; altındakı sahə ilə süzün.",
        "sources.title": "Bu bazadakı mənbələr",
        "language": "Dil",
        "note.invalid": "Linkdəki bəzi parametrlər etibarsız idi və standart dəyərlərlə əvəz olundu:",
        "note.annual_only": "Bu seçim üçün yalnız illik rəqəmlər var: aylıq və yanvar–ay görünüşləri üçün il "
        "daxili sətirlər lazımdır.",
        "note.derived": "“Hesablanmış” işarəli rəqəmlər saxlanılan sətirlərdən burada hesablanır.",
        "narrative": "Sözlə",
        "footer.read": "Bu rəqəmləri necə oxumalı.",
        "kpi.change_on": "{previous} ilə müqayisədə {change}",
        "kpi.no_figure_for": "{previous} üçün rəqəm yoxdur",
        "kpi.not_reported": "bəyan edilməyib",
        # --- accessibility --- (here only so the en/az parity test holds until the labels' owner translates)
        "table.search": "Cədvəldə axtar",
        "theme.toggle": "Qaranlıq mövzu",
    },
}


def language(value: object) -> str:
    """A supported language code, or the default."""
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT_LANGUAGE


def label(lang: str, key: str) -> str:
    """The label `key` in `lang`, falling back to English (and to the key itself when unknown)."""
    return LABELS.get(lang, {}).get(key) or LABELS["en"].get(key, key)
