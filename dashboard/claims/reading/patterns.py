"""What the reader finds in a sentence (mentions, figures) and the shapes common to every language.

The words of each language are in data/reference/claim_words/<language>.toml (see lexicon.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

# A figure with a minus sign right before it ("−$4.57 billion").
MINUS_BEFORE = re.compile(r"[\u2212\-\u2013]\s*$")
# A sentence ends at . ! ? before a capital (in any of the four scripts) or a quote; or at a blank line.
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"'“«A-ZÀ-ÖØ-ÞА-ЯЁƏİÖÜĞŞÇ])|\n\s*\n")


class Mention(NamedTuple):  # where a sentence names something (start..end) and what it names
    start: int
    end: int
    value: object


@dataclass(frozen=True)
class UnclearPeriod:
    """A period the text names without saying which months ("since the start of the year")."""

    written: str


@dataclass(frozen=True)
class Figure:
    """A figure found in a sentence: kind 'money' | 'percent' | 'rank', the digits (a point for decimals),
    their scale, the text."""

    start: int
    end: int
    kind: str
    number: str
    scale: float
    written: str
    basis: str = "turnover"
    currency: str = "USD"
