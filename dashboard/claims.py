"""The claim checker: figures stated in English text (or a form) checked against the stored rows.

Plain functions, in three steps:
1. `extract_claims(text, names=...)` finds the figures a text states — money ("$3.7 billion", "933.2 million"),
   shares ("26.36 percent"), ranks ("main trading partner") — with the partner, period ("January–July 2020",
   "the first half of 2020", "in 2017") and measure (turnover, exports, imports, balance, share, rank) each
   refers to. Each claim keeps the rounding of its figure: "$3.7 billion" covers $3.65–3.75 bn.
2. `internal_findings(claims)` checks the text against itself: turnover ≠ exports + imports, balance ≠
   exports − imports, a cumulative figure above a later cumulative, a rank or share contradicting stated values.
3. `check_claims(claims, rows, ...)` checks each claim against the data (`TradeQueries.flow_rows` rows of the
   reporter and its partners' mirror rows, any source). Verdicts:
   consistent (some series gives the claimed period's value within the claim's rounding), inconsistent (no
   series does: the data's value and the gap), implausible (the period is not in the data but a bound is
   broken: a January–July figure above the whole year's, or a figure implied by two stated ones above its
   bound, with the arithmetic), not checkable (saying what is missing), internally inconsistent (step 2).
   Every verdict names the data's value, source and release, and the other series (other sources, the
   partner's mirror report) where they exist. A claim about the partner's own report ("Italy's imports from
   Azerbaijan") is checked against that partner's series, the reporter's figure shown beside it.

Units: money in US dollars (full units); shares as ratios (0.2636 for "26.36 percent"); ranks as numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Final

import pandas as pd

from dashboard.format import MINUS, money

if TYPE_CHECKING:
    from dashboard.queries.answers import TradeQueries

CONSISTENT: Final = "consistent"
INCONSISTENT: Final = "inconsistent"
IMPLAUSIBLE: Final = "implausible"
INTERNALLY_INCONSISTENT: Final = "internally inconsistent"
NOT_CHECKABLE: Final = "not checkable"
VERDICTS: Final = (CONSISTENT, INCONSISTENT, IMPLAUSIBLE, INTERNALLY_INCONSISTENT, NOT_CHECKABLE)

MONEY_MEASURES: Final = ("turnover", "exports", "imports", "balance")
MEASURES: Final = (*MONEY_MEASURES, "share", "rank")
NON_NEGATIVE: Final = ("turnover", "exports", "imports")
RANKED_KINDS: Final = ("country", "historical")
WORLD: Final = "WLD"
# Which series a verdict names first when several give the claimed value or none does.
SOURCE_ORDER: Final = ("imf_dots", "stat_az", "customs_az")

MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
UNIT_SCALES: Final = {
    "USD": 1.0,
    "thousand USD": 1e3,
    "million USD": 1e6,
    "billion USD": 1e9,
}
FORM_UNITS: Final = (*UNIT_SCALES, "percent", "rank")


# --- periods ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    """Months `start`..`end` ('YYYY-MM'), as the tidy table stores periods."""

    start: str
    end: str

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(f"{year:04d}-01", f"{year:04d}-12")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(f"{year:04d}-{month:02d}", f"{year:04d}-{month:02d}")

    @classmethod
    def months(cls, year: int, first: int, last: int) -> Period:
        return cls(f"{year:04d}-{first:02d}", f"{year:04d}-{last:02d}")

    @property
    def first_year(self) -> int:
        return int(self.start[:4])

    @property
    def last_year(self) -> int:
        return int(self.end[:4])

    @property
    def first_month(self) -> int:
        return int(self.start[5:7])

    @property
    def last_month(self) -> int:
        return int(self.end[5:7])

    @property
    def is_year(self) -> bool:
        return self.first_year == self.last_year and self.first_month == 1 and self.last_month == 12

    @property
    def is_cumulative(self) -> bool:
        """January to some month of one year (a whole year included)."""
        return self.first_year == self.last_year and self.first_month == 1

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    @property
    def label(self) -> str:
        """`2020`, `July 2020`, `January–July 2020`, `the whole of 2020` is `2020`."""
        if self.is_year:
            return str(self.first_year)
        first, last = MONTHS[self.first_month - 1], MONTHS[self.last_month - 1]
        if self.start == self.end:
            return f"{first} {self.first_year}"
        if self.first_year == self.last_year:
            return f"{first}\u2013{last} {self.first_year}"
        return f"{first} {self.first_year}\u2013{last} {self.last_year}"

    @property
    def phrase(self) -> str:
        """For sentences: `the whole of 2020`, `January–July 2020`."""
        return f"the whole of {self.first_year}" if self.is_year else self.label


# --- claims ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """One stated figure.

    `value`: US dollars for money measures (a balance deficit is negative), a ratio for `share`, a number for
    `rank`. `tolerance`: half a unit of the last digit stated (the claim's rounding) in the same unit.
    `basis`: for share and rank, the measure they rank or divide (turnover unless stated). `partner`: an ISO
    code, 'WLD' for the reporter's total, None when the text names none. `period`: None when none is stated.
    `text`: the figure as written. `measure` is None when the text does not say what the figure measures;
    'change' marks growth rates, which are not checked.
    """

    measure: str | None
    value: float
    tolerance: float
    partner: str | None
    period: Period | None
    text: str
    reporter: str = "AZE"
    basis: str = "turnover"
    position: int = 0
    currency: str = "USD"  # the currency the figure is stated in; only US dollars are checked
    # Set when the text gives the partner's own report ("Italy's imports from Azerbaijan"): the claim is then
    # checked against that partner's (mirror) series.
    reported_by: str | None = None

    @property
    def key(self) -> tuple[object, ...]:
        return (self.measure, self.partner, self.period, self.basis)


def _decimals(number: str) -> int:
    return len(number.split(".", 1)[1]) if "." in number else 0


def _tolerance(number: str, scale: float) -> float:
    """Half a unit of the last digit written: '3.7' billion -> 0.05e9."""
    return 0.5 * 10 ** (-_decimals(number)) * scale


# --- extraction ------------------------------------------------------------------------------------------------

# A number starts where no digit, point or comma precedes it: without this guard a long run of digits is
# retried from every position (quadratic time on pasted text).
_NUMBER = r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE_WORDS: Final = {
    "trillion": 1e12,
    "tn": 1e12,
    "billion": 1e9,
    "bln": 1e9,
    "bn": 1e9,
    "million": 1e6,
    "mln": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "thousand": 1e3,
    "k": 1e3,
}
_SCALE = r"trillion|billion|million|thousand|bln|mln|bn|tn|mn|m|k"
_MONEY = re.compile(
    rf"(?P<pre>(?:US\s?\$|\$|USD|US dollars?)\s?)?(?P<num>{_NUMBER})(?:\s?(?P<scale>{_SCALE})\b)?"
    r"(?P<post>\s*(?:US dollars?|dollars?|USD|US\$))?",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"(?P<num>{_NUMBER})\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DASH = r"\s*(?:[\u2013\u2014\-]|to|through|till|until)\s*"
_YEAR = r"(?:19|20)\d{2}"
_ORDINALS: Final = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}
_COUNTS: Final = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
}
_PERIODS: Final = (
    ("range", re.compile(rf"(?P<m1>{_MONTH}){_DASH}(?P<m2>{_MONTH}),?\s+(?:of\s+)?(?P<y>{_YEAR})", re.I)),
    ("half", re.compile(rf"(?P<which>first|second|1st|2nd)\s+half\s+(?:of\s+)?(?P<y>{_YEAR})", re.I)),
    ("half", re.compile(rf"\b(?P<which>H1|H2)\s+(?P<y>{_YEAR})", re.I)),
    (
        "quarter",
        re.compile(
            rf"(?P<which>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+(?:of\s+)?(?P<y>{_YEAR})",
            re.I,
        ),
    ),
    ("quarter", re.compile(rf"\b(?P<which>Q[1-4])\s+(?P<y>{_YEAR})", re.I)),
    (
        "first_months",
        re.compile(rf"first\s+(?P<n>\w+)\s+months\s+(?:of\s+)?(?P<y>{_YEAR})", re.I),
    ),
    ("month", re.compile(rf"(?P<m1>{_MONTH})\s+(?:of\s+)?(?P<y>{_YEAR})", re.I)),
    ("year", re.compile(rf"(?<![\d.,$])(?P<y>{_YEAR})(?!\d|[.,]\d|\s?(?:{_SCALE})\b)", re.I)),
)
# What a figure measures, by the words before it (the nearest wins).
_MEASURE_WORDS: Final = (
    (
        "turnover",
        re.compile(
            r"\b(?:turnover|total trade|trade volume|volume of trade|bilateral trade|trade|trading partner)\b",
            re.I,
        ),
    ),
    ("exports", re.compile(r"\bexport(?:s|ed)?\b|\bsales to\b", re.I)),
    ("imports", re.compile(r"\bimport(?:s|ed)?\b|\bpurchases from\b", re.I)),
    ("balance", re.compile(r"\b(?:balance|surplus|deficit)\b", re.I)),
)
# "$0.5 billion of exports": a measure named right after the figure wins over one before it.
_MEASURE_AFTER = re.compile(
    r"\s*(?:worth\s+)?(?:of|in)\s+(?:\w+\s+)?(exports?|imports?|turnover|trade)\b", re.I
)
_DEFICIT = re.compile(r"\b(?:deficit|negative balance)\b", re.I)
_CHANGE = re.compile(
    r"\b(?:increas\w*|decreas\w*|grew|grow\w*|rose|rise|fell|fall\w*|declin\w*|up|down|higher|lower|more|less|"
    r"compared|growth|jump\w*|drop\w*)\b[^.;%]*$",
    re.I,
)
_SHARE_WORDS = re.compile(r"\b(?:share|accounted for|accounting for|account for|of (?:the )?total)\b", re.I)
_TOTAL_WORDS = re.compile(
    r"\b(?:total|totall?ed|totall?ing|in total|overall|foreign trade|all (?:partners|countries))\b", re.I
)
_RANK = re.compile(
    r"\b(?:(?P<ord>second|third|fourth|fifth|2nd|3rd|4th|5th)[\s-]+(?:largest|biggest|main|leading)|"
    r"(?P<top>main|largest|biggest|top|leading|first|number one|No\.? ?1))\s+"
    r"(?P<what>trading partner|trade partner|partner|export (?:market|destination|partner)|buyer|"
    r"importer|supplier|source of imports|import partner)\b",
    re.I,
)
# "Italy ranked first among Azerbaijan's trading partners", "Türkiye came second by exports".
_RANKED = re.compile(
    r"\b(?:ranked|ranks|ranking|came|comes|placed|was|is)\s+(?:in\s+)?(?:the\s+)?"
    r"(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|1st|2nd|3rd|[4-9]th|10th)"
    r"(?=\s+(?:among|by|in|place|on)\b)(?P<tail>[^.;]{0,80})",
    re.I,
)
# Figures in another currency are found (and reported as not checkable), never taken for dollars.
_OTHER_CURRENCY_AFTER = re.compile(
    r"\s*(?P<c>manats?|AZN|euros?|EUR|roubles?|rubles?|RUB|lira|liras|TRY|pounds?|GBP|yuan|CNY|yen|JPY)\b",
    re.I,
)
_OTHER_CURRENCY_BEFORE = re.compile(r"(?P<c>€|£|¥|AZN|EUR|RUB|TRY|GBP|CNY|JPY)\s?$")
_QUANTITY_NOUNS = re.compile(
    r"\s*(?:tonnes|tons|barrels|cubic|m3|people|units|cars|litres|liters|hectares|km|kilometres|years|months)\b",
    re.I,
)
_COMPARISON_BASE = re.compile(
    r"\b(?:on|over|from|than|since|against|versus|vs\.?|compared (?:with|to))\s+(?:the\s+)?"
    r"(?:same period (?:of|in)\s+)?$",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“])|\n\s*\n")


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    value: object


@dataclass(frozen=True)
class _Figure:
    """A figure found in a sentence: kind 'money' | 'percent' | 'rank', the digits, their scale, the text."""

    start: int
    end: int
    kind: str
    number: str
    scale: float
    written: str
    basis: str = "turnover"
    currency: str = "USD"


def _month_number(name: str) -> int:
    key = name.rstrip(".").lower()[:3]
    return next(i + 1 for i, m in enumerate(MONTHS) if m.lower().startswith(key))


def _period_mentions(text: str) -> list[_Mention]:
    found: list[_Mention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PERIODS:
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
                    else _ORDINALS.get(which, int(which[0]) if which[0].isdigit() else 0)
                )
                period = Period.months(year, 3 * number - 2, 3 * number) if 1 <= number <= 4 else None
            elif kind == "first_months":
                word = match["n"].lower()
                count = _COUNTS.get(word) or (int(word) if word.isdigit() else 0)
                period = Period.months(year, 1, count) if 1 <= count <= 12 else None
            elif kind == "month":
                period = Period.month(year, _month_number(match["m1"]))
            else:
                period = Period.year(year)
            if period is not None:
                taken.append((match.start(), match.end()))
                # "up 12 percent on 2018", "compared with January–July 2019": a base of comparison, not the
                # period a figure is about.
                if not _COMPARISON_BASE.search(text, max(0, match.start() - 60), match.start()):
                    found.append(_Mention(match.start(), match.end(), period))
    return sorted(found, key=lambda m: m.start)


def _name_pattern(names: Mapping[str, str]) -> re.Pattern[str] | None:
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:the\s+)?({alternatives})(?![\w])")


def _partner_mentions(text: str, names: Mapping[str, str], reporter: str) -> list[_Mention]:
    pattern = _name_pattern(names)
    if pattern is None:
        return []
    found = []
    for match in pattern.finditer(text):
        code = names[match.group(1)]
        found.append(_Mention(match.start(1), match.end(1), code))
    return found


def _clause_bounds(sentence: str, position: int) -> tuple[int, int]:
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


def _nearest_before(mentions: Sequence[_Mention], position: int, *, lower: int = 0) -> _Mention | None:
    before = [m for m in mentions if lower <= m.start and m.end <= position]
    return before[-1] if before else None


def _first_after(mentions: Sequence[_Mention], position: int, *, upper: int) -> _Mention | None:
    after = [m for m in mentions if m.start >= position and m.end <= upper]
    return after[0] if after else None


def _measure_mentions(sentence: str) -> list[_Mention]:
    found = []
    for measure, pattern in _MEASURE_WORDS:
        for match in pattern.finditer(sentence):
            found.append(_Mention(match.start(), match.end(), measure))
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
    for alias, code in _ALIASES.items():
        names.setdefault(alias, code)
    if reporter_name:
        names[reporter_name] = reporter
    names["World"] = WORLD
    return names


# Usual English spellings that neither the store nor ISO uses.
_ALIASES: Final = {
    "Turkey": "TUR",
    "Turkiye": "TUR",
    "Russia": "RUS",
    "China": "CHN",
    "Iran": "IRN",
    "South Korea": "KOR",
    "Korea": "KOR",
    "UK": "GBR",
    "Britain": "GBR",
    "Great Britain": "GBR",
    "United Kingdom": "GBR",
    "US": "USA",
    "USA": "USA",
    "United States": "USA",
    "Czech Republic": "CZE",
    "Czechia": "CZE",
    "Moldova": "MDA",
    "Vietnam": "VNM",
    "Taiwan": "TWN",
    "Syria": "SYR",
    "Venezuela": "VEN",
    "Bolivia": "BOL",
    "Tanzania": "TZA",
    "Laos": "LAO",
}


def extract_claims(
    text: str, *, names: Mapping[str, str], reporter: str = "AZE", default_period: Period | None = None
) -> list[Claim]:
    """Every figure stated in `text`, in order, with the partner, period and measure it refers to.

    `names`: display name -> code (see `default_names`); the reporter's own name is recognised but never
    taken for a partner. A figure's measure is the nearest measure word before it in its clause (else the
    first after it); its partner the partner named in its clause (nearest before, else after), else the
    reporter's total when the clause speaks of total or foreign trade, else the last partner named before;
    its period the nearest period before it in its sentence (else after; else the last one named earlier).
    Unknown pieces stay None; the checker says what is missing. Text is never evaluated, only matched.
    """
    claims: list[Claim] = []
    context_partner: str | None = None
    context_period: Period | None = default_period
    offset = 0
    for sentence in _sentences(text):
        base = text.find(sentence, offset)
        offset = base + len(sentence) if base >= 0 else offset
        mentions = _partner_mentions(sentence, names, reporter)
        partners = [m for m in mentions if m.value != reporter]
        periods = _period_mentions(sentence)
        measures = _measure_mentions(sentence)
        figures = _figure_mentions(sentence, periods)
        sentence_claims: list[Claim] = []
        for figure in figures:
            clause_start, clause_end = _clause_bounds(sentence, figure.start)
            partner = _pick_partner(
                sentence,
                partners,
                figure,
                clause_start,
                clause_end,
                context_partner,
                reporter_named=any(m.value == reporter for m in mentions),
            )
            period_mention = _nearest_before(periods, figure.start) or _first_after(
                periods, figure.end, upper=len(sentence)
            )
            period = period_mention.value if period_mention is not None else context_period
            assert period is None or isinstance(period, Period)
            claims.append(
                _claim_for(
                    sentence,
                    figure,
                    measures=measures,
                    clause=(clause_start, clause_end),
                    partner=partner,
                    period=period,
                    reporter=reporter,
                    position=(base if base >= 0 else 0) + figure.start,
                    # A clause without a measure word continues the sentence's last one ("Italy had $5.4 bn").
                    previous_measure=next(
                        (c.measure for c in reversed(sentence_claims) if c.measure in MONEY_MEASURES), None
                    ),
                    reporter_spans=[(m.start, m.end) for m in mentions if m.value == reporter],
                )
            )
            sentence_claims.append(claims[-1])
        if partners:
            context_partner = str(partners[-1].value)
        if periods:
            last = periods[-1].value
            context_period = last if isinstance(last, Period) else context_period
    return claims


def _sentences(text: str) -> list[str]:
    return [s for s in (part.strip() for part in _SENTENCE.split(text)) if s]


def _too_long(number: str) -> bool:
    """More than 15 digits before the point: not a trade figure (and beyond a float's exact integers)."""
    return len(number.replace(",", "").split(".", 1)[0]) > 15


def _figure_mentions(sentence: str, periods: Sequence[_Mention]) -> list[_Figure]:
    """Every money, percent and rank figure of a sentence, in order (periods' years are not figures)."""
    found: list[_Figure] = []
    taken = [(m.start, m.end) for m in periods]
    for match in _RANK.finditer(sentence):
        ordinal = match["ord"]
        rank = (
            1
            if ordinal is None
            else _ORDINALS.get(ordinal.lower(), int(ordinal[0]) if ordinal[0].isdigit() else 1)
        )
        what = match["what"].lower()
        basis = (
            "exports"
            if what.startswith("export") or what in ("buyer", "importer")
            else "imports"
            if what in ("supplier", "source of imports", "import partner")
            else "turnover"
        )
        found.append(_Figure(match.start(), match.end(), "rank", str(rank), 1.0, match.group(0), basis))
        taken.append((match.start(), match.end()))
    for match in _RANKED.finditer(sentence):
        end = match.start("tail")
        if _overlaps((match.start(), end), taken):
            continue
        word = match["ord"].lower()
        rank = _ORDINALS.get(word) or int(re.sub(r"\D", "", word))
        tail = match["tail"].lower()
        basis = "exports" if "export" in tail else "imports" if "import" in tail else "turnover"
        found.append(
            _Figure(match.start(), end, "rank", str(rank), 1.0, sentence[match.start() : end], basis)
        )
        taken.append((match.start(), end))
    for match in _PERCENT.finditer(sentence):
        span = (match.start(), match.end())
        if _overlaps(span, taken) or _too_long(match["num"]):
            continue
        found.append(_Figure(*span, "percent", match["num"], 0.01, match.group(0)))
        taken.append(span)
    for match in _MONEY.finditer(sentence):
        span = (match.start(), match.end())
        if _overlaps(span, taken) or _too_long(match["num"]):
            continue
        scale_word = (match["scale"] or "").lower()
        has_currency = bool(match["pre"] or match["post"])
        other = None if has_currency else _OTHER_CURRENCY_AFTER.match(sentence, match.end())
        other = other or (
            None
            if has_currency
            else _OTHER_CURRENCY_BEFORE.search(sentence, max(0, match.start() - 6), match.start())
        )
        if not has_currency and not other and not (scale_word and scale_word not in ("m", "k")):
            continue  # a bare number ("2019", "3") is not a money figure
        if not has_currency and not other and _QUANTITY_NOUNS.match(sentence, match.end()):
            continue  # "7 million tonnes"
        scale = _SCALE_WORDS.get(scale_word, 1.0)
        start, end = span
        if other is not None:
            start, end = min(start, other.start()), max(end, other.end())
        written = sentence[start:end].strip()
        currency = other["c"] if other is not None else "USD"
        found.append(
            _Figure(start, start + len(written), "money", match["num"], scale, written, currency=currency)
        )
        taken.append((start, end))
    return sorted(found, key=lambda m: m.start)


def _pick_partner(
    sentence: str,
    partners: Sequence[_Mention],
    figure: _Figure,
    clause_start: int,
    clause_end: int,
    context: str | None,
    *,
    reporter_named: bool = False,
) -> str | None:
    kind = figure.kind
    in_clause = _nearest_before(partners, figure.start, lower=clause_start) or _first_after(
        partners, figure.end, upper=clause_end
    )
    if kind == "rank":
        # "Italy was ... main trading partner": the subject before the phrase, else the one after it.
        subject = _nearest_before(partners, figure.start) or _first_after(
            partners, figure.end, upper=len(sentence)
        )
        return str(subject.value) if subject else context
    if in_clause is not None:
        return str(in_clause.value)
    clause = sentence[clause_start:clause_end]
    if _TOTAL_WORDS.search(clause) and kind == "money":
        return WORLD
    if kind == "money" and not partners and reporter_named:
        # "Azerbaijan's exports amounted to $13.7 billion": the reporter named, no partner -> its total.
        return WORLD
    before = _nearest_before(partners, figure.start)
    if before is not None:
        return str(before.value)
    return context


def _claim_for(
    sentence: str,
    figure: _Figure,
    *,
    measures: Sequence[_Mention],
    clause: tuple[int, int],
    partner: str | None,
    period: Period | None,
    reporter: str,
    position: int,
    previous_measure: str | None = None,
    reporter_spans: Sequence[tuple[int, int]] = (),
) -> Claim:
    kind, number, scale, written = figure.kind, figure.number.replace(",", ""), figure.scale, figure.written
    value = float(number)
    tolerance = _tolerance(number, scale)
    if kind == "rank":
        return Claim("rank", value, 0.0, partner, period, written, reporter, figure.basis, position)
    clause_start, clause_end = clause
    before = _nearest_before(measures, figure.start, lower=clause_start)
    after = _first_after(measures, figure.end, upper=clause_end)
    if kind == "percent":
        head = sentence[clause_start : figure.start]
        if _CHANGE.search(head) and not _SHARE_WORDS.search(head):
            return Claim(
                "change", value / 100, tolerance, partner, period, written, reporter, "turnover", position
            )
        basis_mention = after or before
        basis = str(basis_mention.value) if basis_mention is not None else "turnover"
        if basis == "balance":
            basis = "turnover"
        return Claim("share", value / 100, tolerance, partner, period, written, reporter, basis, position)
    right_after = _MEASURE_AFTER.match(sentence, figure.end)
    measure_mention = before or after
    measure = str(measure_mention.value) if measure_mention is not None else previous_measure
    if right_after is not None:
        word = right_after.group(1).lower()
        measure = (
            "turnover"
            if word in ("turnover", "trade")
            else ("exports" if word.startswith("export") else "imports")
        )
    amount = value * scale
    if measure == "balance":
        near = sentence[clause_start : figure.end]
        if _DEFICIT.search(near) or re.search(r"[\u2212\-]\s*\$?\s*" + re.escape(number), sentence):
            amount = -amount
    # "Italy's imports from Azerbaijan", "Türkiye exported ... to Azerbaijan": the partner's own report.
    reported_by = None
    if measure in ("exports", "imports") and partner not in (None, WORLD):
        towards = "from" if measure == "imports" else "to"
        for start, _ in reporter_spans:
            if clause_start <= start < clause_end and re.search(
                rf"\b{towards}\s+(?:the\s+)?$", sentence[:start]
            ):
                reported_by = partner
    return Claim(
        measure,
        amount,
        tolerance,
        partner,
        period,
        written,
        reporter,
        "turnover",
        position,
        figure.currency,
        reported_by,
    )


# --- the form ---------------------------------------------------------------------------------------------------


class FormError(ValueError):
    """A form field is missing or malformed; the message names the field."""


def form_period(kind: object, year: object, month: object) -> Period:
    """The period a form describes: kind 'year', 'month' or 'cumulative' (January to `month`)."""
    year_number = int(year) if isinstance(year, (int, str)) and str(year).strip().isdigit() else None
    if year_number is None or not 1900 <= year_number <= 2100:
        raise FormError(f"year: {year!r} is not a year")
    if kind == "year":
        return Period.year(year_number)
    month_number = int(month) if isinstance(month, (int, str)) and str(month).strip().isdigit() else None
    if month_number is None or not 1 <= month_number <= 12:
        raise FormError(f"month: {month!r} is not a month (1–12)")
    if kind == "month":
        return Period.month(year_number, month_number)
    if kind == "cumulative":
        return Period.months(year_number, 1, month_number)
    raise FormError(f"period: {kind!r} is not year, month or cumulative")


def claim_from_form(
    partner: object,
    measure: object,
    *,
    period: Period,
    value: object,
    unit: object,
    reporter: str = "AZE",
    basis: object = "turnover",
) -> Claim:
    """A claim from the form's fields; `value` is the text typed (its decimals give the rounding)."""
    if not isinstance(partner, str) or not partner:
        raise FormError("partner: choose a partner")
    if measure not in MEASURES:
        raise FormError(f"measure: {measure!r} is not one of {', '.join(MEASURES)}")
    written = str(value if value is not None else "").strip().replace(",", "")
    if not re.fullmatch(r"[\u2212\-]?\d+(?:\.\d+)?", written):
        raise FormError(f"value: {value!r} is not a number")
    number = written.lstrip("\u2212-")
    negative = written != number
    if measure == "rank":
        if unit != "rank" or "." in number or negative or int(number) < 1:
            raise FormError("value: a rank is a whole number from 1, with the unit 'rank'")
        return Claim("rank", float(number), 0.0, partner, period, f"#{number}", reporter, str(basis), 0)
    if measure == "share":
        if unit != "percent":
            raise FormError("unit: a share is stated in percent")
        return Claim(
            "share",
            float(number) / 100,
            _tolerance(number, 0.01),
            partner,
            period,
            f"{number}%",
            reporter,
            str(basis),
        )
    if unit not in UNIT_SCALES:
        raise FormError(f"unit: {unit!r} is not one of {', '.join(UNIT_SCALES)}")
    scale = UNIT_SCALES[str(unit)]
    amount = float(number) * scale * (-1 if negative else 1)
    if negative and measure != "balance":
        raise FormError(f"value: {measure} cannot be negative")
    return Claim(
        str(measure), amount, _tolerance(number, scale), partner, period, f"{written} {unit}", reporter
    )


# --- internal consistency -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """Claims of one text that cannot all be true, with the arithmetic."""

    claims: tuple[Claim, ...]
    message: str


def internal_findings(claims: Sequence[Claim]) -> list[Finding]:
    """What the stated figures say about each other, whatever the data says (see module docstring)."""
    findings: list[Finding] = []
    by_key: dict[tuple[object, ...], Claim] = {}
    for claim in claims:
        by_key.setdefault(claim.key, claim)

    def stated(measure: str, partner: str | None, period: Period | None) -> Claim | None:
        return by_key.get((measure, partner, period, "turnover"))

    for claim in claims:
        if claim.partner is None or claim.period is None:
            continue
        exports = stated("exports", claim.partner, claim.period)
        imports = stated("imports", claim.partner, claim.period)
        if claim.measure == "turnover" and exports and imports:
            total = exports.value + imports.value
            if abs(claim.value - total) > claim.tolerance + exports.tolerance + imports.tolerance:
                findings.append(
                    Finding(
                        (claim, exports, imports),
                        f"turnover {claim.text} \u2260 exports {exports.text} + imports {imports.text} "
                        f"= {money(total)}",
                    )
                )
        if claim.measure == "balance" and exports and imports:
            difference = exports.value - imports.value
            if abs(claim.value - difference) > claim.tolerance + exports.tolerance + imports.tolerance:
                findings.append(
                    Finding(
                        (claim, exports, imports),
                        f"balance {claim.text} \u2260 exports {exports.text} \u2212 imports {imports.text} "
                        f"= {money(difference)}",
                    )
                )
    findings.extend(_cumulative_findings(claims))
    findings.extend(_rank_findings(claims))
    findings.extend(_share_findings(claims))
    return findings


def _cumulative_findings(claims: Sequence[Claim]) -> list[Finding]:
    found = []
    money_claims = [
        c for c in claims if c.measure in NON_NEGATIVE and c.period is not None and c.period.is_cumulative
    ]
    for earlier in money_claims:
        for later in money_claims:
            if (
                earlier.measure == later.measure
                and earlier.partner == later.partner
                and earlier.period is not None
                and later.period is not None
                and earlier.period.first_year == later.period.first_year
                and earlier.period.last_month < later.period.last_month
                and earlier.value - earlier.tolerance > later.value + later.tolerance
            ):
                found.append(
                    Finding(
                        (earlier, later),
                        f"{earlier.measure} in {earlier.period.label} ({earlier.text}) is larger than in the "
                        f"longer period {later.period.label} ({later.text}); a cumulative figure cannot fall",
                    )
                )
    return found


def _rank_findings(claims: Sequence[Claim]) -> list[Finding]:
    """Ranks against the stated values of the ranked measure, and against stated shares of it."""
    found = []
    for rank_claim in (c for c in claims if c.measure == "rank" and c.partner and c.period):
        for measure in (rank_claim.basis, "share"):
            values = {
                str(c.partner): c
                for c in claims
                if c.measure == measure
                and c.period == rank_claim.period
                and c.partner not in (None, WORLD)
                and (measure != "share" or c.basis == rank_claim.basis)
            }
            found.extend(_rank_against(rank_claim, values, claims))
    return found


def _rank_against(rank_claim: Claim, values: Mapping[str, Claim], claims: Sequence[Claim]) -> list[Finding]:
    """A rank contradicted by stated figures (values or shares) of the partners, `values` keyed by partner."""
    found: list[Finding] = []
    own = values.get(rank_claim.partner) if rank_claim.partner else None
    if own is None:
        return found
    what = "shares" if own.measure == "share" else "figures"
    larger = [
        c
        for p, c in values.items()
        if p != rank_claim.partner and c.value - c.tolerance > own.value + own.tolerance
    ]
    if len(larger) >= int(rank_claim.value):
        others = ", ".join(f"{c.partner} {c.text}" for c in larger)
        found.append(
            Finding(
                (rank_claim, own, *larger),
                f"rank #{int(rank_claim.value)} by {rank_claim.basis} for {rank_claim.partner} ({own.text}) "
                f"contradicts larger stated {what}: {others}",
            )
        )
    for other in (c for c in claims if c.measure == "rank" and c is not rank_claim):
        theirs = values.get(other.partner) if other.partner else None
        if (
            theirs is not None
            and other.period == rank_claim.period
            and other.basis == rank_claim.basis
            and rank_claim.value < other.value
            and own.value + own.tolerance < theirs.value - theirs.tolerance
        ):
            found.append(
                Finding(
                    (rank_claim, other, own, theirs),
                    f"{rank_claim.partner} ranked above {other.partner} but with a smaller stated "
                    f"{'share' if what == 'shares' else rank_claim.basis} ({own.text} < {theirs.text})",
                )
            )
    return found


def _share_findings(claims: Sequence[Claim]) -> list[Finding]:
    """A share against the partner's and the total's stated values of the same measure and period."""
    found = []
    for share in (c for c in claims if c.measure == "share" and c.partner and c.period):
        lookup = {(c.measure, c.partner, c.period): c for c in claims if c.measure in MONEY_MEASURES}
        own = lookup.get((share.basis, share.partner, share.period))
        total = lookup.get((share.basis, WORLD, share.period))
        if own is None or total is None or total.value <= 0:
            continue
        low = (own.value - own.tolerance) / (total.value + total.tolerance)
        high = (own.value + own.tolerance) / max(total.value - total.tolerance, 1e-9)
        if share.value + share.tolerance < low or share.value - share.tolerance > high:
            found.append(
                Finding(
                    (share, own, total),
                    f"share {share.text} contradicts {own.text} of a total {total.text} "
                    f"(= {own.value / total.value * 100:.2f}%)",
                )
            )
    return found


# --- checks against the data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesValue:
    """One series' value for a claim: who reports it (label), source, release, value and its origin."""

    label: str
    source: str
    attribution: str
    release: str
    value: float | None
    period: Period
    origin: str = ""
    measure: str = (
        ""  # what the value is: exports, imports, turnover, balance, share of turnover, rank by ...
    )

    @property
    def citation(self) -> str:
        name = self.attribution.removeprefix("Source: ") if self.attribution else self.source
        return f"{name} [{self.source}], release {self.release}"


@dataclass(frozen=True)
class Verdict:
    """The verdict on one claim: the word, the data compared (None when there is none), the other series, and
    what was found (the gap, the bound broken with its arithmetic, or what is missing)."""

    claim: Claim
    word: str
    data: SeriesValue | None
    explanation: str
    alternatives: tuple[SeriesValue, ...] = ()
    data_word: str | None = None  # the verdict against the data when the text contradicts itself
    findings: tuple[str, ...] = field(default=())


class DataIndex:
    """Fast lookups over `flow_rows` rows: the reporter's rows (every source, every period) and the mirror."""

    def __init__(self, rows: pd.DataFrame, *, reporter: str) -> None:
        self.reporter = reporter
        self.names: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self._values: dict[tuple[str, str, str, str, Period], tuple[float, str, str, str]] = {}
        self._periods: dict[str, set[Period]] = {}
        if rows.empty:
            return
        for row in rows.itertuples(index=False):
            period = Period(str(row.period_start), str(row.period_end))
            key = (str(row.source), str(row.reporter), str(row.partner), str(row.flow), period)
            origin = row.origin if isinstance(row.origin, str) else ""
            attribution = getattr(row, "attribution", "") or ""
            self._values[key] = (float(str(row.value_usd)), str(row.release), origin, str(attribution))
            if row.reporter == reporter:
                self._periods.setdefault(str(row.source), set()).add(period)
                self.names.setdefault(str(row.partner), str(getattr(row, "partner_name", row.partner)))
                self.kinds.setdefault(str(row.partner), str(getattr(row, "partner_kind", "country")))

    def sources(self) -> list[str]:
        order = {s: i for i, s in enumerate(SOURCE_ORDER)}
        return sorted(self._periods, key=lambda s: (order.get(s, len(order)), s))

    def periods(self, source: str) -> set[Period]:
        return self._periods.get(source, set())

    def name(self, code: str | None) -> str:
        if code is None:
            return "?"
        if code == WORLD:
            return "all partners"
        return self.names.get(code) or country_name(code)

    def flow(
        self, source: str, partner: str, flow: str, period: Period, *, reporter: str | None = None
    ) -> SeriesValue | None:
        who = reporter or self.reporter
        found = self._values.get((source, who, partner, flow, period))
        if found is None:
            return None
        value, release, origin, attribution = found
        label = f"{self.name(who) if who != self.reporter else 'reporter'}"
        return SeriesValue(label, source, attribution, release, value, period, origin)

    def measure(self, source: str, partner: str, measure: str, period: Period) -> SeriesValue | None:
        """The reporter's exports, imports, turnover or balance with `partner` in one source and period."""
        if measure in ("exports", "imports"):
            found = self.flow(source, partner, measure[:-1], period)
            return replace(found, measure=measure) if found is not None else None
        exports = self.flow(source, partner, "export", period)
        imports = self.flow(source, partner, "import", period)
        if exports is None or imports is None or exports.value is None or imports.value is None:
            return None
        value = exports.value + imports.value if measure == "turnover" else exports.value - imports.value
        return replace(
            exports,
            value=value,
            origin=f"{exports.origin} {'+' if measure == 'turnover' else MINUS} {imports.origin}",
            measure=measure,
        )

    def share(self, source: str, partner: str, basis: str, period: Period) -> SeriesValue | None:
        own = self.measure(source, partner, basis, period)
        total = self.measure(source, WORLD, basis, period)
        if own is None or total is None or not total.value or own.value is None:
            return None
        return replace(
            own,
            value=own.value / total.value,
            origin=f"({own.origin}) / (World)",
            measure=f"share of {basis}",
        )

    def rank(self, source: str, partner: str, basis: str, period: Period) -> tuple[SeriesValue, int] | None:
        """(the partner's rank, how many partner countries were ranked); needs the reporter's World row."""
        if self.measure(source, WORLD, basis, period) is None:
            return None
        values: dict[str, float] = {}
        for code, kind in self.kinds.items():
            if kind not in RANKED_KINDS or code == self.reporter:
                continue
            found = self.measure(source, code, basis, period)
            if found is not None and found.value is not None:
                values[code] = found.value
        if partner not in values:
            return None
        rank = 1 + sum(1 for v in values.values() if v > values[partner])
        own = self.measure(source, partner, basis, period)
        assert own is not None
        return replace(own, value=float(rank), origin="", measure=f"rank by {basis}"), len(values)

    def value(self, source: str, claim: Claim, period: Period) -> SeriesValue | None:
        assert claim.partner is not None and claim.measure is not None
        if claim.measure in MONEY_MEASURES:
            return self.measure(source, claim.partner, claim.measure, period)
        if claim.measure == "share":
            return self.share(source, claim.partner, claim.basis, period)
        if claim.measure == "rank":
            ranked = self.rank(source, claim.partner, claim.basis, period)
            return ranked[0] if ranked else None
        return None

    def mirror_sources(self, partner: str) -> list[str]:
        """The sources holding `partner`'s own report of its trade with the reporter."""
        return sorted({k[0] for k in self._values if k[1] == partner and k[2] == self.reporter})

    def mirror(self, claim: Claim, period: Period) -> list[SeriesValue]:
        """The partner's own report of the same flows (its imports for the reporter's exports, etc.)."""
        if claim.partner in (None, WORLD) or claim.measure not in ("exports", "imports", "turnover"):
            return []
        partner = str(claim.partner)
        found = []
        for source in self.mirror_sources(partner):
            theirs_imports = self.flow(source, self.reporter, "import", period, reporter=partner)
            theirs_exports = self.flow(source, self.reporter, "export", period, reporter=partner)
            value: SeriesValue | None
            if claim.measure == "exports":
                value = theirs_imports
            elif claim.measure == "imports":
                value = theirs_exports
            else:
                value = (
                    replace(theirs_imports, value=(theirs_imports.value or 0) + (theirs_exports.value or 0))
                    if theirs_imports and theirs_exports
                    else None
                )
            if value is not None:
                what = {"exports": "imports from", "imports": "exports to", "turnover": "turnover with"}[
                    claim.measure
                ]
                found.append(
                    replace(
                        value,
                        label=f"{self.name(partner)}'s report (mirror)",
                        measure=f"{what} {self.name(self.reporter)}",
                    )
                )
        return found


def _show(claim: Claim, value: float | None) -> str:
    """A data value in the claim's unit."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\u2014"
    if claim.measure == "share":
        decimals = max(_decimals_of_tolerance(claim.tolerance * 100), 1)
        return f"{value * 100:.{decimals}f}%"
    if claim.measure == "rank":
        return f"#{int(value)}"
    return money(value)


def _decimals_of_tolerance(tolerance: float) -> int:
    return max(0, round(-math.log10(tolerance * 2))) if tolerance > 0 else 0


def _within(claim: Claim, value: float) -> bool:
    if claim.measure == "rank":
        return round(value) == round(claim.value)
    return abs(claim.value - value) <= claim.tolerance * (1 + 1e-9) + 1e-6


def _describe(claim: Claim, index: DataIndex) -> str:
    """`turnover with Italy, January–July 2020`."""
    partner = index.name(claim.partner) if claim.partner else "an unnamed partner"
    measure = claim.measure or "an unnamed measure"
    if claim.measure == "share":
        measure = f"share of {claim.basis}"
    if claim.measure == "rank":
        measure = f"rank by {claim.basis}"
    preposition = {"exports": "to", "imports": "from"}.get(claim.measure or "", "with")
    where = "in total" if claim.partner == WORLD else f"{preposition} {partner}"
    period = claim.period.label if claim.period else "no period"
    if claim.reported_by is not None:
        towards = "from" if claim.measure == "imports" else "to"
        return f"{partner}'s {measure} {towards} {index.name(claim.reporter)} as {partner} reports them, {period}"
    return f"{measure} {where}, {period}"


def check_claims(claims: Sequence[Claim], rows: pd.DataFrame, *, reporter: str = "AZE") -> list[Verdict]:
    """A verdict for each claim (in order) against `rows` (the reporter's `flow_rows` with every partner and
    the partners' rows about the reporter), then the text's own contradictions applied (see module docstring).
    """
    index = rows if isinstance(rows, DataIndex) else DataIndex(rows, reporter=reporter)
    verdicts = [_check_one(claim, index, claims) for claim in claims]
    findings = internal_findings(claims)
    result = []
    for claim, verdict in zip(claims, verdicts, strict=True):
        messages = tuple(f.message for f in findings if any(c is claim for c in f.claims))
        if messages:
            verdict = replace(
                verdict,
                word=INTERNALLY_INCONSISTENT,
                data_word=verdict.word,
                findings=messages,
                explanation="; ".join(messages)
                + (
                    f". Against the data: {verdict.word}"
                    + (f" ({verdict.explanation})" if verdict.explanation else "")
                ),
            )
        result.append(verdict)
    return result


def _check_one(claim: Claim, index: DataIndex, claims: Sequence[Claim]) -> Verdict:
    if claim.currency != "USD":
        return Verdict(claim, NOT_CHECKABLE, None, f"stated in {claim.currency}; the data are in US dollars")
    if claim.measure is None:
        return Verdict(claim, NOT_CHECKABLE, None, "the text does not say what this figure measures")
    if claim.measure == "change":
        return Verdict(claim, NOT_CHECKABLE, None, "growth rates are not checked")
    if claim.partner is None:
        return Verdict(claim, NOT_CHECKABLE, None, "no partner is named")
    if claim.period is None:
        return Verdict(claim, NOT_CHECKABLE, None, "no period is stated")
    if claim.partner != WORLD and claim.partner not in index.names:
        return Verdict(
            claim,
            NOT_CHECKABLE,
            None,
            f"the data hold no figures for {index.name(claim.partner)} in {claim.period.label}",
        )
    period = claim.period
    if claim.reported_by is not None:
        return _partner_report_verdict(claim, index)
    exact = [v for s in index.sources() if (v := index.value(s, claim, period)) is not None]
    mirror = index.mirror(claim, period)
    if exact:
        matching = [v for v in exact if v.value is not None and _within(claim, v.value)]
        primary = matching[0] if matching else exact[0]
        others = tuple(v for v in exact if v is not primary) + tuple(mirror)
        if matching:
            return Verdict(claim, CONSISTENT, primary, _consistent_text(claim, primary), others)
        assert primary.value is not None
        return Verdict(claim, INCONSISTENT, primary, _gap_text(claim, primary), others)
    return _bounds_verdict(claim, index, claims, mirror)


def _partner_report_verdict(claim: Claim, index: DataIndex) -> Verdict:
    """A claim about the partner's own report: checked against its series, the reporter's own shown beside."""
    assert claim.period is not None and claim.measure in ("exports", "imports") and claim.reported_by
    partner = claim.reported_by
    flow = claim.measure[:-1]
    theirs = [
        replace(
            v,
            label=f"{index.name(partner)}'s report",
            measure=f"{claim.measure} {'from' if flow == 'import' else 'to'} {index.name(index.reporter)}",
        )
        for s in index.mirror_sources(partner)
        if (v := index.flow(s, index.reporter, flow, claim.period, reporter=partner)) is not None
    ]
    # The reporter's own figure of the same flow: its exports for the partner's imports, and the reverse.
    own_measure = "exports" if claim.measure == "imports" else "imports"
    towards = "to" if own_measure == "exports" else "from"
    own = [
        replace(
            v,
            label=f"{index.name(index.reporter)}'s report (mirror)",
            measure=f"{own_measure} {towards} {index.name(partner)}",
        )
        for s in index.sources()
        if (v := index.measure(s, partner, own_measure, claim.period)) is not None
    ]
    if not theirs:
        return Verdict(
            claim,
            NOT_CHECKABLE,
            None,
            f"{index.name(partner)}'s own report of its {claim.measure} in {claim.period.label} is not in the data",
            tuple(own),
        )
    matching = [v for v in theirs if v.value is not None and _within(claim, v.value)]
    primary = matching[0] if matching else theirs[0]
    others = tuple(v for v in theirs if v is not primary) + tuple(own)
    if matching:
        return Verdict(claim, CONSISTENT, primary, _consistent_text(claim, primary), others)
    return Verdict(claim, INCONSISTENT, primary, _gap_text(claim, primary), others)


def _consistent_text(claim: Claim, data: SeriesValue) -> str:
    if claim.measure == "rank":
        return f"the data give #{int(data.value or 0)}"
    return f"the data give {_show(claim, data.value)}, within the rounding of {claim.text}"


def _gap_text(claim: Claim, data: SeriesValue) -> str:
    assert data.value is not None
    if claim.measure == "rank":
        return f"the data give #{int(data.value)}, not #{int(claim.value)}"
    gap = claim.value - data.value
    if claim.measure == "share":
        return f"the data give {_show(claim, data.value)}; the claim is {gap * 100:+.2f} percentage points off".replace(
            "-", MINUS
        )
    relative = f", {gap / data.value * 100:+.1f}%".replace("-", MINUS) if data.value else ""
    sign = "+" if gap > 0 else MINUS
    return f"the data give {money(data.value)}; the claim is {sign}{money(abs(gap))} off{relative}"


def _bounds(
    index: DataIndex, partner: str, measure: str, period: Period
) -> tuple[list[SeriesValue], list[SeriesValue]]:
    """(upper bounds: periods containing `period`; lower bounds: periods inside it) of a non-negative measure."""
    upper: list[SeriesValue] = []
    lower: list[SeriesValue] = []
    for source in index.sources():
        for other in index.periods(source):
            if (
                other == period
                or other.first_year != period.first_year
                or other.last_year != period.last_year
            ):
                continue
            if other.contains(period):
                target = upper
            elif period.contains(other):
                target = lower
            else:
                continue
            found = index.measure(source, partner, measure, other)
            if found is not None and found.value is not None:
                target.append(found)
    return sorted(upper, key=lambda v: v.value or 0), sorted(lower, key=lambda v: -(v.value or 0))


def _in_whole(period: Period) -> str:
    return f"in {period.phrase}"


def _bounds_verdict(
    claim: Claim, index: DataIndex, claims: Sequence[Claim], mirror: Sequence[SeriesValue]
) -> Verdict:
    assert claim.period is not None and claim.partner is not None and claim.measure is not None
    period = claim.period
    partner_name = index.name(claim.partner)
    missing = f"{period.label} is not in the data for {partner_name}"
    available = sorted(
        {p for s in index.sources() for p in index.periods(s) if p.first_year == period.first_year}
    )
    if claim.measure in NON_NEGATIVE:
        upper, lower = _bounds(index, claim.partner, claim.measure, period)
        if upper and upper[0].value is not None and claim.value - claim.tolerance > upper[0].value:
            bound = upper[0]
            return Verdict(
                claim,
                IMPLAUSIBLE,
                bound,
                f"{claim.measure} of {claim.text} in {period.label} cannot exceed {claim.measure} "
                f"{_with(claim.partner, partner_name)} {_in_whole(bound.period)}, {money(bound.value)}",
                tuple(upper[1:]) + tuple(mirror),
            )
        if lower and lower[0].value is not None and claim.value + claim.tolerance < lower[0].value:
            bound = lower[0]
            return Verdict(
                claim,
                IMPLAUSIBLE,
                bound,
                f"{claim.measure} of {claim.text} in {period.label} cannot be less than in {bound.period.label} "
                f"alone, {money(bound.value)}",
                tuple(lower[1:]) + tuple(mirror),
            )
        implied = _implied_verdict(claim, index, claims, mirror)
        if implied is not None:
            return implied
        if upper:
            bound = upper[0]
            return Verdict(
                claim,
                NOT_CHECKABLE,
                bound,
                f"{missing}; within the bound: {claim.measure} {_in_whole(bound.period)} "
                f"{'were' if claim.measure.endswith('s') else 'was'} {money(bound.value)}",
                tuple(upper[1:]) + tuple(mirror),
            )
    reference = None
    if claim.measure in ("share", "rank"):
        for source in index.sources():
            for other in sorted(index.periods(source), key=lambda p: (not p.is_year, p)):
                if other.first_year == period.first_year and other.contains(period):
                    found = index.value(source, claim, other)
                    if found is not None:
                        reference = found
                        break
            if reference is not None:
                break
    if reference is not None:
        return Verdict(
            claim,
            NOT_CHECKABLE,
            reference,
            f"{missing}; for reference, {_in_whole(reference.period)} the data give {_show(claim, reference.value)}",
            tuple(mirror),
        )
    if period in available:
        reported = sorted(
            {
                flow
                for s in index.sources()
                for flow in ("exports", "imports")
                if index.measure(s, claim.partner, flow, period) is not None
            }
        )
        what = f"only {' and '.join(reported)} reported" if reported else "nothing reported"
        return Verdict(
            claim,
            NOT_CHECKABLE,
            None,
            f"the data hold no {claim.measure} {_with(claim.partner, partner_name)} in {period.label} ({what})",
            tuple(mirror),
        )
    if available:
        return Verdict(
            claim,
            NOT_CHECKABLE,
            None,
            f"{missing} (for {period.first_year} the data hold {', '.join(p.label for p in available[:4])})",
            tuple(mirror),
        )
    return Verdict(claim, NOT_CHECKABLE, None, f"no data for {period.first_year}: {missing}", tuple(mirror))


def _with(partner: str, name: str) -> str:
    return "in total" if partner == WORLD else f"with {name}"


def _implied_verdict(
    claim: Claim, index: DataIndex, claims: Sequence[Claim], mirror: Sequence[SeriesValue]
) -> Verdict | None:
    """Turnover and one flow stated for the same partner and period imply the other flow; check its bound."""
    if claim.measure != "turnover":
        return None
    assert claim.period is not None and claim.partner is not None
    for stated_flow, implied_flow in (("exports", "imports"), ("imports", "exports")):
        other = next(
            (
                c
                for c in claims
                if c.measure == stated_flow and c.partner == claim.partner and c.period == claim.period
            ),
            None,
        )
        if other is None:
            continue
        implied = claim.value - other.value
        slack = claim.tolerance + other.tolerance
        partner_name = index.name(claim.partner)
        upper, _ = _bounds(index, claim.partner, implied_flow, claim.period)
        arithmetic = (
            f"turnover {money(claim.value)} with {stated_flow} {money(other.value)} implies {implied_flow} of "
            f"{money(implied)} in {claim.period.label}"
        )
        if implied + slack < 0:
            return Verdict(claim, IMPLAUSIBLE, None, f"{arithmetic}, which cannot be negative", tuple(mirror))
        exact = [
            v for s in index.sources() if (v := index.measure(s, claim.partner, implied_flow, claim.period))
        ]
        bound = exact[0] if exact else (upper[0] if upper else None)
        if bound is not None and bound.value is not None and implied - slack > bound.value:
            when = (
                claim.period.label
                if bound.period == claim.period
                else f"the whole of {bound.period.label}"
                if bound.period.is_year
                else bound.period.label
            )
            preposition = "from" if implied_flow == "imports" else "to"
            return Verdict(
                claim,
                IMPLAUSIBLE,
                bound,
                f"{arithmetic}, but {implied_flow} {preposition} {partner_name} in {when} were {money(bound.value)}",
                tuple(mirror),
            )
    return None


def country_name(code: str) -> str:
    """pycountry's common name (else its name) of an ISO alpha-3 code; the code itself when unknown."""
    import pycountry

    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


# --- reading the data and one-line reports -------------------------------------------------------------------------


def claim_rows(queries: TradeQueries, reporter: str, claims: Sequence[Claim] | None = None) -> pd.DataFrame:
    """Every row a check may need: the reporter's (all partners, sources, periods) and the partners' mirror rows.

    With `claims`, only the calendar years their periods span are read (a check never looks beyond the
    claimed year: bounds come from periods of the same year), which keeps a check well under a second.
    """
    years = [y for c in claims or () if c.period for y in (c.period.first_year, c.period.last_year)]
    start = f"{min(years):04d}-01" if years else None
    end = f"{max(years):04d}-12" if years else None
    if claims is not None and not years:
        start, end = "9999-01", "0000-12"  # no claim has a period: nothing to read
    return pd.concat(
        [
            queries.flow_rows(reporter, None, period_start=start, period_end=end),
            queries.flow_rows(None, reporter, period_start=start, period_end=end),
        ],
        ignore_index=True,
    )


def names_for(queries: TradeQueries, reporter: str) -> dict[str, str]:
    """Name -> code for `extract_claims`, from the store's areas of the reporter's partners and pycountry."""
    reporter_area = queries.area(reporter)
    partners = [(a.code, a.name) for a in queries.partner_options(reporter)]
    return default_names(
        partners, reporter=reporter, reporter_name=reporter_area.name if reporter_area else None
    )


def check_text(queries: TradeQueries, text: str, *, reporter: str = "AZE") -> list[Verdict]:
    """Extract the claims of `text` and check them against the store."""
    claims = extract_claims(text, names=names_for(queries, reporter), reporter=reporter)
    return check_claims(claims, claim_rows(queries, reporter, claims), reporter=reporter)


def describe(claim: Claim, names: Mapping[str, str] | None = None) -> str:
    """`turnover with Italy, January–July 2020` (names: code -> display name)."""
    index = DataIndex(pd.DataFrame(), reporter=claim.reporter)
    index.names.update(names or {})
    return _describe(claim, index)


def _series_label(series: SeriesValue) -> str:
    """`Italy's report (mirror)` for the partner's series; the source's own series by its source name."""
    return series.label if series.label != "reporter" else f"{series.source} series"


def verdict_line(verdict: Verdict, names: Mapping[str, str] | None = None) -> str:
    """One line: the claim, the verdict word, the data's value and source, and why."""
    claim = verdict.claim
    parts = [f"{claim.text!s} ({describe(claim, names)})", verdict.word.upper()]
    if verdict.data is not None:
        parts.append(
            f"data: {verdict.data.measure} {_show(claim, verdict.data.value)} in {verdict.data.period.label}, "
            f"{verdict.data.citation}".replace("data:  ", "data: ")
        )
    else:
        parts.append("data: none")
    if verdict.explanation:
        parts.append(verdict.explanation)
    if verdict.alternatives:
        parts.append(
            "also: "
            + "; ".join(
                f"{_series_label(a)}: {a.measure} {_show(claim, a.value)} ({a.period.label}, {a.citation})"
                for a in verdict.alternatives
            )
        )
    return " \u2014 ".join(parts)


def verdict_frame(verdicts: Sequence[Verdict], names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The verdicts as a table (for the page and for exports): claim, what, verdict, data value, data period,
    source, release, origin, explanation, other series."""
    return pd.DataFrame(
        [
            {
                "claim": v.claim.text,
                "what": describe(v.claim, names),
                "verdict": v.word,
                "data": f"{v.data.measure} {_show(v.claim, v.data.value)}".strip() if v.data else "\u2014",
                "data_period": v.data.period.label if v.data else "",
                "source": v.data.citation if v.data else "",
                "origin": v.data.origin if v.data else "",
                "explanation": v.explanation,
                "other_series": "; ".join(
                    f"{_series_label(a)}: {a.measure} {_show(v.claim, a.value)} ({a.period.label}, {a.citation})"
                    for a in v.alternatives
                ),
            }
            for v in verdicts
        ],
        columns=[
            "claim",
            "what",
            "verdict",
            "data",
            "data_period",
            "source",
            "origin",
            "explanation",
            "other_series",
        ],
    )


# --- for the page: claims as JSON-safe records ---------------------------------------------------------------


def claim_record(claim: Claim) -> dict[str, object]:
    """A claim as plain JSON values (for a dcc.Store); `claim_from_record` reads it back."""
    return {
        "measure": claim.measure,
        "value": claim.value,
        "tolerance": claim.tolerance,
        "partner": claim.partner,
        "period": [claim.period.start, claim.period.end] if claim.period else None,
        "text": claim.text,
        "reporter": claim.reporter,
        "basis": claim.basis,
        "position": claim.position,
        "currency": claim.currency,
        "reported_by": claim.reported_by,
    }


def claim_from_record(record: Mapping[str, object]) -> Claim | None:
    """The claim a `claim_record` describes; None for anything malformed (a browser may send anything)."""
    try:
        period_value = record.get("period")
        period = None
        if isinstance(period_value, list) and len(period_value) == 2:
            start, end = (str(p) for p in period_value)
            if not (re.fullmatch(r"\d{4}-\d{2}", start) and re.fullmatch(r"\d{4}-\d{2}", end)):
                return None
            period = Period(start, end)
        measure = record.get("measure")
        if measure is not None and measure not in (*MEASURES, "change"):
            return None
        basis = str(record.get("basis") or "turnover")
        if basis not in MONEY_MEASURES:
            return None
        partner = record.get("partner")
        return Claim(
            measure=None if measure is None else str(measure),
            value=float(record["value"]),  # type: ignore[arg-type]
            tolerance=float(record["tolerance"]),  # type: ignore[arg-type]
            partner=None if partner is None else str(partner),
            period=period,
            text=str(record.get("text", "")),
            reporter=str(record.get("reporter", "AZE")),
            basis=basis,
            position=int(record.get("position", 0)),  # type: ignore[call-overload]
            currency=str(record.get("currency", "USD")),
            reported_by=None if record.get("reported_by") is None else str(record.get("reported_by")),
        )
    except (KeyError, TypeError, ValueError):
        return None


def verdict_records(
    verdicts: Sequence[Verdict], names: Mapping[str, str] | None = None
) -> list[dict[str, str]]:
    """`verdict_frame` as plain records (column -> text), for the page."""
    frame = verdict_frame(verdicts, names)
    return [{str(k): str(v) for k, v in row.items()} for row in frame.to_dict("records")]
