"""The page's words in English, Azerbaijani, Italian and Russian: `label(lang, key)` and `t(lang, text)`.

English is the source language, written in the code (`LABELS["en"]` for the page's named labels, `t(lang,
"English text {part}")` for sentences). Translations live in gettext catalogues that translators edit,
`dashboard/locale/<lang>/LC_MESSAGES/ui.po`, keyed by the English text; `python -m dashboard.i18n` writes the
template `dashboard/locale/ui.pot` from the code (and the names of groups in data/reference). A text missing
from a catalogue falls back to English, so a new label never shows a raw key (a test keeps the catalogues
complete). Numbers, months, country names and ordinals come from CLDR (Babel) and num2words, not from here.
"""

from __future__ import annotations

import ast
import csv
import gettext
from collections.abc import Iterator, Mapping
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

LANGUAGES: Final = ("en", "az", "it", "ru")
DEFAULT_LANGUAGE: Final = "en"
# Each language's own name, as a reader of it looks for it (CLDR's autonym, capitalised as a menu item).
LANGUAGE_NAMES: Final = {"en": "English", "az": "Azərbaycanca", "it": "Italiano", "ru": "Русский"}
LOCALE_DIR: Final = Path(__file__).resolve().parent / "locale"
UI_DOMAIN: Final = "ui"
_PACKAGE: Final = Path(__file__).resolve().parent
_REFERENCE: Final = _PACKAGE.parent / "data" / "reference"

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
        # --- export images ---
        "export.source": "Source: {source}",
        "export.release": "release {release}",
        "export.releases": "releases {release}",
        "export.reported_by": "reported by {reporter}",
        "export.valuation.exports": "exports {valuation}",
        "export.valuation.imports": "imports {valuation}",
        # --- accessibility ---
        "table.search": "Search the table",
        "theme.toggle": "Dark theme",
    },
}


def language(value: object) -> str:
    """A supported language code, or the default."""
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT_LANGUAGE


def preferred_language(accept_language: str | None) -> str:
    """The best of our languages for a browser's Accept-Language header (`it-IT,it;q=0.9,en;q=0.8` -> it)."""
    from babel import negotiate_locale

    if not accept_language:
        return DEFAULT_LANGUAGE
    wanted = []
    for item in accept_language.split(","):
        code, _, weight = item.strip().partition(";q=")
        try:
            quality = float(weight) if weight else 1.0
        except ValueError:
            continue
        if code and code != "*":
            wanted.append((quality, code.replace("_", "-")))
    ordered = [code for _, code in sorted(wanted, key=lambda pair: -pair[0])]
    found = negotiate_locale(ordered, list(LANGUAGES), sep="-")
    return found if found in LANGUAGES else DEFAULT_LANGUAGE


def label(lang: str, key: str) -> str:
    """The label `key` in `lang`, falling back to English (and to the key itself when unknown)."""
    english = LABELS["en"].get(key)
    if english is None:
        return key
    return translated(lang, english)


def t(lang: str, text: str, /, **parts: object) -> str:
    """The English `text` in `lang`, its `{placeholders}` filled with `parts` (already formatted)."""
    template = translated(lang, text)
    return template.format(**parts) if parts else template


def N_(text: str) -> str:
    """Marks an English text defined here and translated where it is shown (`t(lang, text)`): the template
    extraction finds it (gettext's `N_` convention)."""
    return text


def tn(lang: str, singular: str, plural: str, count: int, /, **parts: object) -> str:
    """`singular` or `plural` (English, with `{count}`) in the form `count` takes in `lang`: CLDR's plural
    rules pick among the catalogue's forms (Russian has three: 1 страна, 3 страны, 5 стран)."""
    if lang == DEFAULT_LANGUAGE:
        template = singular if count == 1 else plural
    else:
        template = translations(lang, UI_DOMAIN).ngettext(singular, plural, count)
    return template.format(count=count, **parts)


def lowercase(text: str, lang: str) -> str:
    """`text` in lower case as the language writes it: Azerbaijani (like Turkish) lowers İ to i and I to ı,
    where Python's str.lower() would give "i̇" (i with a combining dot) and "i"."""
    if lang == "az":
        text = text.replace("İ", "i").replace("I", "ı")
    return text.lower()


def translated(lang: str, english: str, *, domain: str = UI_DOMAIN) -> str:
    """The catalogue's translation of `english`, or `english` itself (in English, or when missing)."""
    if lang == DEFAULT_LANGUAGE:
        return english
    return catalogue(lang, domain).get(english) or english


@cache
def _read(lang: str, domain: str) -> Catalog | None:
    """The catalogue dashboard/locale/<lang>/LC_MESSAGES/<domain>.po as Babel reads it (once per process)."""
    from babel.messages.pofile import read_po

    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    if not path.exists():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


@cache
def catalogue(lang: str, domain: str = UI_DOMAIN) -> Mapping[str, str]:
    """msgid -> translation of the language's catalogue (the singular texts)."""
    read = _read(lang, domain)
    if read is None:
        return {}
    return {str(m.id): str(m.string) for m in read if isinstance(m.id, str) and m.id and m.string}


@cache
def translations(lang: str, domain: str = UI_DOMAIN) -> gettext.NullTranslations:
    """The same catalogue as Python's gettext translations (compiled in memory by Babel), for plural forms."""
    from babel.messages.mofile import write_mo

    read = _read(lang, domain)
    if read is None:
        return gettext.NullTranslations()
    compiled = BytesIO()
    write_mo(compiled, read)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


# --- names, months and ordinals from CLDR ----------------------------------------------------------------


@cache
def _alpha2(code: str) -> str | None:
    import pycountry

    country = pycountry.countries.get(alpha_3=code)
    return str(country.alpha_2) if country is not None else None


@cache
def area_name(code: str | None, english: str, lang: str) -> str:
    """A partner's or reporter's name in `lang`: CLDR's name of the country, the catalogue's name of a group
    (World, European Union, ...), else the store's English name."""
    if lang == DEFAULT_LANGUAGE or not code:
        return english
    from babel import Locale

    alpha2 = _alpha2(code)
    if alpha2 is not None:
        name = Locale.parse(lang).territories.get(alpha2)
        if name:
            return str(name)
    return translated(lang, english)


def period_name(frequency: str, year: int, month: int, lang: str = "en") -> str:
    """A period from its frequency, year and last month: `2019` (a year), `Jul 2020` (a month), `Jan–Jul 2020`
    (January to July; `Jan 2020` for January alone), with CLDR's abbreviated months in `lang` (`gen–lug 2020`,
    `янв.–июль 2020`). The one rule behind the query layer's English labels and the page's (format.period_text)."""
    if frequency == "annual":
        return str(year)
    names = month_names(lang, width="abbreviated")
    if frequency == "monthly" or month == 1:
        return f"{names[month - 1]} {year}"
    return f"{names[0]}\u2013{names[month - 1]} {year}"


@cache
def month_names(lang: str, *, width: str = "wide") -> tuple[str, ...]:
    """January..December in `lang` as a heading or a label names them (CLDR's stand-alone form)."""
    from babel import Locale

    names = Locale.parse(lang).months["stand-alone"][width]
    return tuple(str(names[m]) for m in range(1, 13))


@cache
def plotly_locale(lang: str) -> dict[str, object]:
    """plotly.js's `config.locales` entry for `lang` from CLDR: month and day names on date axes, the decimal
    and thousands signs (plotly ships no locale files with Dash; handing them in the config needs no script)."""
    from babel import Locale
    from babel.numbers import get_decimal_symbol, get_group_symbol

    locale = Locale.parse(lang)
    days = locale.days["stand-alone"]
    # CLDR numbers the days from Monday (0); plotly.js lists them from Sunday.
    order = (6, 0, 1, 2, 3, 4, 5)
    return {
        "dictionary": {},
        "format": {
            "days": [str(days["wide"][d]) for d in order],
            "shortDays": [str(days["abbreviated"][d]) for d in order],
            "months": list(month_names(lang)),
            "shortMonths": list(month_names(lang, width="abbreviated")),
            "decimal": get_decimal_symbol(lang),
            "thousands": get_group_symbol(lang),
        },
    }


def plotly_locale_config(lang: str) -> dict[str, object]:
    """The keys of a plotly config that make a chart write months and numbers in `lang` (`locale` and its
    `locales` entry from CLDR, `plotly_locale`): the page's graphs and the exported HTML page use the same.
    English is plotly's own default: no keys."""
    if lang == DEFAULT_LANGUAGE:
        return {}
    return {"locale": lang, "locales": {lang: plotly_locale(lang)}}


def ordinal(rank: int, lang: str) -> str:
    """A rank as the language writes it after a number: 1st, 3-cü, 3º, 3-й."""
    if lang in ("en", "az"):
        from num2words import num2words

        return str(num2words(rank, to="ordinal_num", lang=lang))
    # num2words writes Italian and Russian ordinals as bare digits; the catalogue holds their pattern.
    return t(lang, "{rank}th", rank=rank)


# --- the translators' template -----------------------------------------------------------------------------


def texts_in_source(folder: Path = _PACKAGE) -> Iterator[str | tuple[str, str]]:
    """Every English text of the page: the labels, each `t(lang, "...")` literal in the code (a
    `tn(lang, "...", "...", n)` gives the pair of singular and plural), the names of groups, the mirror
    view's known causes."""
    yield from LABELS["en"].values()
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            literal = (
                node.args[0]
                if node.func.id == "N_" and node.args
                else node.args[1]
                if node.func.id == "t" and len(node.args) >= 2
                else None
            )
            if isinstance(literal, ast.Constant) and isinstance(literal.value, str):
                yield literal.value
            if node.func.id == "tn" and len(node.args) >= 4:
                singular, plural = node.args[1], node.args[2]
                if (
                    isinstance(singular, ast.Constant)
                    and isinstance(singular.value, str)
                    and isinstance(plural, ast.Constant)
                    and isinstance(plural.value, str)
                ):
                    yield (singular.value, plural.value)
    with (_REFERENCE / "groups.csv").open(encoding="utf-8") as handle:
        yield from (row["name"] for row in csv.DictReader(handle))
    # The known causes of mirror gaps, shown in the mirror view (title and text of each; `#` lines are notes).
    with (_REFERENCE / "mirror_notes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(line for line in handle if not line.startswith("#")):
            yield from (row["title"], row["text"])


def template() -> str:
    """The gettext template (ui.pot) of every text in `texts_in_source`, in first-seen order."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    made = Catalog(project="bilateral-trade-dashboard", domain=UI_DOMAIN)
    for text in dict.fromkeys(texts_in_source()):
        made.add(text)
    out = BytesIO()
    write_po(out, made, width=110, omit_header=False)
    return out.getvalue().decode("utf-8")


if __name__ == "__main__":
    (LOCALE_DIR / f"{UI_DOMAIN}.pot").write_text(template(), encoding="utf-8")
    print(f"wrote {LOCALE_DIR / f'{UI_DOMAIN}.pot'}")
