"""Periods, sources, groups and ranks over time, recomputed by hand from tiny frames and PERIOD_ROWS."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from dashboard.queries.answers import TradeQueries
from dashboard.queries.derived import paired_periods, paired_years, with_same_period_a_year_earlier
from dashboard.queries.groups import PartnerGroup, load_partner_groups
from dashboard.queries.periods import parse_period, period_label, period_values
from dashboard.queries.store import QueryStore
from tests.dashboard.stores import PERIOD_ROWS, TINY_ROWS, M, publish_rows

REPO = Path(__file__).resolve().parents[3]


def rows(*pieces: tuple[str, str, str, str, float]) -> pd.DataFrame:
    """(partner, flow, start, end, value in millions) -> stored rows of one source."""
    return pd.DataFrame(
        [
            {
                "partner": p,
                "flow": f,
                "period_start": s,
                "period_end": e,
                "value_usd": v * M,
                "status": "reported",
                "origin": f"file!{s}!{e}",
            }
            for p, f, s, e, v in pieces
        ]
    )


def as_tuples(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    return [
        (p, f, y, m, v / M, d)
        for p, f, y, m, v, d in zip(
            frame["partner"], frame["flow"], frame["year"], frame["month"], frame["value_usd"], frame["derived"],
            strict=True,
        )
    ]  # fmt: skip


CUMULATIVES = rows(
    ("ITA", "export", "2020-01", "2020-01", 100),
    ("ITA", "export", "2020-01", "2020-02", 250),
    ("ITA", "export", "2020-01", "2020-03", 330),
)


def test_months_from_cumulatives_by_difference() -> None:
    months, warnings = period_values(CUMULATIVES, "monthly")
    # Jan is stored (Jan–Jan is a month); Feb = 250 − 100; Mar = 330 − 250.
    assert as_tuples(months) == [
        ("ITA", "export", 2020, 1, 100.0, False),
        ("ITA", "export", 2020, 2, 150.0, True),
        ("ITA", "export", 2020, 3, 80.0, True),
    ]
    assert months["origin"].tolist() == [
        "file!2020-01!2020-01",
        "Jan–Feb 2020 − Jan 2020",
        "Jan–Mar 2020 − Jan–Feb 2020",
    ]
    assert warnings == ()


def test_stored_cumulatives_are_kept_and_not_derived() -> None:
    cumulative, _ = period_values(CUMULATIVES, "cumulative")
    assert [(m, v, d) for _, _, _, m, v, d in as_tuples(cumulative)] == [
        (1, 100.0, False),
        (2, 250.0, False),
        (3, 330.0, False),
    ]
    assert period_values(CUMULATIVES, "annual")[0].empty  # no December: no year


def test_cumulatives_from_complete_months_only() -> None:
    months = rows(
        ("TUR", "import", "2019-01", "2019-01", 10),
        ("TUR", "import", "2019-02", "2019-02", 20),
        ("TUR", "import", "2019-04", "2019-04", 40),  # March missing: no Jan–Apr
    )
    cumulative, _ = period_values(months, "cumulative")
    assert as_tuples(cumulative) == [
        ("TUR", "import", 2019, 1, 10.0, False),
        ("TUR", "import", 2019, 2, 30.0, True),
    ]
    assert cumulative["origin"].tolist()[1] == "Jan 2019 + Feb 2019"


def test_quarters_chain_a_cumulative_and_twelve_months_make_a_year() -> None:
    quarters = rows(
        ("RUS", "export", "2018-01", "2018-03", 30),  # Q1 is the cumulative to March
        ("RUS", "export", "2018-04", "2018-06", 45),
        ("RUS", "export", "2018-07", "2018-09", 60),
        ("RUS", "export", "2018-10", "2018-12", 75),
    )
    cumulative, _ = period_values(quarters, "cumulative")
    assert [(m, v, d) for *_, m, v, d in as_tuples(cumulative)] == [
        (3, 30.0, False), (6, 75.0, True), (9, 135.0, True), (12, 210.0, True)
    ]  # fmt: skip
    annual, _ = period_values(quarters, "annual")
    assert as_tuples(annual) == [("RUS", "export", 2018, 12, 210.0, True)]
    assert period_values(quarters, "monthly")[0].empty  # a quarter is not split into months
    twelve = rows(*(("ISR", "export", f"2017-{m:02d}", f"2017-{m:02d}", m) for m in range(1, 13)))
    assert as_tuples(period_values(twelve, "annual")[0]) == [("ISR", "export", 2017, 12, 78.0, True)]


def test_a_falling_cumulative_warns_instead_of_a_negative_month() -> None:
    falling = rows(
        ("TUR", "import", "2020-01", "2020-06", 800),
        ("TUR", "import", "2020-01", "2020-07", 780),
    )
    months, warnings = period_values(falling, "monthly")
    assert months.empty  # no July of −20 m
    assert [(w.partner, w.flow, w.year, w.earlier, w.later) for w in warnings] == [
        ("TUR", "import", 2020, 6, 7)
    ]
    assert [str(w) for w in warnings] == [
        "TUR imports: Jan–Jul 2020 (780,000,000 USD) is smaller than Jan–Jun 2020 (800,000,000 USD); "
        "no month is derived between them"
    ]
    # The page and the exports write it in their language, from the fields.
    from dashboard.narrative import falling_cumulative_text

    assert falling_cumulative_text(warnings[0], "ru", "Турция") == (
        "Турция, импорт: янв.–июль 2020 (780\u00a0млн\u00a0$) меньше, чем янв.–июнь 2020 (800\u00a0млн\u00a0$); "
        "месяцы между ними не выводятся"
    )
    assert falling_cumulative_text(warnings[0], "it").startswith("Turchia, importazioni: gen–lug 2020 (")


def test_the_december_of_a_year_is_the_year_minus_january_to_november() -> None:
    stored = rows(("ITA", "import", "2019-01", "2019-11", 900), ("ITA", "import", "2019-01", "2019-12", 1000))
    months, _ = period_values(stored, "monthly")
    assert as_tuples(months) == [("ITA", "import", 2019, 12, 100.0, True)]


def test_pairs_and_the_same_period_a_year_earlier() -> None:
    values, _ = period_values(
        rows(
            ("ITA", "export", "2019-01", "2019-07", 2800),
            ("ITA", "import", "2019-01", "2019-07", 210),
            ("ITA", "export", "2020-01", "2020-07", 1750),
            ("ITA", "import", "2020-01", "2020-07", 170),
            ("TUR", "export", "2020-01", "2020-07", 520),
        ),
        "cumulative",
    )
    table = with_same_period_a_year_earlier(paired_periods(values))
    italy = table[(table["partner"] == "ITA") & (table["year"] == 2020)].iloc[0]
    assert (italy["turnover"], italy["balance"]) == (1920 * M, 1580 * M)
    assert italy["turnover_previous"] == 3010 * M
    assert italy["turnover_change"] == -1090 * M
    assert italy["turnover_change_pct"] == pytest.approx(-1090 / 3010, rel=1e-12)
    assert italy["balance_change"] == (1580 - 2590) * M
    turkey = table[table["partner"] == "TUR"].iloc[0]
    assert (turkey["turnover"], bool(turkey["partial"])) == (520 * M, True)
    assert math.isnan(turkey["balance"]) and math.isnan(turkey["turnover_previous"])


def test_period_keys_and_labels() -> None:
    assert parse_period("annual", "2019") == (2019, 12)
    assert parse_period("monthly", "2020-07") == (2020, 7)
    assert parse_period("cumulative", "2020-13") is None
    assert parse_period("annual", "2020-07") is None
    assert parse_period("monthly", "'; DROP") is None
    assert period_label("cumulative", 2020, 7) == "Jan–Jul 2020"
    assert period_label("monthly", 2020, 7) == "Jul 2020"
    assert period_label("cumulative", 2020, 1) == "Jan 2020"


# --- the query layer on the tiny store (TINY_ROWS + PERIOD_ROWS) ------------------------------------------


def test_source_preference_per_reporter_and_frequency(queries: TradeQueries, tiny_store: Path) -> None:
    # customs_az and imf_imts have no December: the annual figures stay with imf_dots.
    assert queries.available_sources("AZE", "annual") == ("imf_dots",)
    assert queries.available_sources("AZE", "monthly") == ("customs_az", "imf_imts")
    assert queries.source_for("AZE", "cumulative") == "customs_az"
    assert queries.source_for("AZE", "cumulative", wanted="imf_imts") == "imf_imts"
    assert (
        queries.source_for("AZE", "cumulative", wanted="comtrade") == "customs_az"
    )  # no data: the preferred
    assert queries.frequencies("AZE") == ("annual", "monthly", "cumulative")
    assert queries.frequencies("ITA") == ("annual",)
    reordered = QueryStore(tiny_store, preference=("imf_imts", "customs_az")).current()
    try:
        assert reordered.source_for("AZE", "monthly") == "imf_imts"
    finally:
        reordered.close()


def test_cumulative_kpis_with_the_same_period_a_year_earlier(queries: TradeQueries) -> None:
    kpis = queries.period_kpis("AZE", "ITA", frequency="cumulative", period="2020-07")
    assert kpis is not None and kpis.source == "customs_az"
    assert (kpis.period_label, kpis.previous_label) == ("Jan–Jul 2020", "Jan–Jul 2019")
    assert kpis.exports.value == 1750 * M and kpis.imports.value == 170 * M
    assert kpis.turnover.value == 1920 * M
    assert kpis.turnover.previous == 3010 * M  # 2,800 + 210
    assert kpis.turnover.change_pct == pytest.approx(-1090 / 3010, rel=1e-12)
    assert kpis.total_turnover == 6300 * M  # World: 3,500 + 2,800
    assert kpis.share == pytest.approx(1920 / 6300, rel=1e-12)
    assert (kpis.rank, kpis.partners_ranked) == (1, 2)
    assert kpis.exports.origin == "customs_az_2020-01_2020-07.xlsx!'export'!B29"  # row 28 of the store
    assert kpis.derived is False


def test_derived_month_kpis_and_the_warning(queries: TradeQueries) -> None:
    kpis = queries.period_kpis("AZE", "ITA", frequency="monthly", period="2020-07")
    assert kpis is not None and kpis.derived is True
    assert kpis.exports.value == 250 * M  # 1,750 − 1,500
    assert kpis.turnover.value == 270 * M  # + (170 − 150)
    assert kpis.turnover.previous == 430 * M  # (2,800 − 2,400) + (210 − 180)
    assert kpis.share == pytest.approx(270 / 900, rel=1e-12)  # World July: 500 + 400
    ranking = queries.period_ranking("AZE", "2020-07", frequency="monthly")
    assert ranking.frame["partner"].tolist()[:2] == ["ITA", "TUR"]
    turkey = ranking.frame[ranking.frame["partner"] == "TUR"].iloc[0]
    assert (turkey["turnover"], bool(turkey["partial"])) == (70 * M, True)  # imports: no July (see warning)
    assert any("TUR imports: Jan–Jul 2020" in str(w) for w in ranking.warnings)
    assert queries.periods("AZE", frequency="monthly") == ("2019-07", "2020-07")


def test_another_source_on_request(queries: TradeQueries) -> None:
    table = queries.period_table("AZE", frequency="cumulative", source="imf_imts", partners=["ITA"])
    march = table.frame[table.frame["period"] == "2020-03"].iloc[0]
    assert march["turnover"] == 825 * M  # (300 + 250 + 200) + (20 + 30 + 25)
    assert march["turnover_previous"] == 1010 * M  # (350 + 300 + 280) + (25 + 25 + 30)
    assert bool(march["derived"]) is True
    assert march["label"] == "Jan–Mar 2020"


def test_annual_period_ranking_matches_the_sql_ranking(queries: TradeQueries) -> None:
    ranking = queries.period_ranking("AZE", "2019", frequency="annual", measure="imports")
    ranked = ranking.frame[ranking.frame["rank"].notna()]
    assert ranked["partner"].tolist() == ["RUS", "TUR", "ITA"]
    assert ranked["rank"].tolist() == [1, 2, 3]
    assert ranked["share"].tolist() == pytest.approx([1800 / 5000, 1500 / 5000, 400 / 5000], rel=1e-12)
    assert ranking.label == "2019" and ranking.source == "imf_dots"


def test_rank_over_time_for_each_measure(queries: TradeQueries) -> None:
    history = queries.rank_history("AZE", ["TUR", "RUS"], frequency="annual")
    turkey = history[(history["partner"] == "TUR")]
    by = {(m, y): r for m, y, r in zip(turkey["measure"], turkey["year"], turkey["rank"], strict=True)}
    # 2017 has no World row: no ranks. 2018 turnover: ITA 4,300, TUR 2,100, RUS 200. 2019: ITA, TUR, RUS.
    assert pd.isna(by[("turnover", 2017)])
    assert (by[("turnover", 2018)], by[("turnover", 2019)]) == (2, 2)
    assert (by[("exports", 2018)], by[("imports", 2018)]) == (2, 1)  # imports 2018: TUR 1,200 > ITA 300
    assert by[("imports", 2019)] == 2  # RUS 1,800 > TUR 1,500
    russia = history[(history["partner"] == "RUS") & (history["measure"] == "imports")]
    assert russia["rank"].tolist()[-1] == 1
    assert russia["share"].tolist()[-1] == pytest.approx(1800 / 5000, rel=1e-12)


def test_groups_summed_from_members_valid_that_year(queries: TradeQueries) -> None:
    table = queries.period_table("AZE", frequency="annual", partners=["XTS", "EUU"])
    frame = table.frame
    assert table.summed_groups == ("XTS",)  # IMF has an EUU row: it is used, not a sum
    turkic = frame[frame["partner"] == "XTS"]
    assert turkic["turnover"].tolist() == [1800 * M, 2100 * M, 2500 * M]  # Türkiye alone among the members
    assert turkic["derived"].all() and turkic["name"].iloc[0] == "Organization of Turkic States"
    assert turkic["exports_origin"].iloc[0] == "sum of 1 member: TUR"
    eu = frame[frame["partner"] == "EUU"]
    assert eu["turnover"].tolist() == [6000 * M, 7200 * M] and not eu["derived"].any()
    options = [a.code for a in queries.group_options("AZE")]
    assert options == ["XCI", "XOI", "XTS"]  # CIS (RUS), OIC (TUR), Turkic States (TUR); EUU is stored


def test_membership_years() -> None:
    groups = load_partner_groups(REPO / "data" / "reference" / "partner_groups.csv")
    eu = groups["EUU"]
    assert "GBR" in eu.members_in(2019) and "GBR" not in eu.members_in(2020)
    assert "HRV" not in eu.members_in(2012) and "HRV" in eu.members_in(2013)
    assert len(eu.members_in(2020)) == 27 and len(eu.members_in(1995)) == 15
    assert "GEO" in groups["XCI"].members_in(2008) and "GEO" not in groups["XCI"].members_in(2009)
    assert len(groups["XOI"].members_in(2000)) == 57
    group = PartnerGroup("XXG", "Test", (("ITA", 2018, None), ("TUR", None, 2018)), "test")
    values, _ = period_values(
        rows(
            ("ITA", "export", "2017-01", "2017-12", 1),
            ("ITA", "export", "2018-01", "2018-12", 2),
            ("TUR", "export", "2018-01", "2018-12", 30),
            ("TUR", "export", "2019-01", "2019-12", 40),
        ),
        "annual",
    )
    summed = group.summed(values)
    # 2017: Italy not yet a member, Türkiye has no row; 2019: Türkiye no longer, Italy no row -> absent.
    assert list(zip(summed["year"], summed["value_usd"] / M, strict=True)) == [(2018, 32.0)]


def test_bad_group_file_names_the_row(tmp_path: Path) -> None:
    bad = tmp_path / "groups.csv"
    bad.write_text(
        "group,group_name,member,from_year,to_year,reference\nEUU,EU,ITA,soon,,x\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="data row 2"):
        load_partner_groups(bad)


def test_sources_overview(queries: TradeQueries) -> None:
    overview = queries.sources_overview()
    assert overview["source"].tolist() == ["customs_az", "imf_imts", "imf_dots"]
    assert overview["stored_rows"].tolist() == [24, 12, 24]
    assert overview["licence"].tolist()[0] == "Public information"


def test_a_new_version_is_never_answered_from_an_old_table(tiny_store: Path) -> None:
    store = QueryStore(tiny_store)
    try:
        queries = store.current()
        before = queries.period_table("AZE", frequency="cumulative", partners=["ITA"]).frame
        assert before.loc[before["period"] == "2020-07", "exports"].item() == 1750 * M
        before["exports"] = 0.0  # a caller changing its copy changes nothing for the next one
        again = queries.period_table("AZE", frequency="cumulative", partners=["ITA"]).frame
        assert again.loc[again["period"] == "2020-07", "exports"].item() == 1750 * M
        revised = [r if r[:6] != ("customs_az", "AZE", "ITA", "export", "2020-01", "2020-07") else (*r[:6], 1800 * M)
                   for r in PERIOD_ROWS]  # fmt: skip
        publish_rows(tiny_store, TINY_ROWS, period_rows=revised)
        after = store.current().period_table("AZE", frequency="cumulative", partners=["ITA"]).frame
        assert after.loc[after["period"] == "2020-07", "exports"].item() == 1800 * M
        # A request that read the pointer before the refresh finishes on its own version, from its own cache.
        held = queries.period_table("AZE", frequency="cumulative", partners=["ITA"]).frame
        assert held.loc[held["period"] == "2020-07", "exports"].item() == 1750 * M
        assert store.current() is not queries
    finally:
        store.close()


def test_the_one_query_for_stored_years_equals_the_general_path(queries: TradeQueries) -> None:
    """A reporter whose years are all stored gets its annual table from one SQL query (`stored_years`,
    for speed) and derives its numbers as every path does; it must be the general path's frame
    (period_values → paired_periods → year before)."""
    checked = 0
    for reporter in [a.code for a in queries.reporters()]:
        for source in queries.available_sources(reporter, "annual"):
            if queries.years_need_months(reporter, source):
                continue
            for years in (None, [2018, 2019]):
                pairs = queries.stored_years(reporter, source, partners=None, years=years)
                fast = with_same_period_a_year_earlier(paired_years(pairs))
                rows = queries.stored_rows(reporter, source, partners=None, years=years)
                general = with_same_period_a_year_earlier(paired_periods(period_values(rows, "annual")[0]))
                pd.testing.assert_frame_equal(fast, general)
                checked += 1
    assert checked >= 4
    # Azerbaijan's customs figures are January–month cumulatives: its years are chained, never the query.
    assert queries.years_need_months("AZE", "customs_az")


def test_which_years_need_months_is_its_definition_for_every_reporter(queries: TradeQueries) -> None:
    """Read for every reporter in one pass: the same answer as asking the rows of each (reporter, source):
    a partner and flow with rows inside a calendar year and no stored row for the whole year."""
    found = []
    for reporter in [a.code for a in queries.reporters()]:
        for frequency in ("annual", "monthly", "cumulative"):
            for source in queries.available_sources(reporter, frequency):
                rows = queries.stored_rows(reporter, source, partners=None, years=None)
                rows = rows[rows["partner"] != reporter]
                start, end = rows["period_start"].astype(str), rows["period_end"].astype(str)
                inside = rows[start.str[:4] == end.str[:4]].assign(
                    year=start.str[:4], whole=(start.str[5:7] == "01") & (end.str[5:7] == "12")
                )
                wholes = inside.groupby(["partner", "flow", "year"])["whole"].any()
                expected = bool((~wholes).any())
                assert queries.years_need_months(reporter, source) is expected, (reporter, source)
                found.append(expected)
    assert True in found and False in found


def test_a_years_table_read_from_the_kept_whole_table_is_the_one_computed_alone(tiny_store: Path) -> None:
    for frequency, year in (("annual", 2019), ("annual", 2018), ("monthly", 2020), ("cumulative", 2019)):
        alone = QueryStore(tiny_store).current()
        kept = QueryStore(tiny_store).current()
        kept.period_table("AZE", frequency=frequency)  # what the page's period list reads first
        pd.testing.assert_frame_equal(
            alone.period_table("AZE", frequency=frequency, years=[year]).frame,
            kept.period_table("AZE", frequency=frequency, years=[year]).frame,
        )
        alone.close()
        kept.close()
