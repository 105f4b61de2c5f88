"""The page, the table, the map, the downloads, the trend and the claim checker agree on every number.

For every partner of Azerbaijan's own report in a spread of years of the shipped snapshot (and for the
mirror reports of its largest partners), and with RELIABILITY=long in every year and every mirror report,
the KPI cards, the sentences' standing, the ranking rows, the table download, the map download and the
trend's table give exactly the same exports, imports, turnover, balance, rank and share: they are all read
from the query package, which computes each once. The claim checker's data values are compared too.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd
import pytest

from dashboard.charts import map_chart, table_chart
from dashboard.claims import ClaimData, Period
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from dashboard.state import ViewState
from dashboard.view_content import trend_content
from tests.reliability.counts import LONG
from tests.serving import refresh_store

MONEY = ("exports", "imports", "turnover", "balance")


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TradeQueries]:
    """The store `make run` builds from data/snapshot (python -m etl refresh --offline)."""
    folder: Path = tmp_path_factory.mktemp("agreement")
    refresh_store(folder / "store", folder / "raw")
    store = QueryStore(folder / "store")
    yield store.current()
    store.close()


def same(a: object, b: object) -> bool:
    """Exactly equal, missing equal to missing (None, NaN and pd.NA are one 'not reported')."""
    missing_a = a is None or (not isinstance(a, str) and pd.isna(a))  # type: ignore[arg-type]
    missing_b = b is None or (not isinstance(b, str) and pd.isna(b))  # type: ignore[arg-type]
    if missing_a or missing_b:
        return missing_a and missing_b
    return float(a) == float(b)  # type: ignore[arg-type]


def sampled(years: Sequence[int]) -> list[int]:
    """Every ninth year and the last two: each rule is exercised without walking all 30 years (suite time);
    every year with RELIABILITY=long."""
    return sorted(years) if LONG else sorted(set(years[::9]) | set(years[-2:]))


def _agreement(queries: TradeQueries, reporter: str) -> int:
    checked = 0
    queries.period_table(reporter, frequency="annual")  # as the page does once a reporter is chosen
    data = ClaimData(queries, reporter)
    for year in sampled(queries.years(reporter)):
        period = str(year)
        ranking = queries.period_ranking(reporter, period)  # the ranking bar chart's rows
        state = ViewState(reporter, None, period, measure="turnover")
        table = table_chart(queries, state).data.set_index("partner")
        mapped = map_chart(queries, state).data.set_index("partner")
        for row in ranking.frame.itertuples(index=False):
            partner = str(row.partner)
            if partner == reporter:
                continue
            kpis = queries.period_kpis(reporter, partner, frequency="annual", period=period)
            assert kpis is not None, (reporter, partner, year)
            standing = queries.partner_standing(reporter, partner, frequency="annual", period=period)
            cards = {m: getattr(kpis, m).value for m in MONEY}
            for m in MONEY:
                assert same(cards[m], getattr(row, m)), ("ranking", reporter, partner, year, m)
                assert same(cards[m], table.at[partner, f"{m}_usd"]), ("table", reporter, partner, year, m)
                assert same(cards[m], mapped.at[partner, f"{m}_usd"]), ("map", reporter, partner, year, m)
            for name, frame in (("ranking", None), ("table", table), ("map", mapped)):
                rank = row.rank if frame is None else frame.at[partner, "rank"]
                share = row.share if frame is None else frame.at[partner, "share"]
                assert same(kpis.rank, rank), (name, reporter, partner, year, "rank")
                assert same(kpis.share, share), (name, reporter, partner, year, "share")
            if "turnover" in standing:
                assert same(standing["turnover"].value, kpis.turnover.value)
                assert same(standing["turnover"].rank, kpis.rank)
                assert same(standing["turnover"].share, kpis.share)
            else:
                assert kpis.turnover.value is None
            # The claim checker's value (its preferred source first) is the card's, measure by measure.
            for measure in MONEY:
                found = data.lookup(partner, measure, Period.year(year))
                claimed = found[0].value if found else None
                assert same(claimed, cards[measure]), ("claims", reporter, partner, year, measure)
            for measure, card in (("rank", kpis.rank), ("share", kpis.share)):
                found = data.lookup(partner, measure, Period.year(year))
                assert same(found[0].value if found else None, card), (
                    "claims",
                    reporter,
                    partner,
                    year,
                    measure,
                )
            checked += 1
    return checked


def test_every_partner_and_year_of_azerbaijans_report_agrees(snapshot: TradeQueries) -> None:
    assert _agreement(snapshot, "AZE") > 700


def test_the_trend_table_agrees_with_the_cards(snapshot: TradeQueries) -> None:
    for partner in ("ITA", "TUR", "RUS", "CHN", "ISR", "DEU", "GEO", "USA"):
        trend = trend_content(snapshot, ViewState(reporter="AZE", partner=partner, period="2019")).table.frame
        for row in trend.itertuples(index=False):
            kpis = snapshot.period_kpis("AZE", partner, frequency="annual", period=str(row.year))
            assert kpis is not None
            for m in MONEY:
                assert same(getattr(kpis, m).value, getattr(row, m)), (partner, row.year, m)
                assert same(getattr(kpis, m).change, getattr(row, f"{m}_change")), (partner, row.year, m)


def test_every_mirror_report_agrees(snapshot: TradeQueries) -> None:
    mirrors = {a.code for a in snapshot.reporters() if a.code != "AZE"}
    assert len(mirrors) > 100
    largest = ("ITA", "TUR", "RUS", "CHN", "ISR", "DEU", "GEO", "USA", "KAZ", "UKR")
    for reporter in sorted(mirrors) if LONG else largest:
        assert reporter in mirrors
        for year in sampled(snapshot.years(reporter)):
            kpis = snapshot.period_kpis(reporter, "AZE", frequency="annual", period=str(year))
            ranking = snapshot.period_ranking(reporter, str(year))
            row = ranking.frame[ranking.frame["partner"] == "AZE"]
            assert kpis is not None and len(row) == 1
            for m in MONEY:
                assert same(getattr(kpis, m).value, row[m].iloc[0])
            # A mirror reporter's only stored partner is Azerbaijan: no World row, so no rank and no share.
            assert kpis.rank is None and kpis.share is None
            assert not math.isnan(kpis.turnover.value or 0.0)
