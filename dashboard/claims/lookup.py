"""The numbers a claim is checked against: exactly those the page shows, asked of the query package.

For a reporter, partner and calendar year, every period the page offers — the year, each January–month
cumulative, each month, stored or derived (a month from two cumulatives, a cumulative from months), a country
group summed from its members — in every source with data, in the order of the settings' TRADE_SOURCES
(`TradeQueries.available_sources`). Turnover follows the page's partial rule, balance needs both flows, rank
and share are the page's (`TradeQueries.partner_standing`, i.e. `derived.ranked`): nothing is recomputed here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final

import pandas as pd

from dashboard.claims.model import MONEY_MEASURES, WORLD, Period, SeriesValue, area_name
from dashboard.claims.wording import Area, Said, Word
from dashboard.format import MINUS
from dashboard.queries.derived import number_or_none
from dashboard.queries.periods import frequency_and_key, period_key

if TYPE_CHECKING:
    from dashboard.queries.answers import TradeQueries

# The order a period is looked for in: a year is annual before it is the cumulative to December.
FREQUENCY_ORDER: Final = ("annual", "cumulative", "monthly")


def period_of(frequency: str, year: int, month: int) -> Period:
    """The months a period of the page spans: the year, January to `month`, or the month alone."""
    if frequency == "annual":
        return Period.year(year)
    if frequency == "cumulative":
        return Period.months(year, 1, month)
    return Period.month(year, month)


@dataclass(frozen=True)
class PageRow:
    """One period-table row the page shows: who reports it, in which source, frequency and period."""

    reporter: str
    source: str
    frequency: str
    period: Period
    row: pd.Series

    @property
    def key(self) -> str:
        return period_key(self.frequency, self.period.last_year, self.period.last_month)


class ClaimData:
    """The page's numbers for one reporter (and its partners' own reports), looked up per claim."""

    def __init__(self, queries: TradeQueries, reporter: str) -> None:
        self.queries = queries
        self.reporter = reporter
        self._rows: dict[tuple[str, str, int], list[PageRow]] = {}
        self._whole_read: set[tuple[str, str, str]] = set()
        self._citations: dict[tuple[str, str, str, int], tuple[str, str]] = {}
        self._names: dict[str, str] = {}

    def name(self, code: str | None) -> str:
        if code is not None and code != WORLD and code not in self._names:
            area = self.queries.area_or_group(code)
            if area is not None:
                self._names[code] = area.name
        return area_name(code, self._names)

    def rows(self, partner: str, year: int, *, reporter: str | None = None) -> list[PageRow]:
        """Every period of `year` the page shows for the pair, each source in preference order, a period
        once per source (a year as annual before the cumulative to December)."""
        who = reporter or self.reporter
        cache_key = (who, partner, year)
        if cache_key not in self._rows:
            found: dict[tuple[str, Period], PageRow] = {}
            for frequency in FREQUENCY_ORDER:
                for source in self.queries.available_sources(who, frequency):
                    # The reporter's whole table first, once (remembered per store version, as the page
                    # reads it): each partner and year is then a filter of it, not a query (bench P7).
                    if (who, frequency, source) not in self._whole_read:
                        self.queries.period_table(who, frequency=frequency, source=source)
                        self._whole_read.add((who, frequency, source))
                    frame = self.queries.period_table(
                        who, frequency=frequency, source=source, partners=[partner], years=[year]
                    ).frame
                    for _, row in frame[frame["partner"] == partner].iterrows():
                        period = period_of(frequency, year, int(row["month"]))
                        found.setdefault((source, period), PageRow(who, source, frequency, period, row))
            order = {s: i for i, s in enumerate(self._source_order(who))}
            self._rows[cache_key] = sorted(found.values(), key=lambda r: order.get(r.source, len(order)))
        return self._rows[cache_key]

    def _source_order(self, reporter: str) -> tuple[str, ...]:
        """Every source of the reporter in preference order (annual first, then the sub-annual ones)."""
        found = (s for f in FREQUENCY_ORDER for s in self.queries.available_sources(reporter, f))
        return tuple(dict.fromkeys(found))

    def known(self, partner: str, year: int) -> bool:
        """Whether the page shows any figure for the partner in `year`."""
        return bool(self.rows(partner, year))

    def periods(self, partner: str, year: int) -> list[Period]:
        return sorted({r.period for r in self.rows(partner, year)})

    def _citation(self, page_row: PageRow, partner: str) -> tuple[str, str]:
        """(attribution, releases) of the rows behind a figure (a group's: its members')."""
        key = (page_row.reporter, page_row.source, partner, page_row.period.first_year)
        if key not in self._citations:
            note = self.queries.source_note(
                page_row.reporter, partners=[partner], year=key[3], source=page_row.source, annual=False
            )
            attribution = note.attributions[0] if note and note.attributions else page_row.source
            releases = ", ".join(r for r, _ in note.releases) if note else ""
            self._citations[key] = (attribution, releases)
        return self._citations[key]

    def money(
        self, page_row: PageRow, partner: str, measure: str, label: str = "reporter"
    ) -> SeriesValue | None:
        """Exports, imports, turnover (partial when one flow is reported) or balance of one page row."""
        value = number_or_none(page_row.row[measure])
        if value is None:
            return None
        origins = [
            str(page_row.row[f"{flow}_origin"])
            for flow in ("exports", "imports")
            if isinstance(page_row.row[f"{flow}_origin"], str)
            and (measure == flow or measure not in ("exports", "imports"))
        ]
        joiner = f" {MINUS} " if measure == "balance" else " + "
        attribution, release = self._citation(page_row, partner)
        described = Said(measure)
        if measure == "turnover" and bool(page_row.row["partial"]):
            only = "exports" if number_or_none(page_row.row["exports"]) is not None else "imports"
            # as the page marks it
            described = Said("turnover (partial: only {flow} reported)", flow=Word(only))
        return SeriesValue(
            label,
            page_row.source,
            attribution,
            release,
            value,
            page_row.period,
            joiner.join(origins),
            described,
        )

    def standing(self, page_row: PageRow, partner: str, measure: str, basis: str) -> SeriesValue | None:
        """The partner's rank or share by `basis` in one page row's period, as the page ranks it."""
        standings = self.queries.partner_standing(
            page_row.reporter,
            partner,
            frequency=page_row.frequency,
            period=page_row.key,
            source=page_row.source,
        )
        standing = standings.get(basis)
        own = self.money(page_row, partner, basis)
        if standing is None or own is None:
            return None
        if measure == "rank":
            rank = standing.rank
            return (
                None
                if rank is None
                else replace(
                    own, value=float(rank), origin="", measure=Said("rank by {basis}", basis=Word(basis))
                )
            )
        share = standing.share
        return (
            None
            if share is None
            else replace(
                own,
                value=share,
                origin=f"({own.origin}) / (World)",
                measure=Said("share of {basis}", basis=Word(basis)),
            )
        )

    def value(
        self, page_row: PageRow, partner: str, measure: str, basis: str = "turnover"
    ) -> SeriesValue | None:
        """A money measure, a share or a rank of one page row."""
        if measure in MONEY_MEASURES:
            return self.money(page_row, partner, measure)
        if measure in ("share", "rank"):
            return self.standing(page_row, partner, measure, basis)
        return None

    def lookup(
        self, partner: str, measure: str, period: Period, *, basis: str = "turnover"
    ) -> list[SeriesValue]:
        """The value of `measure` for the partner in `period`, one per source with it, preferred first."""
        if frequency_and_key(period.start, period.end) is None:
            return []
        found = (
            self.value(r, partner, measure, basis)
            for r in self.rows(partner, period.first_year)
            if r.period == period
        )
        return [v for v in found if v is not None]

    def bounds(
        self, partner: str, measure: str, period: Period
    ) -> tuple[list[SeriesValue], list[SeriesValue]]:
        """(upper bounds: periods of the same year containing `period`, smallest first; lower bounds: periods
        inside it, largest first) of a non-negative measure."""
        upper: list[SeriesValue] = []
        lower: list[SeriesValue] = []
        for page_row in self.rows(partner, period.first_year):
            other = page_row.period
            if other == period or other.last_year != period.last_year:
                continue
            target = upper if other.contains(period) else lower if period.contains(other) else None
            found = self.money(page_row, partner, measure) if target is not None else None
            if target is not None and found is not None:
                target.append(found)
        return sorted(upper, key=lambda v: v.value or 0), sorted(lower, key=lambda v: -(v.value or 0))

    def mirror(self, partner: str, measure: str, period: Period) -> list[SeriesValue]:
        """The partner's own report of the same flows (its imports for the reporter's exports, and so on)."""
        if partner == WORLD or measure not in ("exports", "imports", "turnover"):
            return []
        theirs = {"exports": "imports", "imports": "exports", "turnover": "turnover"}[measure]
        reporter = Area(self.reporter, self.name(self.reporter))
        what = {
            "exports": Said("imports from {partner}", partner=reporter),
            "imports": Said("exports to {partner}", partner=reporter),
            "turnover": Said("turnover with {partner}", partner=reporter),
        }[measure]
        label = Said("{partner}'s report (mirror)", partner=Area(partner, self.name(partner)))
        return self.partner_report(partner, theirs, period, label, what)

    def partner_report(
        self, partner: str, measure: str, period: Period, label: str, described: str
    ) -> list[SeriesValue]:
        """`measure` as `partner` reports its trade with the reporter in `period`, one per source; `label` and
        `described` say whose report it is and what it measures."""
        found = []
        for page_row in self.rows(self.reporter, period.first_year, reporter=partner):
            value = self.money(page_row, self.reporter, measure, label) if page_row.period == period else None
            if value is not None:
                found.append(replace(value, measure=described))
        return found
