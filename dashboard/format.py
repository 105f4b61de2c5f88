"""How numbers read on the page: the one place that turns US dollars and ratios into text.

Money is shown in readable units ($5.64 bn, $371.8 m, $30 k); negative amounts carry a true minus sign
(−$1.20 bn). Missing values read as an em dash, never as zero. Other languages write numbers as CLDR says
(Babel): `5,64 Mld USD`, `5,64 mlrd US$`, `5,64 млрд $`, `52,3%`; English keeps the newsroom style above.
Periods read `2019`, `Jul 2020`, `Jan–Jul 2020` with CLDR's month names in each language (`period_text`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from dashboard.i18n import period_name

MINUS = "\u2212"
MISSING = "\u2014"


@dataclass(frozen=True)
class MoneyUnit:
    """A scale for an axis: divide US dollars by `divisor` and append `suffix`."""

    divisor: float
    suffix: str
    label: str


UNITS = (
    MoneyUnit(1e12, " tn", "trillions of US dollars"),
    MoneyUnit(1e9, " bn", "billions of US dollars"),
    MoneyUnit(1e6, " m", "millions of US dollars"),
    MoneyUnit(1e3, " k", "thousands of US dollars"),
    MoneyUnit(1.0, "", "US dollars"),
)


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money_unit(largest_abs_usd: float | None) -> MoneyUnit:
    """The unit in which the largest absolute amount of a chart reads best (bn for 5.6e9)."""
    if _missing(largest_abs_usd):
        return UNITS[-1]
    size = abs(float(largest_abs_usd))  # type: ignore[arg-type]
    for unit in UNITS:
        if size >= unit.divisor:
            return unit
    return UNITS[-1]


def _decimals(unit: MoneyUnit, scaled: float) -> int:
    if unit.divisor >= 1e9:
        return 2
    if unit.divisor == 1e6:
        return 1
    if unit.divisor == 1e3:
        return 1 if scaled < 10 else 0
    return 0


def money(usd: float | None, lang: str = "en") -> str:
    """US dollars as text: `$5.64 bn`, `$371.8 m`, `$30 k`, `$512`, `−$1.20 bn`; missing -> `—`.

    In another language CLDR's compact currency: `5,64 Mld USD` (it), `5,64 mlrd US$` (az), `5,64 млрд $` (ru).
    """
    if _missing(usd):
        return MISSING
    value = float(usd)  # type: ignore[arg-type]
    size = abs(value)
    if lang != "en":
        from babel.numbers import format_compact_currency

        digits = 2 if size >= 1e9 else 1 if size >= 1e6 else 0
        written = format_compact_currency(value, "USD", locale=lang, fraction_digits=digits)
        return written.replace("-", MINUS)
    # The largest unit in which the rounded amount is at least 1, so 999.96 m reads `$1.00 bn`.
    for unit in UNITS:
        scaled = size / unit.divisor
        decimals = _decimals(unit, scaled)
        if round(scaled, decimals) >= 1 or unit is UNITS[-1]:
            break
    sign = MINUS if value < 0 and round(scaled, decimals) != 0 else ""
    return f"{sign}${scaled:,.{decimals}f}{unit.suffix}"


def signed_money(usd: float | None, lang: str = "en") -> str:
    """A change in US dollars with its sign: `+$1.20 bn`, `−$371.8 m`, `$0`."""
    if _missing(usd):
        return MISSING
    text = money(usd, lang)
    return text if float(usd) <= 0 else f"+{text}"  # type: ignore[arg-type]


def percent(ratio: float | None, lang: str = "en") -> str:
    """A share as a percentage: 0.523 -> `52.3%` (`52,3%` in it, az, ru); below 1 % two decimals (`0.04%`)."""
    if _missing(ratio):
        return MISSING
    value = float(ratio) * 100  # type: ignore[arg-type]
    decimals = 2 if 0 < abs(value) < 1 else 1
    if lang != "en":
        from babel.numbers import format_percent

        text = format_percent(abs(value) / 100, format="#,##0." + "0" * decimals + "%", locale=lang)
    else:
        text = f"{abs(value):,.{decimals}f}%"
    return f"{MINUS}{text}" if value < 0 else text


def signed_percent(ratio: float | None, lang: str = "en") -> str:
    """A relative change with its sign: 0.251 -> `+25.1%`, -0.045 -> `−4.5%`."""
    if _missing(ratio):
        return MISSING
    text = percent(ratio, lang)
    return f"+{text}" if float(ratio) > 0 else text  # type: ignore[arg-type]


def period_text(frequency: str, year: int, month: int, lang: str = "en") -> str:
    """A period as the page names it, from its frequency, year and last month: `2019` (a year), `Jul 2020`
    (a month), `Jan–Jul 2020` (January to July; `Jan 2020` for January alone); in another language with
    CLDR's abbreviated months (`gen–lug 2020`, `yan–iyl 2020`, `янв.–июль 2020`).

    The display side's one way to write a period: the query layer's own labels are English (for its data
    files and warnings), so the page and the exports write them again from these structured fields, with the
    same rule (`i18n.period_name`)."""
    return period_name(frequency, year, month, lang)


def origin_text(origin: str) -> str:
    """A figure's origin `DOTS_13.xlsx!'Exports, FOB'!AD22` as `DOTS_13.xlsx · Exports, FOB · AD22`."""
    parts = origin.split("!")
    return " · ".join(p.strip("'") for p in parts) if len(parts) == 3 else origin


def number_text(value: float, lang: str = "en", *, digits: int = 0) -> str:
    """A plain number with the language's separators: 1,234.5 (en), 1.234,5 (it, az), 1 234,5 (ru)."""
    from babel.numbers import format_decimal

    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=lang).replace("-", MINUS)


@cache
def separators(lang: str) -> str:
    """Plotly's `separators` for the language: its decimal sign, then its thousands sign (".," in English)."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(lang) + get_group_symbol(lang)


@cache
def unit_suffix(unit: MoneyUnit, lang: str) -> str:
    """The suffix an axis tick carries in the language: ` bn`, ` Mld`, ` mlrd`, ` млрд` (CLDR's short form)."""
    if lang == "en" or unit.divisor == 1.0:
        return unit.suffix
    from babel import Locale

    patterns = Locale.parse(lang).compact_decimal_formats["short"]["other"]
    pattern = patterns.get(str(int(unit.divisor)))
    # A pattern such as "0 Mld" or "0 млрд": its positive suffix is the words after the number.
    words = str(pattern.suffix[0]).replace("'", "").strip() if pattern is not None else ""
    return f"\u00a0{words}" if words else unit.suffix


@cache
def currency_sign(lang: str) -> str:
    """How the language writes US dollars after an amount: `$` (en, ru), `USD` (it), `US$` (az)."""
    from babel.numbers import get_currency_symbol

    return "$" if lang == "en" else str(get_currency_symbol("USD", locale=lang))
