"""What the query package answers with: plain values and frames, no database.

Components, narrative, exports and the claim checker import these types without importing the DuckDB reader
(`dashboard.queries.reader`). Units: US dollars, full units; shares are ratios 0..1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pandas as pd

MEASURES: Final = ("turnover", "exports", "imports")
# The money columns of a period table: the reporter's two flows and what is derived from them.
MEASURE_COLUMNS: Final = ("exports", "imports", "turnover", "balance")
# Partners that are ranked and hold shares: countries and former economies, never groups or residual rows.
RANKED_KINDS: Final = ("country", "historical")
KIND_ORDER: Final = ("country", "historical", "group", "unspecified")
TOTAL_WORLD: Final = "world"
ESTIMATED: Final = "estimated"
FREQUENCIES: Final = ("annual", "monthly", "cumulative")


@dataclass(frozen=True)
class Area:
    """A reporter or partner: code (ISO alpha-3 or group code), display name and kind."""

    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class YearOnYear:
    """One measure in a year beside the year before, in US dollars; None where not reported."""

    value: float | None
    previous: float | None
    change: float | None
    change_pct: float | None
    estimated: bool = False
    origin: str | None = None  # file!sheet!cell of the stored figure (None for derived measures)


@dataclass(frozen=True)
class Kpis:
    """The headline numbers for one reporter, partner and year (US dollars, shares as ratios 0..1)."""

    reporter: Area
    partner: Area
    year: int
    exports: YearOnYear
    imports: YearOnYear
    turnover: YearOnYear
    balance: YearOnYear
    partial: bool
    rank: int | None
    partners_ranked: int
    share: float | None
    total_turnover: float | None
    total_basis: str | None
    period_label: str | None = None  # `Jan–Jul 2020`; None: the calendar year `year`
    previous_label: str | None = None
    derived: bool = False  # a figure computed from other periods or from a group's members
    source: str | None = None

    @property
    def has_data(self) -> bool:
        return self.turnover.value is not None


@dataclass(frozen=True)
class PartnerRanking:
    """A reporter's partners ranked by one measure in one year.

    `frame` columns: partner (code, categorical), name, kind, exports, imports, turnover, balance, value
    (the ranked measure, US dollars), rank (Int64), share (ratio of `total_usd`), partial, estimated;
    ordered by rank. `total_usd` is the reporter's World total for the measure; `total_basis` is
    TOTAL_WORLD when that is known, else None and nothing is ranked; `partners_ranked` counts ranked partners.
    """

    frame: pd.DataFrame
    reporter: str
    year: int | None
    measure: str
    total_usd: float | None
    total_basis: str | None
    partners_ranked: int
    period: str | None = None
    label: str | None = None
    frequency: str = "annual"
    source: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Standing:
    """A partner's place for one measure in one period: value (US dollars), rank, share of the World total."""

    value: float
    rank: int | None
    share: float | None
    partners_ranked: int


@dataclass(frozen=True)
class PeriodTable:
    """A `period_table` answer: the frame, the frequency and source it is in, warnings met while deriving
    periods, and the group codes that were summed from members (the source has no row for them)."""

    frame: pd.DataFrame
    frequency: str
    source: str | None
    warnings: tuple[str, ...]
    summed_groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceNote:
    """Where a chart's numbers come from, read from the `sources` and `releases` tables and the rows."""

    attributions: tuple[str, ...]
    urls: tuple[str, ...]
    reporter_name: str
    valuations: tuple[tuple[str, str], ...]
    releases: tuple[tuple[str, str], ...]
    has_estimates: bool
    licences: tuple[str, ...] = ()  # the `sources` table's licence text (exports cite it)

    @property
    def text(self) -> str:
        """E.g. `Source: IMF, Direction of Trade Statistics (DOTS); reported by Azerbaijan; exports FOB,
        imports CIF.`"""
        parts = [*self.attributions, f"reported by {self.reporter_name}"]
        if self.valuations:
            parts.append(", ".join(f"{flow} {valuation}" for flow, valuation in self.valuations))
        return "; ".join(parts) + "."

    @property
    def release_text(self) -> str:
        """E.g. `Release 2022.`; empty when no rows were selected."""
        if not self.releases:
            return ""
        label = "Release" if len(self.releases) == 1 else "Releases"
        return f"{label} {', '.join(release for release, _ in self.releases)}."

    @property
    def release_descriptions(self) -> str:
        """What each release is, as the `releases` table describes it."""
        return "; ".join(f"{release}: {description}" for release, description in self.releases if description)
