"""The words and number shapes the text reader matches (regular expressions only, never evaluated)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, NamedTuple

# A number starts where no digit, point or comma precedes it: without this guard a long run of digits is
# retried from every position (quadratic time on pasted text).
_NUMBER = r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
SCALE_WORDS: Final = {
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
MONEY = re.compile(
    rf"(?P<pre>(?:US\s?\$|\$|USD|US dollars?)\s?)?(?P<num>{_NUMBER})(?:\s?(?P<scale>{_SCALE})\b)?"
    r"(?P<post>\s*(?:US dollars?|dollars?|USD|US\$))?",
    re.IGNORECASE,
)
PERCENT = re.compile(rf"(?P<num>{_NUMBER})\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DASH = r"\s*(?:[\u2013\u2014\-]|to|through|till|until)\s*"
_YEAR = r"(?:19|20)\d{2}"
_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                  "eleventh", "twelfth")  # fmt: skip
ORDINALS: Final = {word: n for n, word in enumerate(_ORDINAL_WORDS, start=1)}
COUNTS: Final = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
}  # fmt: skip
PERIODS: Final = (
    # "between January and July 2020" (before the plain range, which would read "July 2020" alone).
    (
        "range",
        re.compile(
            rf"between\s+(?P<m1>{_MONTH})\s+and\s+(?P<m2>{_MONTH}),?\s+(?:of\s+)?(?P<y>{_YEAR})", re.I
        ),
    ),
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
    # "in 7 months of 2020", "in the seven months of 2020": January to the seventh month, not the year.
    (
        "first_months",
        re.compile(rf"\b(?P<n>\d{{1,2}}|{'|'.join(COUNTS)})\s+months\s+of\s+(?P<y>{_YEAR})", re.I),
    ),
    ("month", re.compile(rf"(?P<m1>{_MONTH})\s+(?:of\s+)?(?P<y>{_YEAR})", re.I)),
    ("year", re.compile(rf"(?<![\d.,$])(?P<y>{_YEAR})(?!\d|[.,]\d|\s?(?:{_SCALE})\b)", re.I)),
)
# What a figure measures, by the words before it (the nearest wins).
MEASURE_WORDS: Final = (
    (
        "turnover",
        re.compile(
            r"\b(?:turnover|total trade|trade volume|volume of trade|bilateral trade|(?<!balance of )trade|"
            r"trading partner)\b",
            re.I,
        ),
    ),
    ("exports", re.compile(r"\bexport(?:s|ed)?\b|\bsales to\b", re.I)),
    ("imports", re.compile(r"\bimport(?:s|ed)?\b|\bpurchases from\b", re.I)),
    ("balance", re.compile(r"\b(?:balance|surplus|deficit)\b", re.I)),
)
# "$0.5 billion of exports": a measure named right after the figure wins over one before it.
MEASURE_AFTER = re.compile(
    r"\s*(?:worth\s+)?(?:of|in)\s+(?:\w+\s+)?(exports?|imports?|turnover|trade)\b", re.I
)
# A flow given only by a verb ("Georgia bought Azerbaijani goods worth …"): its direction depends on who
# the subject is (see text._verb_measure).
SELL_VERB = re.compile(r"\b(?:sold|sells?|shipped|ships?|supplied|supplies|delivered|delivers?)\b", re.I)
BUY_VERB = re.compile(r"\b(?:bought|buys?|purchased|purchases?|received|receives?)\b", re.I)
TRADE_VERB = re.compile(r"\b(?:traded|trades)\b", re.I)
DEFICIT = re.compile(r"\b(?:deficit|negative balance)\b", re.I)
CHANGE = re.compile(
    r"\b(?:increas\w*|decreas\w*|grew|grow\w*|rose|rise|fell|fall\w*|declin\w*|up|down|higher|lower|more|less|"
    r"compared|growth|jump\w*|drop\w*)\b[^.;%]*$",
    re.I,
)
SHARE_WORDS = re.compile(r"\b(?:share|accounted for|accounting for|account for|of (?:the )?total)\b", re.I)
TOTAL_WORDS = re.compile(
    r"\b(?:total|totall?ed|totall?ing|in total|overall|foreign trade|all (?:partners|countries))\b", re.I
)
RANK_PHRASE = re.compile(
    r"\b(?:(?P<ord>second|third|fourth|fifth|2nd|3rd|4th|5th)[\s-]+(?:largest|biggest|main|leading)|"
    r"(?P<top>main|largest|biggest|top|leading|first|number one|No\.? ?1))\s+"
    r"(?P<what>trading partner|trade partner|partner|export (?:market|destination|partner)|buyer|"
    r"importer|supplier|source of imports|import partner)\b",
    re.I,
)
# "Italy ranked first among Azerbaijan's trading partners", "Türkiye came second by exports".
RANKED_PHRASE = re.compile(
    r"\b(?:ranked|ranks|ranking|came|comes|placed|was|is)\s+(?:in\s+)?(?:the\s+)?"
    r"(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|1st|2nd|3rd|[4-9]th|10th)"
    r"(?=\s+(?:among|by|in|place|on)\b)(?P<tail>[^.;]{0,80})",
    re.I,
)
# Figures in another currency are found (and reported as not checkable), never taken for dollars.
_CURRENCY_CODES = "AZN|EUR|RUB|TRY|GBP|CNY|JPY"
OTHER_CURRENCY_AFTER = re.compile(
    rf"\s*(?P<c>manats?|euros?|roubles?|rubles?|lira|liras|pounds?|yuan|yen|{_CURRENCY_CODES})\b", re.I
)
OTHER_CURRENCY_BEFORE = re.compile(rf"(?P<c>₼|€|£|¥|₽|{_CURRENCY_CODES})\s?$")
# Words before a figure that make it a bound rather than a value ("more than $2 billion").
BOUND_BEFORE = re.compile(
    r"(?:\b(?P<least>more than|over|above|exceed(?:ed|ing|s)?|in excess of|at least|upwards of)"
    r"|\b(?P<most>less than|under|below|at most|up to|nearly|almost|just under)"
    r"|(?:\b(?P<about>about|around|approximately|roughly|some|circa|close to)|(?P<tilde>~)))\s*$",
    re.I,
)
# "up from $4.2 billion", "compared with $4.2 billion": a base of comparison, whose period the text rarely
# states ("a year earlier"); read as the sentence's period it would contradict the figure it is compared with.
BASE_BEFORE = re.compile(r"\b(?P<base>from|compared (?:with|to)|against|versus|vs\.?|relative to)\s*$", re.I)
# A figure with a minus sign right before it ("−$4.57 billion").
MINUS_BEFORE = re.compile(r"[\u2212\-\u2013]\s*$")
# "exports to Itlay", "trade with the European Union": a capitalised name after a preposition; when the names
# of data/reference do not know it, the figure's partner is unclear (never the World total instead).
NAMED_AFTER_PREPOSITION = re.compile(
    r"\b(?:to|with|from|between|and)\s+(?:the\s+)?(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)"
)
NOT_PARTNER_WORDS = re.compile(rf"^(?:{_MONTH}|US|USD|US\$|{_CURRENCY_CODES}|Q[1-4]|H[12])$", re.I)
QUANTITY_NOUNS = re.compile(
    r"\s*(?:tonnes|tons|barrels|cubic|m3|people|units|cars|litres|liters|hectares|km|kilometres|years|months)\b",
    re.I,
)
COMPARISON_BASE = re.compile(
    r"\b(?:on|over|from|than|since|against|versus|vs\.?|compared (?:with|to))\s+(?:the\s+)?"
    r"(?:same period (?:of|in)\s+)?$",
    re.I,
)
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“])|\n\s*\n")


class Mention(NamedTuple):  # where a sentence names something (start..end) and what it names
    start: int
    end: int
    value: object


@dataclass(frozen=True)
class Figure:
    """A figure found in a sentence: kind 'money' | 'percent' | 'rank', the digits, their scale, the text."""

    start: int
    end: int
    kind: str
    number: str
    scale: float
    written: str
    basis: str = "turnover"
    currency: str = "USD"
