"""The query package on the paths production uses, derived numbers recomputed by hand from TINY_ROWS
(tests/dashboard/stores.py); exact asserts."""

from __future__ import annotations

import math
import threading
from pathlib import Path

import pandas as pd
import pytest

from dashboard.queries.answers import TradeQueries
from dashboard.queries.derived import top_of
from dashboard.queries.model import TOTAL_WORLD
from dashboard.queries.store import NoStoreError, QueryStore
from tests.dashboard.stores import TINY_ROWS, M, publish_rows

HOSTILE = "'; DROP TABLE trade_flows; --"


def _series(queries: TradeQueries, reporter: str, partner: str) -> pd.DataFrame:
    """The pair's annual rows as the trend chart, the table and the downloads read them."""
    return queries.period_table(reporter, frequency="annual", partners=[partner]).frame


def _top(queries: TradeQueries, reporter: str, year: object, measure: str = "turnover", **kwargs: object):
    """The ranking bar chart's partners: the top of the period ranking (`top`, `include` as the page)."""
    ranking = queries.period_ranking(reporter, year, frequency="annual", measure=measure)
    return ranking, top_of(ranking.frame, int(kwargs.get("top", 15)), include=kwargs.get("include"))  # type: ignore[arg-type]


def _kpis(queries: TradeQueries, reporter: str, partner: str, year: object):
    return queries.period_kpis(reporter, partner, frequency="annual", period=year)


def test_bilateral_series_derives_turnover_and_balance(queries: TradeQueries) -> None:
    series = _series(queries, "AZE", "ITA")
    assert series["year"].tolist() == [2017, 2018, 2019]
    assert series["exports"].tolist() == [3000 * M, 4000 * M, 5000 * M]
    assert series["imports"].tolist() == [250 * M, 300 * M, 400 * M]
    assert series["turnover"].tolist() == [3250 * M, 4300 * M, 5400 * M]
    assert series["balance"].tolist() == [2750 * M, 3700 * M, 4600 * M]
    assert not series["partial"].any()
    assert series["exports_origin"].iloc[-1].startswith("DOTS_AZE.xlsx!'Exports, FOB'!")


def test_missing_flow_stays_missing(queries: TradeQueries) -> None:
    series = _series(queries, "AZE", "RUS")
    # Russia has no 2017 rows at all: no year row, certainly no zero.
    assert series["year"].tolist() == [2018, 2019]
    first = series.iloc[0]
    assert first["exports"] == 200 * M
    assert math.isnan(first["imports"])
    assert math.isnan(first["balance"])  # a difference with one side unknown is not invented
    assert first["turnover"] == 200 * M  # the reported flow only, and flagged
    assert bool(first["partial"]) is True
    assert bool(first["imports_estimated"]) is False and pd.isna(first["imports_origin"])
    assert (series[["exports", "imports"]] != 0).all().all()


def test_estimated_status_is_kept(queries: TradeQueries) -> None:
    series = _series(queries, "AZE", "TUR")
    assert series.loc[series["year"] == 2019, "imports_estimated"].item()
    assert not series.loc[series["year"] == 2019, "exports_estimated"].item()


def test_ranking_by_turnover_excludes_groups(queries: TradeQueries) -> None:
    ranking, frame = _top(queries, "AZE", 2019, "turnover", top=15)
    # EUU's 7,200 m would top the list; groups are not ranked, nor is World.
    assert frame["partner"].tolist() == ["ITA", "TUR", "RUS"]
    assert frame["rank"].tolist() == [1, 2, 3]
    assert frame["value"].tolist() == [5400 * M, 2500 * M, 2100 * M]
    assert ranking.total_usd == 13000 * M  # World row: 8,000 + 5,000
    assert ranking.total_basis == TOTAL_WORLD
    assert frame["share"].tolist() == pytest.approx([5400 / 13000, 2500 / 13000, 2100 / 13000], rel=1e-12)
    assert ranking.partners_ranked == 3
    assert frame["estimated"].tolist() == [False, True, False]
    # Groups and the World row stay in the whole ranking, unranked, after the ranked partners.
    assert ranking.frame["partner"].tolist()[3:] == ["WLD", "EUU"]  # by value
    assert ranking.frame["rank"].isna().tolist()[3:] == [True, True]


@pytest.mark.parametrize(
    ("measure", "order", "values", "total"),
    [
        ("exports", ["ITA", "TUR", "RUS"], [5000, 1000, 300], 8000),
        ("imports", ["RUS", "TUR", "ITA"], [1800, 1500, 400], 5000),
    ],
)
def test_ranking_by_one_flow(
    queries: TradeQueries, measure: str, order: list[str], values: list[int], total: int
) -> None:
    ranking, frame = _top(queries, "AZE", 2019, measure)
    assert frame["partner"].tolist() == order
    assert frame["value"].tolist() == [v * M for v in values]
    assert ranking.total_usd == total * M
    assert frame["share"].tolist() == pytest.approx([v / total for v in values], rel=1e-12)


def test_ranking_top_n_keeps_the_selected_partner(queries: TradeQueries) -> None:
    _, frame = _top(queries, "AZE", 2019, "turnover", top=1, include="RUS")
    assert frame["partner"].tolist() == ["ITA", "RUS"]
    assert frame["rank"].tolist() == [1, 3]


def test_without_a_world_row_nothing_is_ranked_or_shared(queries: TradeQueries) -> None:
    # 2017 has no World row: the partner table may be incomplete, so a rank or share would be invented.
    ranking, frame = _top(queries, "AZE", 2017, "turnover")
    assert ranking.total_basis is None and ranking.total_usd is None
    assert frame.empty and ranking.partners_ranked == 0
    assert ranking.frame["rank"].isna().all() and ranking.frame["share"].isna().all()
    kpis = _kpis(queries, "AZE", "ITA", 2017)
    assert kpis is not None and kpis.turnover.value == 3250 * M
    assert (kpis.rank, kpis.share, kpis.total_basis) == (None, None, None)


def test_kpis_for_italy_2019(queries: TradeQueries) -> None:
    kpis = _kpis(queries, "AZE", "ITA", 2019)
    assert kpis is not None
    assert (kpis.reporter.name, kpis.partner.name, kpis.year) == ("Azerbaijan", "Italy", 2019)
    assert kpis.exports.value == 5000 * M
    assert kpis.imports.value == 400 * M
    assert kpis.turnover.value == 5400 * M
    assert kpis.balance.value == 4600 * M
    assert kpis.turnover.previous == 4300 * M
    assert kpis.turnover.change == 1100 * M
    assert kpis.turnover.change_pct == pytest.approx(1100 / 4300, rel=1e-12)
    assert kpis.exports.change_pct == pytest.approx(0.25, rel=1e-12)
    assert kpis.balance.change == 900 * M
    assert kpis.rank == 1
    assert kpis.partners_ranked == 3
    assert kpis.share == pytest.approx(5400 / 13000, rel=1e-12)
    assert kpis.total_turnover == 13000 * M
    assert kpis.total_basis == TOTAL_WORLD
    assert kpis.partial is False


def test_kpis_with_missing_previous_flow(queries: TradeQueries) -> None:
    kpis = _kpis(queries, "AZE", "RUS", 2019)
    assert kpis is not None
    assert kpis.turnover.previous == 200 * M
    assert kpis.turnover.change == 1900 * M
    assert kpis.balance.previous is None
    assert kpis.balance.change is None  # 2018 balance unknown: no change to report
    assert kpis.imports.previous is None
    assert kpis.rank == 3


def test_kpis_for_a_group_partner_has_share_but_no_rank(queries: TradeQueries) -> None:
    kpis = _kpis(queries, "AZE", "EUU", 2019)
    assert kpis is not None
    assert kpis.rank is None
    assert kpis.share == pytest.approx(7200 / 13000, rel=1e-12)


def test_kpis_estimated_flag(queries: TradeQueries) -> None:
    kpis = _kpis(queries, "AZE", "TUR", 2019)
    assert kpis is not None
    assert kpis.imports.estimated is True
    assert kpis.exports.estimated is False
    assert kpis.turnover.estimated is True


def test_kpis_year_without_data_keeps_values_missing(queries: TradeQueries) -> None:
    kpis = _kpis(queries, "AZE", "RUS", 2017)
    assert kpis is not None
    assert kpis.turnover.value is None
    assert kpis.exports.value is None
    assert kpis.rank is None
    assert not kpis.has_data


def test_mirror_reporter(queries: TradeQueries) -> None:
    assert [a.code for a in queries.reporters()] == ["AZE", "ITA"]
    assert [a.name for a in queries.partner_options("ITA")] == ["Azerbaijan"]
    kpis = _kpis(queries, "ITA", "AZE", 2019)
    assert kpis is not None
    assert kpis.imports.value == 5200 * M
    assert kpis.exports.value is None
    assert kpis.turnover.value == 5200 * M
    assert kpis.partial is True
    assert kpis.balance.value is None
    # Italy's only row is its trade with Azerbaijan: no World total, so no rank and no share (not 100 %).
    assert kpis.total_basis is None
    assert (kpis.rank, kpis.share) == (None, None)


def test_partner_options_put_countries_before_groups(queries: TradeQueries) -> None:
    options = queries.partner_options("AZE")
    assert [(a.code, a.kind) for a in options] == [
        ("ITA", "country"),
        ("RUS", "country"),
        ("TUR", "country"),
        ("EUU", "group"),
        ("WLD", "group"),
    ]


def test_a_few_partners_read_from_the_known_table_of_every_partner_are_what_a_query_gives(
    tiny_store: Path,
) -> None:
    asked = {"partners": ["TUR", "ITA"], "years": [2019]}
    cold_store = QueryStore(tiny_store)
    cold = cold_store.current().period_table("AZE", frequency="annual", **asked).frame  # type: ignore[arg-type]
    cold_store.close()
    warm_store = QueryStore(tiny_store)
    warm_queries = warm_store.current()
    warm_queries.period_table("AZE", frequency="annual")  # the page reads this first

    def no_query(*args: object) -> None:
        raise AssertionError(f"queried again: {args}")

    warm_queries._period_table = no_query  # type: ignore[method-assign,assignment]
    warm = warm_queries.period_table("AZE", frequency="annual", **asked).frame  # type: ignore[arg-type]
    warm_store.close()
    assert list(cold["partner"]) == ["TUR", "ITA"]
    pd.testing.assert_frame_equal(warm, cold)


def test_years_and_latest_year(queries: TradeQueries) -> None:
    assert queries.years("AZE") == (2017, 2018, 2019)
    assert queries.latest_year("AZE", "ITA") == 2019
    assert queries.latest_year("ITA") == 2019
    assert queries.latest_year("AZE", "CHN") is None


def test_turnover_of_several_partners_in_the_order_asked(queries: TradeQueries) -> None:
    frame = queries.period_table("AZE", frequency="annual", partners=["RUS", "ITA", "CHN"]).frame
    assert list(zip(frame["partner"], frame["year"], frame["turnover"], strict=True)) == [
        ("RUS", 2018, 200 * M),
        ("RUS", 2019, 2100 * M),
        ("ITA", 2017, 3250 * M),
        ("ITA", 2018, 4300 * M),
        ("ITA", 2019, 5400 * M),
    ]
    assert frame["partial"].tolist() == [True, False, False, False, False]


def test_source_note_from_tables_and_rows(queries: TradeQueries) -> None:
    note = queries.source_note("AZE", partners=["ITA"])
    assert note is not None
    assert note.text == (
        "Source: IMF, Direction of Trade Statistics (DOTS); reported by Azerbaijan; exports FOB, imports CIF."
    )
    assert note.release_text == "Release 2024-06-30."
    assert note.has_estimates is False
    assert queries.source_note("AZE", partners=["TUR"], year=2019).has_estimates is True  # type: ignore[union-attr]
    mirror = queries.source_note("ITA")
    assert mirror is not None
    assert mirror.text.endswith("reported by Italy; imports CIF.")
    assert queries.source_note("AZE", partners=["CHN"]) is None


def test_a_new_partners_names_and_note_cost_no_query(
    queries: TradeQueries, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A partner change (bench P2b) asks the partner's name and the note of its every year: cuts of what the
    reporter's first question read, never a query of their own."""
    assert queries.source_note("AZE", partners=["ITA"]) is not None
    asked: list[str] = []
    monkeypatch.setattr(queries, "_frame", lambda sql, params: asked.append(sql))
    turkey = queries.source_note("AZE", partners=["TUR"])
    assert turkey is not None and turkey.has_estimates is True  # its 2019 row is an estimate
    assert set(queries.names(["TUR", "XXX", "AZE"])) == {"TUR", "AZE"}
    assert queries.area("TUR") is not None and queries.area("XXX") is None
    assert queries.source_note("AZE", partners=["CHN", "XXX"]) is None
    assert asked == []


def test_one_partners_note_is_the_note_its_own_rows_give(queries: TradeQueries) -> None:
    """A pair's every-year note is looked up among the few notes its reporter's partners share (built once per
    reporter): the same note as built from that partner's rows alone, for every partner and both row kinds;
    partners whose rows differ (an estimate) do not share one."""
    partners = ["ITA", "TUR", "RUS", "CHN", "EUU", "XXX"]
    for annual in (True, False):
        for partner in partners:
            # With a second code that has no rows, the note is built from the partner's rows, not looked up.
            alone = queries.source_note("AZE", partners=[partner, "XXX"], annual=annual)
            assert queries.source_note("AZE", partners=[partner], annual=annual) == alone, (partner, annual)
    italy, turkey, russia = (queries.source_note("AZE", partners=[p]) for p in ("ITA", "TUR", "RUS"))
    assert italy is not None and turkey is not None and russia is not None
    assert (italy.has_estimates, turkey.has_estimates) == (False, True) and italy is russia
    assert queries.source_note("AZE", partners=["CHN"]) is None


@pytest.mark.parametrize("bad", [HOSTILE, "XXX", "", "ita"])
def test_hostile_or_unknown_codes_give_empty_results(queries: TradeQueries, bad: str) -> None:
    assert _series(queries, "AZE", bad).empty
    assert _series(queries, bad, "ITA").empty
    assert queries.period_ranking(bad, 2019).frame.empty
    assert queries.rank_history("AZE", [bad]).empty
    assert queries.partner_options(bad) == ()
    assert queries.years(bad) == ()
    assert _kpis(queries, "AZE", bad, 2019) is None
    assert queries.source_note(bad) is None
    assert queries.names([bad]) == {}
    assert queries.area(bad) is None
    # The table is intact.
    assert len(_series(queries, "AZE", "ITA")) == 3


@pytest.mark.parametrize("year", [HOSTILE, "2019; DROP TABLE areas", None, 3.5, True, "abcd"])
def test_hostile_years_and_measures(queries: TradeQueries, year: object) -> None:
    assert queries.period_ranking("AZE", year).frame.empty
    assert _kpis(queries, "AZE", "ITA", year) is None
    assert queries.period_ranking("AZE", 2019, measure=HOSTILE).frame.empty
    assert _top(queries, "AZE", "2019")[1]["partner"].tolist() == ["ITA", "TUR", "RUS"]


def test_a_new_version_gets_a_new_query_object_and_the_old_one_finishes(tiny_store: Path) -> None:
    store = QueryStore(tiny_store)
    try:
        queries = store.current()
        assert _series(queries, "AZE", "ITA")["exports"].iloc[-1] == 5000 * M
        revised = [
            r if r[:4] != ("AZE", "ITA", "export", 2019) else ("AZE", "ITA", "export", 2019, 6000 * M)
            for r in TINY_ROWS
        ]
        publish_rows(tiny_store, revised)
        fresh = store.current()
        assert fresh is not queries and fresh.path != queries.path
        assert _series(fresh, "AZE", "ITA")["exports"].iloc[-1] == 6000 * M
        assert _kpis(fresh, "AZE", "ITA", 2019).exports.value == 6000 * M  # type: ignore[union-attr]
        # A request that read the pointer before the publish finishes on its version: a ranking it has not
        # asked yet is still read from the old file, never from the new one.
        assert queries.period_ranking("AZE", 2019, measure="exports").total_usd == 8000 * M
        assert _kpis(queries, "AZE", "ITA", 2019).exports.value == 5000 * M  # type: ignore[union-attr]
        assert store.current() is fresh  # one object per version
    finally:
        store.close()


def test_concurrent_queries_across_a_publish(tiny_store: Path) -> None:
    store = QueryStore(tiny_store)
    errors: list[BaseException] = []
    seen: set[float] = set()

    def read() -> None:
        try:
            for _ in range(25):
                queries = store.current()  # one pointer read per request
                kpis = _kpis(queries, "AZE", "ITA", 2019)
                exports = float(_series(queries, "AZE", "ITA")["exports"].iloc[-1])
                assert kpis is not None and kpis.exports.value == exports  # never two versions in one request
                seen.add(exports)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(6)]
    for thread in threads:
        thread.start()
    for value in (6000, 7000):
        revised = [
            r if r[:4] != ("AZE", "ITA", "export", 2019) else ("AZE", "ITA", "export", 2019, value * M)
            for r in TINY_ROWS
        ]
        publish_rows(tiny_store, revised)
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert seen <= {5000 * M, 6000 * M, 7000 * M}
        assert _series(store.current(), "AZE", "ITA")["exports"].iloc[-1] == 7000 * M
    finally:
        store.close()


def test_a_caller_changing_an_answer_leaves_the_remembered_one_as_it_was(queries: TradeQueries) -> None:
    """Remembered frames are handed out as copies: whatever a caller does to its answer, the next caller
    reads the answer as computed."""
    ranking = queries.period_ranking("AZE", 2019)
    table = queries.period_table("AZE", frequency="annual")
    kept_ranking, kept_table = ranking.frame.copy(), table.frame.copy()
    assert len(kept_ranking) and len(kept_table)
    for frame in (ranking.frame, table.frame):
        frame.loc[frame.index[0], "exports"] = -1.0  # a cell, in place
        frame.iloc[-1, frame.columns.get_loc("turnover")] = -2.0
        frame["balance"] = 0.0  # a column replaced
        frame["added"] = 1  # a column added
        del frame["imports"]  # a column dropped
        frame.index = frame.index[::-1]  # the frame's own index replaced
    pd.testing.assert_frame_equal(queries.period_ranking("AZE", 2019).frame, kept_ranking)
    pd.testing.assert_frame_equal(queries.period_table("AZE", frequency="annual").frame, kept_table)


def test_a_remembered_answer_is_read_back_by_the_key_the_method_remembers_it_by(tiny_store: Path) -> None:
    """`remembered_answer` asks the cache for a call as the decorator keyed it: nothing before the call, the
    remembered object itself after it (the every-year table that one partner's rows are cut from)."""
    from dashboard.queries.cache import remembered_answer

    store = QueryStore(tiny_store)
    try:
        queries = store.current()
        assert remembered_answer(queries, queries.source_note, "AZE", year=2019) is None
        assert queries._known_table("AZE", "annual", "imf_dots", None) is None
        note = queries.source_note("AZE", year=2019)
        assert note is not None
        assert remembered_answer(queries, queries.source_note, "AZE", year=2019) is note
        assert remembered_answer(queries, queries.source_note, "AZE", year=2018) is None  # another call
        table = queries.period_table("AZE", frequency="annual")
        known = queries._known_table("AZE", "annual", "imf_dots", None)
        assert known is not None and known.frame.equals(table.frame)
    finally:
        store.close()


def test_the_answer_cache_is_bounded_in_bytes(tiny_store: Path) -> None:
    store = QueryStore(tiny_store, cache_bytes=200_000)
    try:
        queries = store.current()
        for year in (2017, 2018, 2019):
            for measure in ("turnover", "exports", "imports"):
                queries.period_ranking("AZE", year, measure=measure)
                queries.period_table("AZE", frequency="annual", partners=["ITA", "RUS", "TUR"], years=[year])
        assert 0 < queries._answers.currsize <= 200_000
        # Still right after evictions.
        assert _kpis(queries, "AZE", "ITA", 2019).turnover.value == 5400 * M  # type: ignore[union-attr]
    finally:
        store.close()


def test_no_store_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(NoStoreError, match="python -m etl refresh"):
        QueryStore(tmp_path / "nothing-here").current()


def test_kpis_carry_the_origin_of_each_stored_figure(queries: TradeQueries) -> None:
    kpis = _kpis(queries, "AZE", "ITA", 2019)
    assert kpis is not None
    assert kpis.exports.origin == "DOTS_AZE.xlsx!'Exports, FOB'!A15"  # row 14 of TINY_ROWS
    assert kpis.turnover.origin is None  # derived, not stored
