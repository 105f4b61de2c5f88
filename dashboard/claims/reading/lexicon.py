"""The words and number shapes of one language, compiled: what the text reader matches.

Each language's words live in data/reference/claim_words/<language>.toml (regular expressions, never
evaluated), written by people who read that press; CLDR (Babel) gives the month names and the decimal and
grouping symbols; the names of countries come from CLDR, ISO (pycountry) and data/reference (mentions.py).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol

LANGUAGES: Final = ("en", "it", "az", "ru")
WORDS_DIR: Final = Path(__file__).resolve().parents[3] / "data" / "reference" / "claim_words"
_YEAR: Final = r"(?:19|20)\d{2}"
# Figures in another currency are found (and reported as not checkable), never taken for dollars.
CURRENCY_CODES: Final = "AZN|EUR|RUB|TRY|GBP|CNY|JPY"
_SPACES: Final = "\u00a0\u202f "


class LexiconError(ValueError):
    """A claim_words file is missing a key or holds a pattern that does not compile; the message says where."""


@dataclass(frozen=True)
class Lexicon:
    """One language's compiled patterns (case-insensitive unless said otherwise)."""

    language: str
    decimal: str
    group: str
    money: re.Pattern[str]
    percent: re.Pattern[str]
    percent_before: re.Pattern[str] | None
    scales: tuple[tuple[re.Pattern[str], float], ...]
    weak_scales: re.Pattern[str]
    other_currency_after: re.Pattern[str]
    other_currency_before: re.Pattern[str]
    quantity_nouns: re.Pattern[str]
    months: tuple[re.Pattern[str], ...]
    counts: Mapping[str, int]
    ordinals: Mapping[str, int]
    periods: tuple[tuple[str, re.Pattern[str]], ...]
    measures: tuple[tuple[str, re.Pattern[str]], ...]
    measure_after: re.Pattern[str] | None
    deficit: re.Pattern[str]
    sell_verbs: re.Pattern[str] | None
    buy_verbs: re.Pattern[str] | None
    trade_verbs: re.Pattern[str] | None
    verbs_after: bool  # the verb follows the figure and the subject comes first (Azerbaijani)
    change: re.Pattern[str]
    change_after: re.Pattern[str] | None
    share: re.Pattern[str]
    total: re.Pattern[str]
    rank_phrase: re.Pattern[str] | None
    ranked: re.Pattern[str] | None
    rank_exports: re.Pattern[str]
    rank_imports: re.Pattern[str]
    bound_before: re.Pattern[str]
    bound_after: re.Pattern[str] | None
    base_before: re.Pattern[str]
    base_after: re.Pattern[str] | None
    comparison_before: re.Pattern[str]
    comparison_after: re.Pattern[str] | None
    named_after: re.Pattern[str] | None  # case-sensitive
    not_partner: re.Pattern[str]
    reported_imports: re.Pattern[str] | None
    reported_exports: re.Pattern[str] | None
    clause_cut: re.Pattern[str]
    name_suffix: str  # what an inflected name may add ("" where names do not inflect)
    name_stem_strip: re.Pattern[str] | None  # the ending a name drops before its inflections
    name_adds: int  # the most characters an inflection adds

    def number(self, written: str) -> str:
        """The digits of `written` with a point for decimals ("4.172,2" -> "4172.2", "1 500" -> "1500")."""
        if self.decimal == ".":
            return written.replace(",", "")
        if "," in written:
            return re.sub(r"[^\d,]", "", written).replace(",", ".")
        if re.fullmatch(rf"\d{{1,3}}(?:[{re.escape(self.group)}]\d{{3}})+", written):
            return re.sub(r"\D", "", written)
        return written  # "4.5": a point the writer meant as decimals (news agencies often do)

    def scale(self, word: str) -> float:
        return next((value for pattern, value in self.scales if pattern.fullmatch(word)), 1.0)

    def month(self, name: str) -> int:
        return next(n for n, pattern in enumerate(self.months, start=1) if pattern.fullmatch(name))


def _one_of(words: list[str] | str) -> str:
    return words if isinstance(words, str) else "|".join(words)


def _month_names(language: str, table: Mapping[str, Any]) -> list[str]:
    """Per month, an alternation of its CLDR names (and the file's extras), inflectable by the file's suffix."""
    locale = Locale.parse(language)
    widths = table.get("widths", ["wide", "abbreviated"])
    suffix = table.get("suffix", "")
    stems = table.get("stem", False)
    extra = {int(k): v for k, v in table.get("extra", {}).items()}
    found = []
    for number in range(1, 13):
        forms = {
            locale.months[context][width][number].rstrip(".")
            for context in ("format", "stand-alone")
            for width in widths
        }
        forms |= set(extra.get(number, []))
        wide = [locale.months[c]["wide"][number] for c in ("format", "stand-alone")]
        if stems:
            common = wide[0]
            for form in wide[1:]:
                while not form.lower().startswith(common.lower()):
                    common = common[:-1]
            if len(common) >= 3:
                forms = {common} | set(extra.get(number, []))
        ordered = sorted(forms, key=lambda f: (-len(f), f))
        found.append("(?:" + "|".join(re.escape(f) for f in ordered) + ")" + suffix)
    return found


def _compile(pattern: str, where: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as error:
        raise LexiconError(f"{where}: {error}") from error


def _number_pattern(decimal: str, group: str) -> str:
    # A number starts where no digit, point or comma precedes it: without this guard a long run of digits is
    # retried from every position (quadratic time on pasted text). Nor after a digit and a space: "1 108,5"
    # whose grouping the language does not use is not read as "108,5".
    if decimal == ".":
        return r"(?<![\d.,])(?<!\d\s)(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    groups = re.escape(group)
    return (
        rf"(?<![\d.,])(?<!\d\s)(?:\d{{1,3}}(?:[{groups}]\d{{3}})+(?:,\d+)?(?!\d)|\d+,\d+"
        r"|\d+\.(?:\d{1,2}|\d{4,})(?!\d)|\d+)"
    )


@cache
def lexicon(language: str) -> Lexicon:
    """The compiled words of `language` (one of LANGUAGES), read once from data/reference/claim_words."""
    if language not in LANGUAGES:
        raise LexiconError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
    path = WORDS_DIR / f"{language}.toml"
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    try:
        return _build(language, data, path.name)
    except KeyError as missing:
        raise LexiconError(f"{path.name}: missing {missing}") from None


def _build(language: str, data: Mapping[str, Any], where: str) -> Lexicon:
    numbers, words, measures = data["numbers"], data["words"], data["measures"]
    ranks, bounds, partners = data.get("ranks", {}), data["bounds"], data["partners"]
    decimal = get_decimal_symbol(language)
    group = get_group_symbol(language) + numbers.get("group_also", "")
    number = _number_pattern(decimal, group)
    scale_words = "|".join(_one_of(words_) for words_, _ in numbers["scales"])
    months = _month_names(language, data.get("months", {}))
    month = "(?<!\\w)(?:" + "|".join(months) + ")"
    counts = {str(k).lower(): int(v) for k, v in words["counts"].items()}
    ordinals = {str(k).lower(): int(v) for k, v in words["ordinals"].items()}
    count = r"\d{1,2}|" + "|".join(sorted(map(re.escape, counts), key=lambda w: -len(w)))
    ordinal = "|".join(sorted(map(re.escape, ordinals), key=lambda w: -len(w)))

    def period(pattern: str) -> str:
        for token, value in (
            ("<MONTH>", month),
            ("<YEAR>", _YEAR),
            ("<COUNT>", count),
            ("<ORDINAL>", ordinal),
            ("<DASH>", words["dash"]),
            ("<SCALE>", scale_words),
            ("<YS>", words.get("year_suffix", "")),
        ):
            pattern = pattern.replace(token, value)
        return pattern

    def optional(table: Mapping[str, Any], key: str, flags: int = re.IGNORECASE) -> re.Pattern[str] | None:
        value = table.get(key)
        return None if not value else _compile(_one_of(value), f"{where}: {key}", flags)

    def required(table: Mapping[str, Any], key: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
        return _compile(_one_of(table[key]), f"{where}: {key}", flags)

    lead = numbers.get("currency_lead", "")
    strip = partners.get("name_stem_strip")
    return Lexicon(
        language=language,
        decimal=decimal,
        group=group,
        money=_compile(
            rf"(?P<pre>(?:{numbers['usd_before']})\s?)?(?P<num>{number})"
            rf"(?:\s?(?P<scale>{scale_words})(?!\w))?(?P<post>\s*(?:{numbers['usd_after']})(?!\w))?",
            f"{where}: money",
        ),
        percent=_compile(rf"(?P<num>{number})\s?(?:{numbers['percent_after']})", f"{where}: percent"),
        percent_before=(
            _compile(rf"(?:{numbers['percent_before']})\s?(?P<num>{number})", f"{where}: percent_before")
            if numbers.get("percent_before")
            else None
        ),
        scales=tuple(
            (_compile(_one_of(words_), f"{where}: scales"), float(value))
            for words_, value in numbers["scales"]
        ),
        weak_scales=_compile(_one_of(numbers.get("weak_scales", ["(?!)"])), f"{where}: weak_scales"),
        other_currency_after=_compile(
            rf"\s*(?:{lead})?(?P<c>{numbers['other_currency_after']}|{CURRENCY_CODES})(?!\w)",
            f"{where}: other_currency_after",
        ),
        other_currency_before=_compile(
            rf"(?P<c>{numbers['other_currency_before']}|{CURRENCY_CODES})\s?$",
            f"{where}: other_currency_before",
        ),
        quantity_nouns=_compile(rf"\s*(?:{numbers['quantity_nouns']})(?!\w)", f"{where}: quantity_nouns"),
        months=tuple(_compile(m, f"{where}: months") for m in months),
        counts=counts,
        ordinals=ordinals,
        periods=tuple(
            (entry["kind"], _compile(period(entry["pattern"]), f"{where}: periods ({entry['kind']})"))
            for entry in data["periods"]
        ),
        measures=tuple(
            (name, required(measures, name)) for name in ("turnover", "exports", "imports", "balance")
        ),
        measure_after=optional(measures, "after"),
        deficit=required(measures, "deficit"),
        sell_verbs=optional(measures, "sell_verbs"),
        buy_verbs=optional(measures, "buy_verbs"),
        trade_verbs=optional(measures, "trade_verbs"),
        verbs_after=bool(measures.get("verbs_after", False)),
        change=required(measures, "change"),
        change_after=optional(measures, "change_after"),
        share=required(measures, "share"),
        total=required(measures, "total"),
        rank_phrase=optional(ranks, "phrase"),
        ranked=optional(ranks, "ranked"),
        rank_exports=_compile(ranks.get("exports", "(?!)"), f"{where}: ranks.exports"),
        rank_imports=_compile(ranks.get("imports", "(?!)"), f"{where}: ranks.imports"),
        bound_before=required(bounds, "before"),
        bound_after=optional(bounds, "after"),
        base_before=required(bounds, "base_before"),
        base_after=optional(bounds, "base_after"),
        comparison_before=required(bounds, "comparison_before"),
        comparison_after=optional(bounds, "comparison_after"),
        named_after=optional(partners, "named_after", 0),
        not_partner=_compile(
            rf"^(?:{month}|{partners['not_partner']}|{CURRENCY_CODES})$", f"{where}: not_partner"
        ),
        reported_imports=optional(partners, "reported_imports"),
        reported_exports=optional(partners, "reported_exports"),
        clause_cut=required(partners, "clause_cut"),
        name_suffix=partners.get("name_suffix", ""),
        name_stem_strip=None if not strip else _compile(strip, f"{where}: name_stem_strip", 0),
        name_adds=int(partners.get("name_adds", 0)),
    )
