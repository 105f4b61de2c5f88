"""On a small store of January–month cumulatives and months, the claim checker finds what the page derives: a
month from two cumulatives, a cumulative chained from a stored month, a group summed from its members; its
value, rank and share equal the query package's `period_kpis` / `period_ranking` for the same period."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard import claims
from dashboard.claims import Claim, ClaimData, Period
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from tests.dashboard.mirror_stores import CUSTOMS, M, publish_flows

# Customs' January–June and January–July 2020 cumulatives and the month of August (no January–August).
VALUES = {  # partner -> (export, import) for Jan–Jun, Jan–Jul, Aug
    "ITA": ((800.0, 150.0), (933.2, 175.3), (120.0, 30.0)),
    "TUR": ((1200.0, 700.0), (1400.0, 900.0), (180.0, 110.0)),
    "RUS": ((200.0, 600.0), (230.0, 700.0), (40.0, 90.0)),
    "WLD": ((7000.0, 4800.0), (8000.0, 5500.0), (1000.0, 700.0)),
}
ROWS = tuple(
    (CUSTOMS, "AZE", partner, flow, start, end, value * M)
    for partner, pieces in VALUES.items()
    for (start, end), pair in zip(
        (("2020-01", "2020-06"), ("2020-01", "2020-07"), ("2020-08", "2020-08")), pieces
    )
    for flow, value in zip(("export", "import"), pair)
)


@pytest.fixture
def queries(tmp_path: Path) -> Iterator[TradeQueries]:
    publish_flows(tmp_path, ROWS)
    store = QueryStore(tmp_path)
    yield store.current()
    store.close()


@pytest.mark.parametrize(
    ("frequency", "key", "period"),
    [
        ("monthly", "2020-07", Period.month(2020, 7)),  # Jan–Jul − Jan–Jun
        ("cumulative", "2020-08", Period.months(2020, 1, 8)),  # Jan–Jul + Aug
    ],
)
@pytest.mark.parametrize("partner", ["ITA", "TUR", "EUU"])
def test_derived_periods_and_groups_agree_with_the_page(
    queries: TradeQueries, frequency: str, key: str, period: Period, partner: str
) -> None:
    data = ClaimData(queries, "AZE")
    kpis = queries.period_kpis("AZE", partner, frequency=frequency, period=key)
    assert kpis is not None and kpis.derived and kpis.turnover.value is not None
    for measure in ("exports", "imports", "turnover", "balance"):
        (found,) = data.lookup(partner, measure, period)
        assert found.value == getattr(kpis, measure).value, measure
    ranking = queries.period_ranking("AZE", key, frequency=frequency).frame.set_index("partner")
    rank = data.lookup(partner, "rank", period)
    share = data.lookup(partner, "share", period)
    if partner == "EUU":  # a group summed from its members: a share of the World total, never a rank
        assert rank == [] and kpis.rank is None
    else:
        assert rank[0].value == kpis.rank == ranking.at[partner, "rank"]
        assert share[0].value == ranking.at[partner, "share"]
    assert share[0].value == kpis.share


def test_a_derived_month_is_checked_not_left_uncheckable(queries: TradeQueries) -> None:
    # July 2020 exports to Italy: 933.2 − 800.0 = 133.2 m, derived by the page from two cumulatives.
    july = Claim("exports", 133.2 * M, 0.05 * M, "ITA", Period.month(2020, 7), "$133.2 million")
    group = Claim("exports", 1053.2 * M, 0.05 * M, "EUU", Period.months(2020, 1, 8), "$1,053.2 million")
    verdicts = claims.check_claims([july, group], queries)
    assert [v.word for v in verdicts] == [claims.CONSISTENT, claims.CONSISTENT]
    assert verdicts[0].data is not None and verdicts[0].data.value == pytest.approx(133.2 * M)
