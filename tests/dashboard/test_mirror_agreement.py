"""The mirror view agrees with the KPI cards on the shipped snapshot, and its gap ranking with its gaps.

For Azerbaijan's partners in a spread of years, the figures the mirror view shows and downloads (Azerbaijan's
exports and imports beside the partner's own imports and exports) are exactly the query package's
`period_kpis` of (AZE, partner) and of (partner, AZE): both views read one source per reporter, the store's
preference. The ranking by gap size is the order of those gaps.
"""

from __future__ import annotations

import math

from dashboard.charts import mirror_chart
from dashboard.queries.answers import TradeQueries
from dashboard.queries.mirror import load_band, partner_gaps
from dashboard.queries.model import RANKED_KINDS
from dashboard.state import ViewState
from tests.dashboard import test_agreement
from tests.dashboard.test_agreement import same

YEARS = (1995, 2008, 2019, 2020)
snapshot = test_agreement.snapshot  # the shipped store, published once for this module (fixture)


def _partners(queries: TradeQueries, year: int) -> list[str]:
    """Azerbaijan's partner countries of that year that report their own trade with Azerbaijan."""
    ranking = queries.period_ranking("AZE", str(year)).frame
    reporters = {a.code for a in queries.reporters()}
    countries = ranking[ranking["kind"].isin(RANKED_KINDS)]
    return [str(p) for p in countries["partner"] if p in reporters]


def test_the_mirror_views_figures_are_the_cards_of_both_reporters(snapshot: TradeQueries) -> None:
    checked = 0
    for year in YEARS:
        partners = _partners(snapshot, year)
        assert len(partners) > 20, year
        for partner in partners[:: max(len(partners) // 6, 1)]:  # six partners, largest to smallest
            table = mirror_chart(snapshot, ViewState(reporter="AZE", partner=partner, period=str(year))).data
            own = snapshot.period_kpis("AZE", partner, frequency="annual", period=str(year))
            theirs = snapshot.period_kpis(partner, "AZE", frequency="annual", period=str(year))
            assert own is not None and theirs is not None
            for direction, own_value, their_value in (
                ("exports", own.exports.value, theirs.imports.value),  # AZE's exports, the partner's imports
                ("imports", own.imports.value, theirs.exports.value),
            ):
                row = table[(table["year"] == year) & (table["direction"] == direction)]
                if row.empty:  # neither side reports the flow
                    assert own_value is None and their_value is None, (partner, year, direction)
                    continue
                assert same(row["reporter_value"].iloc[0], own_value), (partner, year, direction)
                assert same(row["partner_value"].iloc[0], their_value), (partner, year, direction)
                checked += 1
    assert checked > 30


def test_the_gap_ranking_is_the_order_of_the_gaps(snapshot: TradeQueries) -> None:
    band = load_band()
    for year in (2000, 2019):
        ranking = partner_gaps(snapshot, "AZE", year, band=band).frame
        assert len(ranking) > 20, year
        sizes = list(ranking["abs_gap_usd"])
        assert sizes == sorted(sizes, reverse=True)
        assert list(ranking["rank"]) == list(range(1, len(ranking) + 1))
        # The largest gaps and the smallest: each is the pair's own gaps, CIF − FOB of the two cards.
        for row in (*ranking.head(6).itertuples(index=False), *ranking.tail(3).itertuples(index=False)):
            own = snapshot.period_kpis("AZE", row.partner, frequency="annual", period=str(year))
            theirs = snapshot.period_kpis(row.partner, "AZE", frequency="annual", period=str(year))
            assert own is not None and theirs is not None
            for gap, cif, fob in (
                (row.exports_gap_usd, theirs.imports.value, own.exports.value),  # the partner's CIF imports
                (row.imports_gap_usd, own.imports.value, theirs.exports.value),  # Azerbaijan's CIF imports
            ):
                assert same(gap, None if cif is None or fob is None else cif - fob), (row.partner, year)
            known = [abs(g) for g in (row.exports_gap_usd, row.imports_gap_usd) if not math.isnan(g)]
            assert row.abs_gap_usd == sum(known)
