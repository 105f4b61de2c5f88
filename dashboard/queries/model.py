"""What the query package answers with: plain values and frames, no database.

Components, narrative, exports and the claim checker import these types without importing the DuckDB reader
(`dashboard.queries.reader`). Units: US dollars, full units; shares are ratios 0..1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # periods.py imports this module; the warning type is only named here
    from dashboard.queries.periods import FallingCumulative

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
    warnings: tuple[FallingCumulative, ...] = ()


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
    warnings: tuple[FallingCumulative, ...]
    summed_groups: tuple[str, ...] = ()

    @cached_property
    def rows_by_partner(self) -> Mapping[str, np.ndarray]:
        """Positions (ascending) of each partner's rows in `frame`. An answer is remembered per store version
        and never changed, so this is built once, on first use: a partner's rows are then a lookup and one
        `take`, not a comparison over every partner's rows (bench P2b: ~1 ms of a new partner's answer)."""
        return positions_by_partner(self.frame)


def positions_by_partner(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Positions (ascending) of each partner's rows in `frame` (its `partner` column)."""
    if frame.empty:
        return {}
    groups = frame.groupby(frame["partner"].astype(str), sort=False).indices
    return {str(code): np.asarray(positions) for code, positions in groups.items()}


def rows_at(frame: pd.DataFrame, positions: Sequence[np.ndarray]) -> pd.DataFrame:
    """The rows of `frame` at `positions` (arrays of ascending positions, in the order given): a slice when
    they are one run of neighbours (one partner's rows of a frame ordered by partner), else one take. A take
    runs every column through pandas' take, which a cold CPU after a user's pause pays for (bench P2b)."""
    if (
        len(positions) == 1
        and len(positions[0])
        and positions[0][-1] - positions[0][0] + 1 == len(positions[0])
    ):
        return frame.iloc[int(positions[0][0]) : int(positions[0][-1]) + 1]
    return frame.take(np.concatenate(positions) if positions else np.array([], dtype="int64"))


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

    reporter: str = ""  # the reporter's code, to name it in other languages

    @property
    def text(self) -> str:
        """E.g. `Source: IMF, Direction of Trade Statistics (DOTS); reported by Azerbaijan; exports FOB,
        imports CIF.`"""
        return self.text_in("en")

    def text_in(self, lang: str) -> str:
        """`text` in `lang`: the attribution's own words (a title is a name), the rest translated."""
        from dashboard.i18n import area_name, label, lowercase, t

        attributions = [
            t(lang, "Source:") + a[len("Source:") :] if a.startswith("Source:") else a
            for a in self.attributions
        ]
        reporter = area_name(self.reporter, self.reporter_name, lang)
        parts = [*attributions, t(lang, "reported by {reporter}", reporter=reporter)]
        if self.valuations:
            parts.append(
                ", ".join(
                    f"{lowercase(label(lang, flow), lang)} {valuation}" for flow, valuation in self.valuations
                )
            )
        return "; ".join(parts) + "."

    @property
    def release_text(self) -> str:
        """E.g. `Release 2022.`; empty when no rows were selected."""
        return self.release_text_in("en")

    def release_text_in(self, lang: str) -> str:
        """`release_text` in `lang`."""
        from dashboard.i18n import tn

        if not self.releases:
            return ""
        return tn(lang, "Release {releases}.", "Releases {releases}.", len(self.releases),
                  releases=", ".join(release for release, _ in self.releases))  # fmt: skip

    @property
    def release_descriptions(self) -> str:
        """What each release is, as the `releases` table describes it."""
        return "; ".join(f"{release}: {description}" for release, description in self.releases if description)


# --- mirror statistics (`dashboard.queries.mirror`) ---------------------------------------------------------

DIRECTIONS: Final = ("exports", "imports")  # the reporter's flow a mirror row is about
MIRROR_SIDE_COLUMNS: Final = ("value", "valuation", "source", "release", "status", "origin")
MIRROR_COLUMNS: Final = (
    "year", "period_start", "period_end", "direction", "reporter", "partner",
    *(f"reporter_{c}" for c in MIRROR_SIDE_COLUMNS), *(f"partner_{c}" for c in MIRROR_SIDE_COLUMNS),
    "cif_usd", "fob_usd", "gap_usd", "gap_pct", "cif_fob_ratio", "beyond_band",
)  # fmt: skip
GAP_RANKING_COLUMNS: Final = (
    "rank", "partner", "name", "exports_gap_usd", "exports_gap_pct", "imports_gap_usd", "imports_gap_pct",
    "abs_gap_usd", "beyond_band",
)  # fmt: skip


@dataclass(frozen=True)
class BandBound:
    """One bound of the CIF/FOB band: the ratio and why (what is cited, with its address)."""

    bound: str
    ratio: float
    basis: str
    url: str


@dataclass(frozen=True)
class CifFobBand:
    """The expected range of CIF value / FOB value for one flow reported by both sides
    (data/reference/cif_fob_band.csv)."""

    low: float
    central: float
    high: float
    bounds: tuple[BandBound, ...]

    def contains(self, ratio: float) -> bool:
        """True when `ratio` (CIF / FOB) lies inside the band, bounds included."""
        return self.low <= ratio <= self.high

    @property
    def citations(self) -> tuple[tuple[str, str], ...]:
        """(basis, url) of every bound that cites something."""
        return tuple((b.basis, b.url) for b in self.bounds if b.url)


@dataclass(frozen=True)
class MirrorPair:
    """Both reports of each annual flow between a reporter and one partner (or every partner).

    `frame`: MIRROR_COLUMNS, one row per (partner, year, direction) where at least one side is reported;
    each side's value in US dollars (NaN where not reported, never zero) with its valuation, source, release,
    status and origin; cif_usd, fob_usd, gap_usd = CIF − FOB, gap_pct (ratio of FOB), cif_fob_ratio and
    beyond_band (NA unless both sides are known). `sources`: the source each economy's report is read from
    (the store's preference, `TradeQueries.source_for`), None where it has no annual data.
    """

    frame: pd.DataFrame
    reporter: str
    partner: str | None
    sources: tuple[tuple[str, str | None], ...]

    def row(self, year: int, direction: str) -> pd.Series | None:
        """The row of one year and direction, None when neither side reports it."""
        found = self.frame[(self.frame["year"] == year) & (self.frame["direction"] == direction)]
        return None if found.empty else found.iloc[0]


@dataclass(frozen=True)
class GapRanking:
    """A reporter's partner economies (countries, former ones) ranked by the size of their mirror gaps.

    `frame`: GAP_RANKING_COLUMNS ordered by abs_gap_usd (|exports gap| + |imports gap| over the flows known),
    largest first, ties by partner code; rank 1 is the largest. Only partners with both reports of at least
    one flow count.
    """

    frame: pd.DataFrame
    reporter: str
    year: int

    def records(self, top: int) -> list[dict[str, object]]:
        """The first `top` rows as plain records for the page."""
        head = self.frame.head(max(top, 0))
        return [{str(k): v for k, v in row.items()} for row in head.to_dict("records")]
