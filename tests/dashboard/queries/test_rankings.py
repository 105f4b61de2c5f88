"""Rankings cut from the per-reporter rankings (`queries/rankings.py`) equal the definitions of `derived.py`
applied to the period table of that period alone, on a real DuckDB store: ties, missing years, a zero World
total, groups, several sources and frequencies; and they belong to one store version."""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from dashboard.queries import answers
from dashboard.queries.answers import TradeQueries
from dashboard.queries.derived import ranked, top_of
from dashboard.queries.model import FREQUENCIES, MEASURES
from dashboard.queries.periods import parse_period
from dashboard.queries.rankings import RankingsCache, ReporterRankings
from dashboard.queries.store import QueryStore
from etl.store import StoreError
from tests.dashboard.stores import AREAS, PERIOD_ROWS, M, Row, publish_rows

ROWS: tuple[Row, ...] = (
    # 2018: RUS has no row (a missing year, so its 2019 change is unknown); a zero World export total.
    ("AZE", "ITA", "export", 2018, 400 * M),
    ("AZE", "ITA", "import", 2018, 100 * M),
    ("AZE", "TUR", "export", 2018, 300 * M),
    ("AZE", "TUR", "import", 2018, 100 * M),
    ("AZE", "WLD", "export", 2018, 0.0),
    ("AZE", "WLD", "import", 2018, 900 * M),
    # 2019: ITA and TUR tie on turnover (500), RUS reports exports only; EUU is a group, never ranked.
    ("AZE", "ITA", "export", 2019, 300 * M),
    ("AZE", "ITA", "import", 2019, 200 * M),
    ("AZE", "TUR", "export", 2019, 100 * M),
    ("AZE", "TUR", "import", 2019, 400 * M),
    ("AZE", "RUS", "export", 2019, 500 * M),
    ("AZE", "SUN", "import", 2019, 50 * M),
    ("AZE", "EUU", "export", 2019, 900 * M),
    ("AZE", "EUU", "import", 2019, 250 * M),
    ("AZE", "WLD", "export", 2019, 1000 * M),
    ("AZE", "WLD", "import", 2019, 1000 * M),
    # 2020: no World row at all: no ranks, no shares.
    ("AZE", "ITA", "export", 2020, 350 * M),
    ("AZE", "TUR", "import", 2020, 150 * M, "estimated"),
)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rankings") / "store"
    publish_rows(folder, ROWS, period_rows=PERIOD_ROWS)
    return folder


@pytest.fixture(scope="module")
def queries(store_dir: Path) -> TradeQueries:
    return QueryStore(store_dir).current()


def expected_ranking(store_dir: Path, reporter: str, period: str, frequency: str, measure: str, source: str):
    """The ranking as `period_ranking` computed it before the per-reporter rankings: `derived.ranked` over the
    period table of that year alone, read by a fresh query object (nothing remembered), sorted by rank."""
    fresh = QueryStore(store_dir).current()
    year, month = parse_period(frequency, period)  # type: ignore[misc]
    table = fresh.period_table(reporter, frequency=frequency, source=source, years=[year])
    now = ranked(table.frame[table.frame["month"] == month], measure)
    total = now["total_usd"].iloc[0] if len(now) else math.nan
    now = now.drop(columns=["total_usd", "partners_ranked"]).sort_values(
        ["rank", "value"], ascending=[True, False], na_position="last", kind="stable"
    )
    fresh.close()
    return now.reset_index(drop=True), total


CASES = [
    ("annual", "imf_dots", period) for period in ("2017", "2018", "2019", "2020")
] + [
    ("cumulative", "customs_az", period) for period in ("2019-06", "2019-07", "2020-06", "2020-07")
] + [("monthly", "imf_imts", period) for period in ("2019-01", "2020-03")]  # fmt: skip


@pytest.mark.parametrize(("frequency", "source", "period"), CASES)
def test_every_ranking_equals_the_definitions(
    queries: TradeQueries, store_dir: Path, frequency: str, source: str, period: str
) -> None:
    for measure in MEASURES:
        ranking = queries.period_ranking("AZE", period, frequency=frequency, measure=measure, source=source)
        frame, total = expected_ranking(store_dir, "AZE", period, frequency, measure, source)
        # No rows in the period: the same columns (an empty read's dtypes are DuckDB's, immaterial).
        pd.testing.assert_frame_equal(ranking.frame, frame, check_dtype=not frame.empty)
        assert ranking.partners_ranked == int(frame["rank"].notna().sum())
        assert (ranking.total_usd is None) == pd.isna(total)
        assert ranking.total_usd is None or ranking.total_usd == total


def test_ties_missing_years_and_zero_totals_by_hand(queries: TradeQueries) -> None:
    ranking = queries.period_ranking("AZE", "2019", measure="turnover")
    rows = ranking.frame.set_index("partner")
    # ITA and TUR tie at 500: both first, RUS (500 too, exports only) as well; SUN fourth; EUU a group.
    assert rows.loc[["ITA", "TUR", "RUS", "SUN"], "rank"].tolist() == [1, 1, 1, 4]
    assert rows.loc["EUU", "rank"] is pd.NA and rows.loc["EUU", "share"] == 1150 / 2000
    assert ranking.frame["partner"].tolist()[:3] == ["ITA", "RUS", "TUR"]  # ties in table order
    assert rows.loc["ITA", "share"] == 0.25 and ranking.partners_ranked == 4
    assert rows.loc["ITA", "turnover_previous"] == 500 * M and rows.loc["ITA", "turnover_change"] == 0
    # No 2018 row: no change, never a change from 0.
    russia = rows.loc[["RUS"], ["exports_previous", "exports_change", "exports_change_pct"]]
    assert russia.isna().all().all()
    exports_2018 = queries.period_ranking("AZE", "2018", measure="exports").frame.set_index("partner")
    # A zero World total: ranked (the table is complete) but no share (no division by zero).
    assert exports_2018.loc[["ITA", "TUR"], "rank"].tolist() == [1, 2]
    assert exports_2018["share"].isna().all()
    no_world = queries.period_ranking("AZE", "2020", measure="turnover")
    assert no_world.total_basis is None and no_world.partners_ranked == 0
    assert no_world.frame["rank"].isna().all() and no_world.frame["share"].isna().all()


def test_rank_history_equals_the_definitions(queries: TradeQueries, store_dir: Path) -> None:
    partners = ["TUR", "RUS", "ITA", "EUU", "XXX"]
    history = queries.rank_history("AZE", partners, frequency="annual")
    fresh = QueryStore(store_dir).current()
    table = fresh.period_table("AZE", frequency="annual").frame
    fresh.close()
    columns = ["partner", "name", "period", "label", "year", "month", "measure", "value", "rank", "share",
               "partners_ranked"]  # fmt: skip
    parts = [ranked(table, m).assign(measure=m) for m in MEASURES]
    expected = pd.concat([p[p["partner"].isin(partners)] for p in parts], ignore_index=True)[columns]
    order = {p: i for i, p in enumerate(partners)}
    expected = expected.sort_values(
        ["partner", "measure", "year", "month"], key=lambda c: c.map(order) if c.name == "partner" else c
    ).reset_index(drop=True)
    expected["rank"] = expected["rank"].astype("Int64")
    pd.testing.assert_frame_equal(history, expected)
    assert history["partner"].drop_duplicates().tolist() == ["TUR", "RUS", "ITA", "EUU"]
    assert queries.rank_history("AZE", []).empty and queries.rank_history("AZE", ["XXX"]).empty


def test_source_note_of_a_year_is_the_one_query_note(queries: TradeQueries, store_dir: Path) -> None:
    fresh = QueryStore(store_dir).current()
    for year, annual in ((2019, True), (2020, True), (2017, True), (2019, False), (2020, False)):
        source = "imf_dots" if annual else "customs_az"
        note = queries.source_note("AZE", year=year, source=source, annual=annual)
        # The same selection asked with an explicit partner list of every partner: the general query.
        everyone = [a.code for a in fresh.partner_options("AZE", source=source)]
        assert note == fresh.source_note("AZE", partners=everyone, year=year, source=source, annual=annual)
    assert queries.source_note("AZE", year=2017, source="imf_dots") is None
    fresh.close()


def test_a_new_publish_gives_new_rankings(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    publish_rows(store_dir, ROWS, period_rows=())
    store = QueryStore(store_dir)
    before = store.current()
    assert before.period_ranking("AZE", "2019", measure="exports").frame["partner"].iloc[0] == "RUS"
    revised = [r if r[:4] != ("AZE", "ITA", "export", 2019) else ("AZE", "ITA", "export", 2019, 800 * M)
               for r in ROWS]  # fmt: skip
    publish_rows(store_dir, revised, period_rows=())
    after = store.current()
    assert after is not before
    top = after.period_ranking("AZE", "2019", measure="exports").frame.iloc[0]
    assert (top["partner"], top["value"], top["share"]) == ("ITA", 800 * M, 0.8)
    # The retired version still answers its own numbers to the requests holding it.
    assert before.period_ranking("AZE", "2019", measure="exports").frame["partner"].iloc[0] == "RUS"
    store.close()


def test_the_cache_computes_a_reporter_once_for_concurrent_askers(queries: TradeQueries) -> None:
    cache = RankingsCache()
    calls: list[int] = []
    gate = threading.Event()

    def compute() -> ReporterRankings:
        calls.append(1)
        gate.wait(1)
        return queries.reporter_rankings("AZE", frequency="annual", source="imf_dots")

    answers: list[ReporterRankings] = []
    asking: list[Callable[[], None]] = [lambda: answers.append(cache.get("AZE", compute)) for _ in range(4)]
    threads = [threading.Thread(target=ask) for ask in asking]
    for thread in threads:
        thread.start()
    gate.set()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len(answers) == 4 and all(a is answers[0] for a in answers)


def test_a_prepared_version_answers_the_same_without_a_query_for_rankings(store_dir: Path) -> None:
    store = QueryStore(store_dir)
    assert store.prepare() == 1  # AZE, the one reporter of this store
    prepared = store.current()
    # Released: the next question opens a connection again, and the rankings are kept, not recomputed.
    assert not prepared._connections
    kept = prepared.reporter_rankings("AZE", frequency="annual", source="imf_dots")
    assert prepared._rankings.kept_bytes() > 0 and not prepared._connections
    for period in ("2018", "2019", "2020"):
        for measure in MEASURES:
            frame, _ = expected_ranking(store_dir, "AZE", period, "annual", measure, "imf_dots")
            asked = prepared.period_ranking("AZE", period, measure=measure)
            pd.testing.assert_frame_equal(asked.frame, frame)
    # Its note was read before serving too; other questions still reach the store.
    assert prepared.source_note("AZE", year=2019, source="imf_dots") is not None
    assert not prepared._connections
    assert prepared.periods("AZE", frequency="monthly", source="imf_imts")
    assert prepared._connections and kept is prepared.reporter_rankings(
        "AZE", frequency="annual", source="imf_dots"
    )
    store.close()
    with pytest.raises(StoreError, match="closed"):
        prepared.periods("AZE", frequency="cumulative", source="customs_az")


def test_ranking_every_reporter_at_once_gives_what_each_reporter_alone_gives(tmp_path: Path) -> None:
    """`rank_every_reporter` reads the reporters' sources and note groups in one query and their years a chunk
    of reporters per query; each reporter's table, rankings, sources and source notes are those a fresh
    version gives it asked alone."""
    codes = [f"R{i:02d}" for i in range(answers._READ_AHEAD + 3)]  # more than one chunk
    rows: list[Row] = [*ROWS]
    for i, code in enumerate(codes):
        for year in (2018, 2019, 2020):
            rows += [(code, "ITA", "export", year, (i + year % 7) * M), (code, "TUR", "import", year, 5 * M)]
            rows += [(code, "WLD", "export", year, 90 * M), (code, "WLD", "import", year, 60 * M)]
        if i % 4 == 0:  # a flow missing, a tie, an estimate
            rows += [(code, "RUS", "export", 2019, 5 * M, "estimated")]
    areas = (*AREAS, *((code, f"Reporter {code}", "country") for code in codes))
    store_dir = tmp_path / "store"
    publish_rows(store_dir, rows, period_rows=PERIOD_ROWS, areas=areas)
    ahead = QueryStore(store_dir).current()
    ahead.period_table(codes[1], frequency="annual", source="imf_dots")  # known before: its years not taken
    assert ahead.rank_every_reporter() == len(codes) + 1  # and AZE
    assert ahead._years_read_ahead == {}  # nothing read ahead is left behind
    alone = QueryStore(store_dir).current()
    for code in ["AZE", *codes]:
        for frequency in FREQUENCIES:
            assert ahead.available_sources(code, frequency) == alone.available_sources(code, frequency)
        source = alone.source_for(code, "annual")
        assert source is not None
        pd.testing.assert_frame_equal(
            ahead.period_table(code, frequency="annual", source=source).frame,
            alone.period_table(code, frequency="annual", source=source).frame,
        )
        kept = ahead.reporter_rankings(code, frequency="annual", source=source)
        fresh = alone.reporter_rankings(code, frequency="annual", source=source)
        for measure in MEASURES:
            pd.testing.assert_frame_equal(kept.ranked_tables[measure], fresh.ranked_tables[measure])
            assert (kept.orders[measure] == fresh.orders[measure]).all()
        for year in (2017, 2018, 2019, 2020):  # the notes of every year, from note groups read all at once
            note = ahead.source_note(code, year=year, source=source)
            assert note == alone.source_note(code, year=year, source=source)
    for frequency in FREQUENCIES:
        every = alone.sources_of_every_reporter(frequency)
        assert every == {c: s for c in ["AZE", *codes] if (s := alone.available_sources(c, frequency))}


def test_kept_rankings_outlive_the_bounded_part(queries: TradeQueries) -> None:
    cache = RankingsCache(max_bytes=1)  # nothing fits in the bounded part
    calls: list[int] = []

    def compute() -> ReporterRankings:
        calls.append(1)
        return queries.reporter_rankings("AZE", frequency="annual", source="imf_dots")

    cache.get("AZE", compute)
    cache.get("AZE", compute)
    assert len(calls) == 2 and cache.kept_bytes() == 0  # answered, not remembered
    kept = cache.keep("AZE", compute)
    assert cache.get("AZE", lambda: pytest.fail("recomputed")) is kept and cache.kept_bytes() > 0
    assert len(calls) == 3


def test_a_forked_worker_answers_from_the_prepared_version(store_dir: Path) -> None:
    """What gunicorn's preload does (gunicorn.conf.py): prepare in the parent, fork, ask in the child."""
    store = QueryStore(store_dir)
    store.prepare()
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        try:
            queries = store.current()
            top = queries.period_ranking("AZE", "2019", measure="exports").frame["partner"].iloc[0]
            months = queries.periods("AZE", frequency="monthly", source="imf_imts")
            os.write(writing, f"{top} {len(months)}".encode())
        finally:
            os._exit(0)
    os.close(writing)
    _, status = os.waitpid(child, 0)
    answer = os.read(reading, 100).decode()
    os.close(reading)
    assert os.WEXITSTATUS(status) == 0 and answer.split()[0] == "RUS" and int(answer.split()[1]) > 0
    # The parent's version is still usable after the fork.
    assert store.current().period_ranking("AZE", "2019", measure="exports").frame["partner"].iloc[0] == "RUS"
    store.close()


@pytest.mark.parametrize(("frequency", "source", "period"), CASES)
def test_a_top_cut_is_the_top_of_the_whole_ranking(
    queries: TradeQueries, frequency: str, source: str, period: str
) -> None:
    for measure in MEASURES:
        whole = queries.period_ranking("AZE", period, frequency=frequency, measure=measure, source=source)
        for top in (0, 1, 2, 10):
            for include in (None, "SUN", "TUR", "EUU", "XXX"):
                cut = queries.period_ranking(
                    "AZE",
                    period,
                    frequency=frequency,
                    measure=measure,
                    source=source,
                    top=top,
                    include=include,
                )
                expected = top_of(whole.frame, top, include=include) if len(whole.frame) else whole.frame
                pd.testing.assert_frame_equal(cut.frame, expected, check_dtype=not expected.empty)
                assert (cut.total_usd, cut.partners_ranked) == (whole.total_usd, whole.partners_ranked)


@pytest.mark.parametrize(("frequency", "source", "period"), CASES)
def test_a_partners_cut_is_its_row_of_the_whole_ranking(
    queries: TradeQueries, frequency: str, source: str, period: str
) -> None:
    """`partner=` (the KPI cards and the data notes ask it): that partner's row, the period's totals and
    warnings, whichever path the ranking takes (cumulative figures with derivation warnings take another)."""
    for measure in MEASURES:
        whole = queries.period_ranking("AZE", period, frequency=frequency, measure=measure, source=source)
        for partner in [*whole.frame["partner"].astype(str), "EUU", "WLD", "XXX"]:
            cut = queries.period_ranking(
                "AZE", period, frequency=frequency, measure=measure, source=source, partner=partner
            )
            expected = whole.frame[whole.frame["partner"] == partner].reset_index(drop=True)
            pd.testing.assert_frame_equal(cut.frame, expected, check_dtype=not expected.empty)
            assert (cut.total_usd, cut.partners_ranked, cut.warnings) == (
                whole.total_usd,
                whole.partners_ranked,
                whole.warnings,
            )


def test_a_note_of_some_partners_over_every_year_is_the_general_querys(store_dir: Path) -> None:
    """Their note is cut from every partner's remembered groups: the same note as the query of their rows."""
    cut, general = QueryStore(store_dir).current(), QueryStore(store_dir).current()
    for source, annual in (("imf_dots", True), ("customs_az", False)):
        everyone = [a.code for a in general.partner_options("AZE", source=source)]
        for partners in [[p] for p in everyone] + [everyone[:3], ["EUU"], ["XXX"], ["ITA", "XXX", "ITA"]]:
            asked = cut.source_note("AZE", partners=partners, source=source, annual=annual)
            # A year for every year of the store: the general query (`year` is its only other filter).
            years = [general.source_note("AZE", partners=partners, year=y, source=source, annual=annual)
                     for y in range(2015, 2022)]  # fmt: skip
            found = [n for n in years if n is not None]
            if not found:
                assert asked is None, partners
                continue
            assert asked is not None and asked.has_estimates == any(n.has_estimates for n in found)
            assert set(asked.releases) == {r for n in found for r in n.releases}
            valuations: dict[str, set[str]] = {}
            for note in found:
                for flow, valuation in note.valuations:
                    valuations.setdefault(flow, set()).update(valuation.split("/"))
            assert asked.valuations == tuple((f, "/".join(sorted(v))) for f, v in sorted(valuations.items()))
            assert (
                asked.attributions == found[0].attributions and asked.reporter_name == found[0].reporter_name
            )
