"""Where a sentence names periods, partners, measures and figures."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

import pandas as pd

from dashboard.claims.model import WORLD, Period
from dashboard.claims.reading.lexicon import Lexicon
from dashboard.claims.reading.patterns import SENTENCE, Figure, Mention, UnclearPeriod


def _which(word: str, lx: Lexicon) -> int:
    """1 for "first", "1st", "Q1", "H1", "primo", "первом", "birinci"; 0 when not a number word."""
    key = word.lower()
    if key in lx.ordinals:
        return lx.ordinals[key]
    if key in lx.counts:
        return lx.counts[key]
    digits = re.sub(r"\D", "", key)
    return int(digits) if digits else 0


def period_mentions(text: str, lx: Lexicon) -> list[Mention]:
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in lx.periods:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            groups = match.groupdict()
            year = int(groups["y"][:4]) if groups.get("y") else 0
            period: Period | UnclearPeriod | None = None
            if kind == "unclear":
                period = UnclearPeriod(match.group(0).strip())
            elif kind == "range":
                first, last = lx.month(match["m1"]), lx.month(match["m2"])
                period = Period.months(year, first, last) if first <= last else None
            elif kind == "to_month":
                period = Period.months(year, 1, lx.month(match["m2"]))
            elif kind == "half":
                number = _which(match["which"], lx)
                period = {1: Period.months(year, 1, 6), 2: Period.months(year, 7, 12)}.get(number)
            elif kind == "quarter":
                number = _which(match["which"], lx)
                period = Period.months(year, 3 * number - 2, 3 * number) if 1 <= number <= 4 else None
            elif kind == "first_months":
                count = _which(match["n"], lx)
                period = Period.months(year, 1, count) if 1 <= count <= 12 else None
            elif kind == "month":
                period = Period.month(year, lx.month(match["m1"]))
            else:
                period = Period.year(year)
            if period is None:
                continue
            taken.append((match.start(), match.end()))
            # "up 12 percent on 2018", "compared with January–July 2019", "2019-cu ilə müqayisədə": a base of
            # comparison, not the period a figure is about.
            if lx.comparison_before.search(text, max(0, match.start() - 60), match.start()):
                continue
            if lx.comparison_after is not None and lx.comparison_after.match(text, match.end()):
                continue
            found.append(Mention(match.start(), match.end(), period))
    return sorted(found, key=lambda m: m.start)


@dataclass(frozen=True)
class NameTable:
    """Where a text names an area: one pattern over every name (inflected where the language inflects)
    and the code of each name as written or as its stem."""

    pattern: re.Pattern[str]
    codes: Mapping[str, str]
    adds: int

    def code(self, written: str) -> str | None:
        """The code of a name as written ("Италией" -> the stem "Итали" -> ITA; "İtaliyaya" -> "İtaliya")."""
        for cut in range(min(self.adds, len(written) - 1) + 1):
            code = self.codes.get(written[: len(written) - cut])
            if code is not None:
                return code
        return None


def name_table(names: Mapping[str, str], lx: Lexicon) -> NameTable | None:
    if not names:
        return None
    return _compiled_names(tuple(sorted(names.items())), lx.language)


@cache
def _compiled_names(items: tuple[tuple[str, str], ...], language: str) -> NameTable:
    # Thousands of names: compiled once per table and language, not once per sentence (bench P7).
    from dashboard.claims.reading.lexicon import lexicon

    lx = lexicon(language)
    codes: dict[str, str] = {}
    alternatives: dict[str, int] = {}
    for name, code in items:
        codes.setdefault(name, code)
        if not lx.name_suffix:
            alternatives[re.escape(name)] = len(name)
            continue
        head, _, last = name.rpartition(" ")
        stem = last
        if lx.name_stem_strip is not None and len(last) > 4:
            stem = lx.name_stem_strip.sub("", last)
        stem_name = f"{head} {stem}" if head else stem
        codes.setdefault(stem_name, code)
        alternatives[re.escape(stem_name) + lx.name_suffix] = len(stem_name)
    ordered = sorted(alternatives, key=lambda a: (-alternatives[a], a))
    lead = r"(?:the\s+)?" if lx.language == "en" else ""
    pattern = re.compile(rf"(?<![\w]){lead}({'|'.join(ordered)})(?![\w])")
    return NameTable(pattern, codes, lx.name_adds)


def partner_mentions(text: str, table: NameTable | None) -> list[Mention]:
    """Where `text` names an area of the table (see `name_table`)."""
    if table is None:
        return []
    found = []
    for match in table.pattern.finditer(text):
        code = table.code(match.group(1))
        if code is not None:
            found.append(Mention(match.start(1), match.end(1), code))
    return found


def clause_bounds(sentence: str, position: int, lx: Lexicon) -> tuple[int, int]:
    """The clause around `position`: between semicolons (and ", while" / ", whereas" turns)."""
    cuts = list(lx.clause_cut.finditer(sentence))
    starts = [m.end() for m in cuts if m.end() <= position]
    ends = [m.start() for m in cuts if m.start() >= position]
    return (max(starts) if starts else 0, min(ends) if ends else len(sentence))


def nearest_before(mentions: Sequence[Mention], position: int, *, lower: int = 0) -> Mention | None:
    before = [m for m in mentions if lower <= m.start and m.end <= position]
    return before[-1] if before else None


def first_after(mentions: Sequence[Mention], position: int, *, upper: int) -> Mention | None:
    after = [m for m in mentions if m.start >= position and m.end <= upper]
    return after[0] if after else None


def measure_mentions(sentence: str, lx: Lexicon) -> list[Mention]:
    found = []
    for measure, pattern in lx.measures:
        for match in pattern.finditer(sentence):
            found.append(Mention(match.start(), match.end(), measure))
    # A longer, more specific word at the same place wins ("trade" inside "total trade" is the same turnover).
    return sorted(found, key=lambda m: (m.start, -(m.end - m.start)))


def _overlaps(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in spans)


def default_names(
    partners: Iterable[tuple[str, str]],
    *,
    reporter: str,
    reporter_name: str | None = None,
    language: str = "en",
) -> dict[str, str]:
    """Name -> code for reading text in `language`: the store's display names of `partners` ((code, name)
    pairs), every country's names (pycountry's in English, CLDR's in the others), the usual spellings of
    data/reference/country_aliases.csv, 'World' -> WLD and the reporter's own names."""
    import pycountry  # imported here: building the table is rare, and the import is slow

    names: dict[str, str] = {}
    for code, name in partners:
        if name:
            names[name] = code
    # Every country, not only the reporter's partners: a partner absent from the data is named as such.
    if language == "en":
        for country in pycountry.countries:
            for attribute in ("name", "common_name", "official_name"):
                value = getattr(country, attribute, None)
                if value:
                    names.setdefault(value, country.alpha_3)
    else:
        for alpha_2, name in _cldr_territories(language).items():
            found = pycountry.countries.get(alpha_2=alpha_2)
            if found is not None:
                names.setdefault(name, found.alpha_3)
    for alias, code in country_aliases(language).items():
        names.setdefault(alias, code)
    if reporter_name:
        names[reporter_name] = reporter
    if language == "en":
        names["World"] = WORLD
    return names


def _cldr_territories(language: str) -> Mapping[str, str]:
    """Alpha-2 code -> CLDR's name of the territory in `language` (regions such as '150' left out)."""
    from babel import Locale

    return {code: name for code, name in Locale.parse(language).territories.items() if code.isalpha()}


COUNTRY_ALIASES_CSV: Final = (
    Path(__file__).resolve().parents[3] / "data" / "reference" / "country_aliases.csv"
)


@cache
def country_aliases(language: str = "en") -> dict[str, str]:
    """Alias -> ISO code from data/reference/country_aliases.csv (usual spellings ISO and CLDR do not use) for
    `language`, and the rows for every language (codes such as 'EU')."""
    table = pd.read_csv(COUNTRY_ALIASES_CSV, comment="#", dtype=str, keep_default_na=False)
    rows = table[table["language"].str.strip().isin(("", language))]
    return dict(zip(rows["alias"].str.strip(), rows["code"].str.strip(), strict=True))


def sentences(text: str) -> list[str]:
    return [s for s in (part.strip() for part in SENTENCE.split(text)) if s]


def _too_long(number: str) -> bool:
    """More than 15 digits before the point: not a trade figure (and beyond a float's exact integers)."""
    return len(number.split(".", 1)[0]) > 15


def _rank_basis(what: str, lx: Lexicon) -> str:
    if lx.rank_exports.search(what):
        return "exports"
    return "imports" if lx.rank_imports.search(what) else "turnover"


def figure_mentions(sentence: str, periods: Sequence[Mention], lx: Lexicon) -> list[Figure]:
    """Every money, percent and rank figure of a sentence, in order (periods' years are not figures)."""
    found: list[Figure] = []
    taken = [(m.start, m.end) for m in periods]
    for match in lx.rank_phrase.finditer(sentence) if lx.rank_phrase else ():
        ordinal = match["ord"]
        rank = 1 if ordinal is None else _which(ordinal, lx) or 1
        basis = _rank_basis(match["what"].lower(), lx)
        found.append(Figure(match.start(), match.end(), "rank", str(rank), 1.0, match.group(0), basis))
        taken.append((match.start(), match.end()))
    for match in lx.ranked.finditer(sentence) if lx.ranked else ():
        # The words saying by what it ranks ("tail") follow the place ("came second by exports") or, in
        # Azerbaijani, precede it ("… alıcıları arasında üçüncü yeri").
        tail_after = match.start("tail") >= match.end("ord")
        start, end = (match.start(), match.start("tail")) if tail_after else (match.start("ord"), match.end())
        if _overlaps((start, end), taken):
            continue
        rank = _which(match["ord"], lx)
        if rank < 1:
            continue
        basis = _rank_basis(match["tail"].lower(), lx)
        found.append(Figure(start, end, "rank", str(rank), 1.0, sentence[start:end], basis))
        taken.append((start, end))
    percents = list(lx.percent.finditer(sentence))
    percents += list(lx.percent_before.finditer(sentence)) if lx.percent_before else []
    for match in sorted(percents, key=lambda m: m.start()):
        span = (match.start(), match.end())
        number = lx.number(match["num"])
        if _overlaps(span, taken) or _too_long(number):
            continue
        found.append(Figure(*span, "percent", number, 0.01, match.group(0)))
        taken.append(span)
    for match in lx.money.finditer(sentence):
        span = (match.start(), match.end())
        number = lx.number(match["num"])
        if _overlaps(span, taken) or _too_long(number):
            continue
        scale_word = (match["scale"] or "").lower()
        has_currency = bool(match["pre"] or match["post"])
        other = None if has_currency else lx.other_currency_after.match(sentence, match.end())
        other = other or (
            None
            if has_currency
            else lx.other_currency_before.search(sentence, max(0, match.start() - 6), match.start())
        )
        if not has_currency and not other and not (scale_word and not lx.weak_scales.fullmatch(scale_word)):
            continue  # a bare number ("2019", "3") is not a money figure
        if not has_currency and not other and lx.quantity_nouns.match(sentence, match.end()):
            continue  # "7 million tonnes"
        scale = lx.scale(scale_word) if scale_word else 1.0
        start, end = span
        if other is not None:
            start, end = min(start, other.start()), max(end, other.end())
        written = sentence[start:end].strip()
        currency = other["c"] if other is not None else "USD"
        found.append(Figure(start, start + len(written), "money", number, scale, written, currency=currency))
        taken.append((start, end))
    return sorted(found, key=lambda m: m.start)
