"""Where a sentence names periods, partners, measures and figures."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Final

import pandas as pd

from dashboard.claims.model import MONTHS, WORLD, Period
from dashboard.claims.reading.patterns import (
    COMPARISON_BASE,
    COUNTS,
    MEASURE_WORDS,
    MONEY,
    ORDINALS,
    OTHER_CURRENCY_AFTER,
    OTHER_CURRENCY_BEFORE,
    PERCENT,
    PERIODS,
    QUANTITY_NOUNS,
    RANK_PHRASE,
    RANKED_PHRASE,
    SCALE_WORDS,
    SENTENCE,
    Figure,
    Mention,
)


def _month_number(name: str) -> int:
    key = name.rstrip(".").lower()[:3]
    return next(i + 1 for i, m in enumerate(MONTHS) if m.lower().startswith(key))


def period_mentions(text: str) -> list[Mention]:
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PERIODS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            year = int(match["y"])
            period: Period | None = None
            if kind == "range":
                first, last = _month_number(match["m1"]), _month_number(match["m2"])
                period = Period.months(year, first, last) if first <= last else None
            elif kind == "half":
                second = match["which"].lower() in ("second", "2nd", "h2")
                period = Period.months(year, 7, 12) if second else Period.months(year, 1, 6)
            elif kind == "quarter":
                which = match["which"].lower()
                number = (
                    int(which[1])
                    if which.startswith("q")
                    else ORDINALS.get(which, int(which[0]) if which[0].isdigit() else 0)
                )
                period = Period.months(year, 3 * number - 2, 3 * number) if 1 <= number <= 4 else None
            elif kind == "first_months":
                word = match["n"].lower()
                count = COUNTS.get(word) or (int(word) if word.isdigit() else 0)
                period = Period.months(year, 1, count) if 1 <= count <= 12 else None
            elif kind == "month":
                period = Period.month(year, _month_number(match["m1"]))
            else:
                period = Period.year(year)
            if period is not None:
                taken.append((match.start(), match.end()))
                # "up 12 percent on 2018", "compared with January–July 2019": a base of comparison, not the
                # period a figure is about.
                # "from January to September 2021" is itself the period (a range), not a base after "from".
                from_to = (
                    kind == "range"
                    and re.search(r"\bto\b", match.group(0), re.I) is not None
                    and re.search(r"\bfrom\s+$", text[max(0, match.start() - 8) : match.start()], re.I)
                    is not None
                )
                if from_to or not COMPARISON_BASE.search(text, max(0, match.start() - 60), match.start()):
                    found.append(Mention(match.start(), match.end(), period))
    return sorted(found, key=lambda m: m.start)


def name_pattern(names: Mapping[str, str]) -> re.Pattern[str] | None:
    if not names:
        return None
    return _compiled_names(tuple(sorted(names, key=lambda n: (-len(n), n))))


@cache
def _compiled_names(ordered: tuple[str, ...]) -> re.Pattern[str]:
    # Thousands of names: compiled once per table, not once per sentence (bench P7).
    alternatives = "|".join(re.escape(n) for n in ordered)
    return re.compile(rf"(?<![\w])(?:the\s+)?({alternatives})(?![\w])")


def partner_mentions(
    text: str, names: Mapping[str, str], reporter: str, *, pattern: re.Pattern[str] | None = None
) -> list[Mention]:
    """Where `text` names an area of `names`; `pattern`: `name_pattern(names)` when the caller has it."""
    pattern = pattern or name_pattern(names)
    if pattern is None:
        return []
    found = []
    for match in pattern.finditer(text):
        code = names[match.group(1)]
        found.append(Mention(match.start(1), match.end(1), code))
    return found


def clause_bounds(sentence: str, position: int) -> tuple[int, int]:
    """The clause around `position`: between semicolons (and ", while" / ", whereas" turns)."""
    cuts = [
        m.end() for m in re.finditer(r";|,\s*(?:while|whereas|and|but)\b", sentence) if m.end() <= position
    ]
    ends = [
        m.start()
        for m in re.finditer(r";|,\s*(?:while|whereas|and|but)\b", sentence)
        if m.start() >= position
    ]
    return (max(cuts) if cuts else 0, min(ends) if ends else len(sentence))


def nearest_before(mentions: Sequence[Mention], position: int, *, lower: int = 0) -> Mention | None:
    before = [m for m in mentions if lower <= m.start and m.end <= position]
    return before[-1] if before else None


def first_after(mentions: Sequence[Mention], position: int, *, upper: int) -> Mention | None:
    after = [m for m in mentions if m.start >= position and m.end <= upper]
    return after[0] if after else None


def measure_mentions(sentence: str) -> list[Mention]:
    found = []
    for measure, pattern in MEASURE_WORDS:
        for match in pattern.finditer(sentence):
            found.append(Mention(match.start(), match.end(), measure))
    # A longer, more specific word at the same place wins ("trade" inside "total trade" is the same turnover).
    return sorted(found, key=lambda m: (m.start, -(m.end - m.start)))


def _overlaps(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in spans)


def default_names(
    partners: Iterable[tuple[str, str]], *, reporter: str, reporter_name: str | None = None
) -> dict[str, str]:
    """Name -> code for extraction: the store's display names of `partners` ((code, name) pairs), pycountry's
    names of every country, a few usual spellings, 'World' -> WLD and the reporter's own names."""
    import pycountry  # imported here: building the table is rare, and the import is slow

    names: dict[str, str] = {}
    for code, name in partners:
        if name:
            names[name] = code
    # Every country, not only the reporter's partners: a partner absent from the data is named as such.
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                names.setdefault(value, country.alpha_3)
    for alias, code in country_aliases().items():
        names.setdefault(alias, code)
    if reporter_name:
        names[reporter_name] = reporter
    names["World"] = WORLD
    return names


COUNTRY_ALIASES_CSV: Final = (
    Path(__file__).resolve().parents[3] / "data" / "reference" / "country_aliases.csv"
)


@cache
def country_aliases() -> dict[str, str]:
    """Alias -> ISO code from data/reference/country_aliases.csv (usual spellings ISO does not use)."""
    table = pd.read_csv(COUNTRY_ALIASES_CSV, comment="#", dtype=str, keep_default_na=False)
    return dict(zip(table["alias"].str.strip(), table["code"].str.strip(), strict=True))


def sentences(text: str) -> list[str]:
    return [s for s in (part.strip() for part in SENTENCE.split(text)) if s]


def _too_long(number: str) -> bool:
    """More than 15 digits before the point: not a trade figure (and beyond a float's exact integers)."""
    return len(number.replace(",", "").split(".", 1)[0]) > 15


def figure_mentions(sentence: str, periods: Sequence[Mention]) -> list[Figure]:
    """Every money, percent and rank figure of a sentence, in order (periods' years are not figures)."""
    found: list[Figure] = []
    taken = [(m.start, m.end) for m in periods]
    for match in RANK_PHRASE.finditer(sentence):
        ordinal = match["ord"]
        rank = (
            1
            if ordinal is None
            else ORDINALS.get(ordinal.lower(), int(ordinal[0]) if ordinal[0].isdigit() else 1)
        )
        what = match["what"].lower()
        basis = (
            "exports"
            if what.startswith("export") or what in ("buyer", "importer")
            else "imports"
            if what in ("supplier", "source of imports", "import partner")
            else "turnover"
        )
        found.append(Figure(match.start(), match.end(), "rank", str(rank), 1.0, match.group(0), basis))
        taken.append((match.start(), match.end()))
    for match in RANKED_PHRASE.finditer(sentence):
        end = match.start("tail")
        if _overlaps((match.start(), end), taken):
            continue
        word = match["ord"].lower()
        rank = ORDINALS.get(word) or int(re.sub(r"\D", "", word))
        tail = match["tail"].lower()
        basis = "exports" if "export" in tail else "imports" if "import" in tail else "turnover"
        found.append(Figure(match.start(), end, "rank", str(rank), 1.0, sentence[match.start() : end], basis))
        taken.append((match.start(), end))
    for match in PERCENT.finditer(sentence):
        span = (match.start(), match.end())
        if _overlaps(span, taken) or _too_long(match["num"]):
            continue
        found.append(Figure(*span, "percent", match["num"], 0.01, match.group(0)))
        taken.append(span)
    for match in MONEY.finditer(sentence):
        span = (match.start(), match.end())
        if _overlaps(span, taken) or _too_long(match["num"]):
            continue
        scale_word = (match["scale"] or "").lower()
        has_currency = bool(match["pre"] or match["post"])
        other = None if has_currency else OTHER_CURRENCY_AFTER.match(sentence, match.end())
        other = other or (
            None
            if has_currency
            else OTHER_CURRENCY_BEFORE.search(sentence, max(0, match.start() - 6), match.start())
        )
        if not has_currency and not other and not (scale_word and scale_word not in ("m", "k")):
            continue  # a bare number ("2019", "3") is not a money figure
        if not has_currency and not other and QUANTITY_NOUNS.match(sentence, match.end()):
            continue  # "7 million tonnes"
        scale = SCALE_WORDS.get(scale_word, 1.0)
        start, end = span
        if other is not None:
            start, end = min(start, other.start()), max(end, other.end())
        written = sentence[start:end].strip()
        currency = other["c"] if other is not None else "USD"
        found.append(
            Figure(start, start + len(written), "money", match["num"], scale, written, currency=currency)
        )
        taken.append((start, end))
    return sorted(found, key=lambda m: m.start)
