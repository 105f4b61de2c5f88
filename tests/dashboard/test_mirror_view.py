"""The mirror view's figure, callbacks and link state, without a browser (values from mirror_stores.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from dashboard.callbacks.mirror import mirror_outputs
from dashboard.figures.mirror import mirror_figure
from dashboard.figures.theme import HIGHLIGHT, MUTED
from dashboard.queries.answers import TradeQueries
from dashboard.queries.mirror import mirror_pair, partner_gaps
from dashboard.queries.model import MIRROR_COLUMNS, CifFobBand
from dashboard.queries.store import QueryStore
from tests.dashboard.mirror_stores import M, publish_flows
from tests.dashboard.test_callbacks import text

BAND = CifFobBand(low=1.0, central=1.06, high=1.10, bounds=())


@pytest.fixture
def mirror_queries(tmp_path: Path) -> Iterator[TradeQueries]:
    publish_flows(tmp_path / "store")
    queries = QueryStore(tmp_path / "store").current()
    yield queries
    queries.close()


def _trace(figure: object, name: str, index: int = 0) -> object:
    return [t for t in figure.data if t.name == name][index]  # type: ignore[attr-defined]


def test_figure_draws_both_reports_the_band_and_the_gaps(mirror_queries: TradeQueries) -> None:
    table = mirror_pair(mirror_queries, "AZE", "ITA", band=BAND).frame
    figure = mirror_figure(table, reporter_name="Azerbaijan", partner_name="Italy", band=BAND, year=2019)
    # Exports panel, billions, 2018..2020: Azerbaijan 4.0, 5.0, 4.1722; Italy 4.2, 5.6, 3.6763.
    assert list(_trace(figure, "As Azerbaijan reports it").y) == [4.0, 5.0, 4.1722]  # type: ignore[attr-defined]
    assert list(_trace(figure, "As Italy reports it").y) == [4.2, 5.6, 3.6763]  # type: ignore[attr-defined]
    gaps = _trace(figure, "Gap, CIF − FOB")
    assert list(gaps.y) == pytest.approx([0.2, 0.6, 3.6763 - 4.1722])  # type: ignore[attr-defined]
    # 2018 ratio 1.05 inside the band, 2019 1.12 and 2020 0.88 outside.
    assert list(gaps.marker.color) == [MUTED, HIGHLIGHT, HIGHLIGHT]  # type: ignore[attr-defined]
    upper = _trace(figure, "Expected CIF range (FOB +0% to +10%)")
    assert list(upper.y) == pytest.approx([4.4, 5.5, 4.1722 * 1.1])  # type: ignore[attr-defined]
    # Imports panel: Azerbaijan's CIF imports 2019 = 0.4 bn, Italy's FOB exports 0.38 bn.
    imports_own = _trace(figure, "As Azerbaijan reports it", 1)
    assert imports_own.y[1] == pytest.approx(0.4)  # type: ignore[attr-defined]
    assert figure.layout.meta == {"unit": "bn"}


def test_figure_of_no_rows_says_so() -> None:
    figure = mirror_figure(
        pd.DataFrame(columns=list(MIRROR_COLUMNS)), reporter_name="A", partner_name="B", band=BAND
    )
    assert figure.layout.meta == {"empty": True}
    assert "Neither A nor B reports trade between them" in figure.layout.annotations[0].text


def test_mirror_outputs(mirror_queries: TradeQueries) -> None:
    title, figure, footer, explanation, ranking_title, ranking = mirror_outputs(
        mirror_queries, "AZE", "TUR", 2019
    )
    assert title == "Azerbaijan and Türkiye: two reports of the same trade"
    assert len(figure.data) == 10
    assert (
        "Azerbaijan's report: Direction of Trade Statistics (DOTS) release 2022; "
        "Türkiye's report: Direction of Trade Statistics (DOTS) release 2022."
    ) in text(footer)
    words = text(explanation)
    assert "Türkiye reports imports from Azerbaijan of $420.0 m (CIF)" in words
    assert "Transit through Türkiye (Ceyhan)" in words
    assert ranking_title == "Azerbaijan's partners by size of the gap, 2019"
    assert "\u2212$2.38 bn (\u221285.0%)" in text(ranking)
    rows = [c for c in _walk(ranking) if getattr(c, "className", None) == "table-active fw-semibold"]
    assert len(rows) == 1 and "Türkiye" in text(rows[0])


def test_mirror_outputs_for_a_pair_without_a_mirror(mirror_queries: TradeQueries) -> None:
    _, _, _, explanation, _, _ = mirror_outputs(mirror_queries, "AZE", "GEO", 2019)
    assert text(explanation) == (
        "In 2019 Azerbaijan reports exports to Georgia of $500.0 m (FOB); Georgia reports no figure for this flow."
    )
    _, _, _, explanation, _, _ = mirror_outputs(mirror_queries, "AZE", "ITA", None)
    assert text(explanation) == "Choose a year to see the gap explained."


def _walk(node: object) -> Iterator[object]:
    from tests.dashboard.test_callbacks import walk

    yield from walk(node)


def test_ranking_records_are_plain(mirror_queries: TradeQueries) -> None:
    records = partner_gaps(mirror_queries, "AZE", 2019, band=BAND).records(2)
    assert [r["partner"] for r in records] == ["TUR", "ITA"]
    assert records[0]["abs_gap_usd"] == pytest.approx(2580 * M)


def test_mirror_outputs_without_a_partner_or_with_nonsense(mirror_queries: TradeQueries) -> None:
    title, figure, footer, explanation, _, ranking = mirror_outputs(mirror_queries, "AZE", None, 2019)
    assert title == "Two reports of the same trade" and figure.layout.meta == {"empty": True}
    assert text(explanation) == "Choose a partner." and ranking == [] and footer == []
    _, figure, _, explanation, _, _ = mirror_outputs(mirror_queries, "AZE", "'; DROP TABLE areas; --", 2019)
    assert figure.layout.meta == {"empty": True}
    assert text(explanation).startswith("Neither Azerbaijan nor '; DROP TABLE areas; -- reports trade")
    assert mirror_queries.area("ITA") is not None  # the store is untouched
