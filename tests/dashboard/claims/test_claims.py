"""The claim checker on hand-made claims and texts; every expected value recomputed from mirror_stores.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard import claims
from dashboard.claims import Claim, Period
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from tests.dashboard.mirror_stores import CUSTOMS_RELEASE, CUSTOMS_ROWS, MIRROR_ROWS, M, publish_flows

EXAMPLE = (
    "Italy was Azerbaijan's main trading partner in January–July 2020, with turnover of $3.7 billion; "
    "exports to Italy amounted to $933.2 million."
)
NAMES = {
    "Azerbaijan": "AZE",
    "Italy": "ITA",
    "Türkiye": "TUR",
    "Turkey": "TUR",
    "Russia": "RUS",
    "Georgia": "GEO",
    "France": "FRA",
    "World": "WLD",
}
JAN_JUL_2020 = Period("2020-01", "2020-07")


def _queries(store_dir: Path, rows: tuple[tuple[object, ...], ...]) -> Iterator[TradeQueries]:
    publish_flows(store_dir, rows)
    queries = QueryStore(store_dir).current()
    yield queries
    queries.close()


@pytest.fixture
def annual_queries(tmp_path: Path) -> Iterator[TradeQueries]:
    """Only annual IMF rows: January–July 2020 is not in the data."""
    yield from _queries(tmp_path / "annual", MIRROR_ROWS)


@pytest.fixture
def customs_queries(tmp_path: Path) -> Iterator[TradeQueries]:
    """Annual IMF rows plus customs' January–June and January–July 2020 cumulatives."""
    yield from _queries(tmp_path / "customs", MIRROR_ROWS + CUSTOMS_ROWS)


# --- periods ----------------------------------------------------------------------------------------------------


def test_periods() -> None:
    assert Period.year(2020) == Period("2020-01", "2020-12")
    assert Period.year(2020).label == "2020" and Period.year(2020).phrase == "the whole of 2020"
    assert JAN_JUL_2020.label == "January\u2013July 2020" and JAN_JUL_2020.is_cumulative
    assert Period.month(2020, 7).label == "July 2020" and not Period.month(2020, 7).is_cumulative
    assert Period.year(2020).contains(JAN_JUL_2020) and not JAN_JUL_2020.contains(Period.year(2020))


# --- extraction -------------------------------------------------------------------------------------------------


def test_the_issue_paragraph_is_read_as_three_claims() -> None:
    found = claims.extract_claims(EXAMPLE, names=NAMES)
    assert [(c.measure, c.partner, c.period, c.text) for c in found] == [
        ("rank", "ITA", JAN_JUL_2020, "main trading partner"),
        ("turnover", "ITA", JAN_JUL_2020, "$3.7 billion"),
        ("exports", "ITA", JAN_JUL_2020, "$933.2 million"),
    ]
    rank, turnover, exports = found
    assert rank.value == 1 and rank.basis == "turnover"
    assert turnover.value == 3.7e9 and turnover.tolerance == pytest.approx(0.05e9)
    assert exports.value == pytest.approx(933.2e6) and exports.tolerance == pytest.approx(0.05e6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Exports to Italy were 933.2 million in 2017.", ("exports", 933.2e6, 0.05e6, Period.year(2017))),
        (
            "In the first half of 2020 imports from Italy were $150 million.",
            ("imports", 150e6, 0.5e6, Period("2020-01", "2020-06")),
        ),
        (
            "Turnover with Italy reached US$ 1,108.5 million in January-July 2020.",
            ("turnover", 1108.5e6, 0.05e6, JAN_JUL_2020),
        ),
        ("In July 2020 exports to Italy were $120 mln.", ("exports", 120e6, 0.5e6, Period.month(2020, 7))),
        (
            "Exports to Italy in the first seven months of 2020 were $0.93 bn.",
            ("exports", 0.93e9, 0.005e9, JAN_JUL_2020),
        ),
        ("Q1 2020 exports to Italy: $400 million.", ("exports", 400e6, 0.5e6, Period("2020-01", "2020-03"))),
        (
            "Azerbaijan's trade deficit with Russia was $1.5 billion in 2019.",
            ("balance", -1.5e9, 0.05e9, Period.year(2019)),
        ),
        (
            "Italy accounted for 26.36 percent of Azerbaijan's exports in 2020.",
            ("share", 0.2636, 0.00005, Period.year(2020)),
        ),
        (
            "Azerbaijan's total foreign trade turnover was $24.4 billion in 2020.",
            ("turnover", 24.4e9, 0.05e9, Period.year(2020)),
        ),
    ],
)
def test_figures_units_periods_and_measures(text: str, expected: tuple[object, ...]) -> None:
    (claim,) = claims.extract_claims(text, names=NAMES)
    measure, value, tolerance, period = expected
    assert claim.measure == measure
    assert claim.value == pytest.approx(value)
    assert claim.tolerance == pytest.approx(tolerance)
    assert claim.period == period


def test_partner_total_and_share_basis() -> None:
    share, total = claims.extract_claims(
        "Italy accounted for 26.36 percent of Azerbaijan's exports in 2020. Total exports were $13.7 billion.",
        names=NAMES,
    )
    assert (share.partner, share.basis) == ("ITA", "exports")
    assert (total.partner, total.measure, total.period) == (
        "WLD",
        "exports",
        Period.year(2020),
    )  # carried year


def test_context_carries_partner_and_period_and_years_are_not_figures() -> None:
    found = claims.extract_claims(
        "In 2019, trade with Turkey amounted to $4.4 billion. Exports were $2.8 billion, while imports were "
        "$1.5 billion. Growth was 12 percent on 2018.",
        names=NAMES,
    )
    assert [(c.measure, c.partner, c.period, c.value) for c in found] == [
        ("turnover", "TUR", Period.year(2019), 4.4e9),
        ("exports", "TUR", Period.year(2019), 2.8e9),
        ("imports", "TUR", Period.year(2019), 1.5e9),
        ("change", "TUR", Period.year(2019), 0.12),
    ]


def test_quantities_are_not_money_and_ranks_have_ordinals() -> None:
    found = claims.extract_claims(
        "Georgia bought 7 million tonnes in 2019. Türkiye was the second largest trading partner in 2019.",
        names=NAMES,
    )
    assert [(c.measure, c.partner, c.value) for c in found] == [("rank", "TUR", 2.0)]


# --- the form ---------------------------------------------------------------------------------------------------


def test_form_claims() -> None:
    period = claims.form_period("cumulative", "2020", "7")
    assert period == JAN_JUL_2020
    claim = claims.claim_from_form("ITA", "turnover", period=period, value="3.7", unit="billion USD")
    assert (claim.value, claim.tolerance, claim.text) == (3.7e9, pytest.approx(0.05e9), "3.7 billion USD")
    share = claims.claim_from_form("ITA", "share", period=Period.year(2020), value="26.36", unit="percent")
    assert share.value == pytest.approx(0.2636)
    deficit = claims.claim_from_form(
        "RUS", "balance", period=Period.year(2019), value="-1500", unit="million USD"
    )
    assert deficit.value == -1.5e9


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"partner": None}, "partner: choose a partner"),
        ({"measure": "growth"}, "measure: 'growth'"),
        ({"value": "3,7x"}, "value: '3,7x' is not a number"),
        ({"unit": "percent"}, "unit: 'percent' is not one of"),
        ({"measure": "rank", "value": "1.5", "unit": "rank"}, "a rank is a whole number"),
        ({"value": "-3"}, "turnover cannot be negative"),
    ],
)
def test_form_errors_name_the_field(fields: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "partner": "ITA",
        "measure": "turnover",
        "value": "3.7",
        "unit": "billion USD",
    }
    values.update(fields)
    with pytest.raises(claims.FormError, match=message.replace("(", r"\(")):
        claims.claim_from_form(
            values["partner"],
            values["measure"],
            period=Period.year(2020),
            value=values["value"],
            unit=values["unit"],
        )
    with pytest.raises(claims.FormError, match="month: '13'"):
        claims.form_period("month", 2020, "13")
    with pytest.raises(claims.FormError, match="year: 'x'"):
        claims.form_period("year", "x", None)
    with pytest.raises(claims.FormError, match="month: '²'"):  # a digit to str.isdigit(), not to int()
        claims.form_period("month", 2020, "²")


# --- internal consistency ---------------------------------------------------------------------------------------


def _claim(
    measure: str,
    value: float,
    tolerance: float,
    partner: str = "ITA",
    period: Period = JAN_JUL_2020,
    **kw: object,
) -> Claim:
    return Claim(measure, value, tolerance, partner, period, kw.pop("text", f"{measure} {value}"), **kw)  # type: ignore[arg-type]


def test_turnover_must_be_exports_plus_imports_within_rounding() -> None:
    exports, imports = _claim("exports", 800e6, 0.5e6), _claim("imports", 150e6, 0.05e6)
    # $1.0 bn covers 0.95..1.05 bn; 800 + 150 = 950 m is at the edge (slack 0.05e9 + 0.5e6 + 0.05e6): consistent.
    assert claims.internal_findings([_claim("turnover", 1.0e9, 0.05e9), exports, imports]) == []
    (finding,) = claims.internal_findings(
        [_claim("turnover", 1.1e9, 0.05e9, text="$1.1 billion"), exports, imports]
    )
    assert "\u2260" in finding.message and "= $950.0 m" in finding.message


def test_balance_cumulatives_ranks_and_shares_against_each_other() -> None:
    balance = claims.internal_findings(
        [_claim("balance", 700e6, 0.5e6), _claim("exports", 800e6, 0.5e6), _claim("imports", 150e6, 0.5e6)]
    )
    assert len(balance) == 1 and "= $650.0 m" in balance[0].message
    falling = claims.internal_findings(
        [
            _claim("exports", 950e6, 0.5e6, period=Period("2020-01", "2020-06")),
            _claim("exports", 933.2e6, 0.05e6),
        ]
    )
    assert len(falling) == 1 and "cannot fall" in falling[0].message
    rising = [
        _claim("exports", 800e6, 0.5e6, period=Period("2020-01", "2020-06")),
        _claim("exports", 933.2e6, 0.05e6),
    ]
    assert claims.internal_findings(rising) == []
    ranks = claims.internal_findings(
        [
            _claim("rank", 1, 0, partner="TUR", period=Period.year(2019)),
            _claim("turnover", 4.4e9, 0.05e9, partner="TUR", period=Period.year(2019)),
            _claim("turnover", 5.4e9, 0.05e9, partner="ITA", period=Period.year(2019)),
        ]
    )
    assert len(ranks) == 1 and "contradicts larger stated figures" in ranks[0].message
    by_share = claims.internal_findings(
        [
            _claim("rank", 1, 0, partner="TUR", period=Period.year(2019)),
            _claim("share", 0.18, 0.005, partner="TUR", period=Period.year(2019), text="18%"),
            _claim("rank", 2, 0, partner="ITA", period=Period.year(2019)),
            _claim("share", 0.20, 0.005, partner="ITA", period=Period.year(2019), text="20%"),
        ]
    )
    assert [f.message for f in by_share] == [
        "rank #1 by turnover for TUR (18%) contradicts larger stated shares: ITA 20%",
        "TUR ranked above ITA but with a smaller stated share (18% < 20%)",
    ]
    share = claims.internal_findings(
        [
            _claim("share", 0.2636, 0.00005, period=Period.year(2020)),
            _claim("turnover", 4.6e9, 0.05e9, period=Period.year(2020)),
            _claim("turnover", 24.4e9, 0.05e9, partner="WLD", period=Period.year(2020)),
        ]
    )
    # 4.6 / 24.4 = 18.85 %, at most 4.65 / 24.35 = 19.10 %: 26.36 % contradicts the stated values.
    assert len(share) == 1 and "(= 18.85%)" in share[0].message


# --- verdicts against the data ----------------------------------------------------------------------------------


def test_issue_example_without_january_july_in_the_data(annual_queries: TradeQueries) -> None:
    verdicts = claims.check_claims(claims.extract_claims(EXAMPLE, names=NAMES), annual_queries)
    rank, turnover, exports = verdicts
    assert rank.word == claims.NOT_CHECKABLE
    assert rank.explanation == (
        "January\u2013July 2020 is not in the data for Italy; for reference, in the whole of 2020 the data give #1"
    )
    # 3.7 bn − 933.2 m = 2,766.8 m of imports implied, but the whole of 2020 had 396.2 m.
    assert turnover.word == claims.IMPLAUSIBLE
    assert turnover.explanation == (
        "turnover $3.70 bn with exports $933.2 m implies imports of $2.77 bn in January\u2013July 2020, "
        "but imports from Italy in the whole of 2020 were $396.2 m. Either the turnover is at most $1.33 bn "
        "(exports $933.2 m + $396.2 m), or exports were at least $3.30 bn, not $933.2 million; the data for "
        "January\u2013July 2020 cannot tell which."
    )
    assert turnover.data is not None and turnover.data.value == 396.2 * M
    assert (turnover.data.source, turnover.data.release) == ("imf_dots", "2022")
    assert turnover.data.origin == "imf_dots:AZE-ITA-import-2020-01..2020-12"
    # The exports cannot fit either (the same pair, the same arithmetic): never "within the bound" alone.
    assert exports.word == claims.IMPLAUSIBLE
    assert exports.explanation == turnover.explanation


def test_issue_example_with_customs_cumulatives(customs_queries: TradeQueries) -> None:
    rank, turnover, exports = claims.check_claims(
        claims.extract_claims(EXAMPLE, names=NAMES), customs_queries
    )
    # Customs January–July 2020: Italy 933.2 + 175.3 = 1,108.5 m; Türkiye 1,400 + 900 = 2,300 m -> Italy #2.
    assert rank.word == claims.INCONSISTENT and rank.explanation == "the data give #2, not #1"
    assert rank.data is not None and rank.data.source == "customs_az" and rank.data.release == "2020-08-15"
    assert turnover.word == claims.INCONSISTENT
    assert turnover.data is not None and turnover.data.value == pytest.approx(1108.5 * M)
    assert turnover.explanation == "the data give $1.11 bn; the claim is +$2.59 bn off, +233.8%"
    assert exports.word == claims.CONSISTENT
    assert exports.data is not None and exports.data.value == pytest.approx(933.2 * M)


def test_a_cumulative_above_the_whole_year_is_implausible(annual_queries: TradeQueries) -> None:
    claim = _claim("exports", 4.5e9, 0.05e9, text="$4.5 billion")
    (verdict,) = claims.check_claims([claim], annual_queries)
    assert verdict.word == claims.IMPLAUSIBLE
    assert verdict.explanation == (
        "exports of $4.5 billion in January\u2013July 2020 cannot exceed exports with Italy in the whole of 2020, $4.17 bn"
    )


def test_a_cumulative_below_an_earlier_one_is_implausible(customs_queries: TradeQueries) -> None:
    claim = _claim("exports", 700e6, 0.5e6, period=Period("2020-01", "2020-08"), text="$700 million")
    (verdict,) = claims.check_claims([claim], customs_queries)
    assert verdict.word == claims.IMPLAUSIBLE
    assert "cannot be less than in January\u2013July 2020 alone, $933.2 m" in verdict.explanation


def test_consistent_within_rounding_and_alternatives(annual_queries: TradeQueries) -> None:
    queries = annual_queries
    # 5,000 m stated as $5 billion (4.5..5.5 bn) is consistent; as $5.1 billion it is not.
    (good,) = claims.check_claims([_claim("exports", 5e9, 0.5e9, period=Period.year(2019))], queries)
    assert good.word == claims.CONSISTENT
    assert [(a.label, a.measure, a.value) for a in good.alternatives] == [
        ("Italy's report (mirror)", "imports from Azerbaijan", 5600 * M)
    ]
    (bad,) = claims.check_claims([_claim("exports", 5.1e9, 0.05e9, period=Period.year(2019))], queries)
    assert bad.word == claims.INCONSISTENT
    assert bad.explanation == "the data give $5.00 bn; the claim is +$100.0 m off, +2.0%"


def test_share_balance_and_rank_against_the_data(annual_queries: TradeQueries) -> None:
    queries = annual_queries
    year = Period.year(2020)
    # Italy 2020: 4,172.2 + 396.2 = 4,568.4 m of a World 13,700 + 10,700 = 24,400 m -> 18.72 %.
    (share,) = claims.check_claims([_claim("share", 0.1872, 0.00005, period=year)], queries)
    assert share.word == claims.CONSISTENT and share.data is not None
    assert share.data.value == pytest.approx(4568.4 / 24400)
    (balance,) = claims.check_claims([_claim("balance", 3.776e9, 0.0005e9, period=year)], queries)
    assert balance.word == claims.CONSISTENT  # 4,172.2 − 396.2 = 3,776.0 m
    (rank,) = claims.check_claims([_claim("rank", 2, 0, partner="TUR", period=Period.year(2019))], queries)
    assert (
        rank.word == claims.CONSISTENT
    )  # 2019 turnover: Italy 5,400, Türkiye 4,400, Russia 2,100, Georgia 500


def test_not_checkable_says_what_is_missing(annual_queries: TradeQueries) -> None:
    queries = annual_queries
    verdicts = claims.check_claims(
        [
            _claim("exports", 2e9, 0.5e9, partner="FRA", period=Period.year(2019)),
            _claim("exports", 2e9, 0.5e9, period=Period.year(2005)),
            Claim("exports", 2e9, 0.5e9, None, Period.year(2019), "$2 billion"),
            Claim("exports", 2e9, 0.5e9, "ITA", None, "$2 billion"),
            Claim(None, 2e9, 0.5e9, "ITA", Period.year(2019), "$2 billion"),
        ],
        queries,
    )
    assert [v.word for v in verdicts] == [claims.NOT_CHECKABLE] * 5
    assert [v.explanation for v in verdicts] == [
        "the data hold no figures for France in 2019",
        "the data hold no figures for Italy in 2005",
        "no partner is named",
        "no period is stated",
        "the text does not say what this figure measures",
    ]
    # Georgia reports only exports: the page shows a partial turnover (exports alone), and so does the check;
    # a balance needs both flows.
    (turnover, balance) = claims.check_claims(
        [
            _claim("turnover", 0.5e9, 0.05e9, partner="GEO", period=Period.year(2019)),
            _claim("balance", 0.5e9, 0.05e9, partner="GEO", period=Period.year(2019)),
        ],
        queries,
    )
    assert turnover.word == claims.CONSISTENT and turnover.data is not None
    assert (turnover.data.value, turnover.data.measure) == (
        500 * M,
        "turnover (partial: only exports reported)",
    )
    assert (balance.word, balance.explanation) == (
        claims.NOT_CHECKABLE,
        "the data hold no balance with Georgia in 2019 (only exports reported)",
    )


def test_internal_inconsistency_is_the_verdict_and_keeps_the_data_verdict(
    customs_queries: TradeQueries,
) -> None:
    text = (
        "In the first half of 2020 exports to Italy were $800 million and imports from Italy $150.0 million, "
        "so turnover reached $1.1 billion."
    )
    verdicts = claims.check_claims(claims.extract_claims(text, names=NAMES), customs_queries)
    assert [v.word for v in verdicts] == [claims.INTERNALLY_INCONSISTENT] * 3
    assert [v.data_word for v in verdicts] == [claims.CONSISTENT, claims.CONSISTENT, claims.INCONSISTENT]
    assert verdicts[2].explanation.startswith(
        "turnover $1.1 billion \u2260 exports $800 million + imports $150.0 million = $950.0 m. Against the data:"
    )


def test_lines_and_table(annual_queries: TradeQueries) -> None:
    verdicts = claims.check_text(annual_queries, EXAMPLE)
    names = annual_queries.names(["ITA"])
    line = claims.verdict_line(verdicts[1], names)
    assert line.startswith(
        "$3.7 billion (turnover with Italy, January\u2013July 2020) \u2014 IMPLAUSIBLE \u2014 "
    )
    assert "data: imports $396.2 m in 2020, IMF, Direction of Trade Statistics (DOTS), release 2022" in line
    frame = claims.verdict_frame(verdicts, names)
    assert list(frame["verdict"]) == [claims.NOT_CHECKABLE, claims.IMPLAUSIBLE, claims.IMPLAUSIBLE]
    assert list(frame["data"]) == ["rank by turnover #1", "imports $396.2 m", "imports $396.2 m"]


def test_only_the_claimed_years_are_read(annual_queries: TradeQueries) -> None:
    (early,) = claims.check_text(annual_queries, "Exports to Italy were $2 billion in 2005.")
    assert (early.word, early.explanation) == (
        claims.NOT_CHECKABLE,
        "the data hold no figures for Italy in 2005",
    )
    (late,) = claims.check_text(annual_queries, "Exports to Italy were $5 billion in 2019.")
    assert late.word == claims.CONSISTENT


def test_names_come_from_the_store_and_pycountry(annual_queries: TradeQueries) -> None:
    names = claims.names_for(annual_queries, "AZE")
    assert names["Italy"] == "ITA" and names["Türkiye"] == "TUR" and names["Turkey"] == "TUR"
    assert names["Azerbaijan"] == "AZE" and names["France"] == "FRA" and names["World"] == "WLD"


def test_other_currencies_and_reporter_totals(annual_queries: TradeQueries) -> None:
    manat, total = claims.extract_claims(
        "Exports to Italy were 7.1 billion manats in 2020. Azerbaijan's exports amounted to $13.7 billion in 2020.",
        names=NAMES,
    )
    assert (manat.currency, manat.text, manat.partner) == ("manats", "7.1 billion manats", "ITA")
    assert (total.partner, total.measure, total.value) == ("WLD", "exports", 13.7e9)
    (euro,) = claims.extract_claims("Imports from Italy reached €300 million in 2019.", names=NAMES)
    assert (euro.currency, euro.measure) == ("€", "imports")
    (verdict,) = claims.check_claims([manat], annual_queries)
    assert verdict.word == claims.NOT_CHECKABLE
    assert verdict.explanation == "stated in manats; the data are in US dollars"


def test_two_sources_for_one_period_the_matching_one_named_the_other_shown(tmp_path: Path) -> None:
    """Statistical office (imf_dots here) and customs disagree on 2017 exports to Italy: 5,352.5 m vs 4,400.0 m."""
    publish_flows(
        tmp_path,
        (
            ("imf_dots", "AZE", "ITA", "export", "2017-01", "2017-12", 5352.5 * M),
            ("customs_az", "AZE", "ITA", "export", "2017-01", "2017-12", 4400.0 * M),
        ),
    )
    # The settings' TRADE_SOURCES order decides which source is preferred.
    store = QueryStore(tmp_path, preference=("imf_dots", "customs_az"))
    queries = store.current()
    stated_customs = _claim("exports", 4.4e9, 0.05e9, period=Period.year(2017))
    (verdict,) = claims.check_claims([stated_customs], queries)
    assert verdict.word == claims.CONSISTENT
    assert verdict.data is not None and (verdict.data.source, verdict.data.release) == (
        "customs_az",
        CUSTOMS_RELEASE,
    )
    assert [(a.source, a.value) for a in verdict.alternatives] == [("imf_dots", 5352.5 * M)]
    (neither,) = claims.check_claims([_claim("exports", 5.0e9, 0.05e9, period=Period.year(2017))], queries)
    assert neither.word == claims.INCONSISTENT
    assert neither.data is not None and neither.data.source == "imf_dots"  # the preferred source first
    assert neither.explanation == "the data give $5.35 bn; the claim is \u2212$352.5 m off, \u22126.6%"
    assert [a.source for a in neither.alternatives] == ["customs_az"]
    store.close()


def test_long_pasted_text_is_read_in_linear_time() -> None:
    """A run of digits or words that never completes a figure must not be retried from every position."""
    import time

    for text in ("1" * 19_990 + " percent", "up " * 6_000 + "12 percent", "first " * 3_000 + "half of 2020"):
        started = time.perf_counter()
        claims.extract_claims(text, names=NAMES)
        assert time.perf_counter() - started < 2.0  # quadratic matching took 30 s on the first text
    assert claims.extract_claims("1" * 16 + " billion dollars", names=NAMES) == []


def test_the_partners_own_report_is_checked_against_its_series(annual_queries: TradeQueries) -> None:
    found = claims.extract_claims(
        "In 2019 Türkiye's imports from Azerbaijan were $420 million. Italy imported $5.5 billion from "
        "Azerbaijan in 2019. Exports from Azerbaijan to Italy were $5 billion in 2019.",
        names=NAMES,
    )
    assert [(c.measure, c.partner, c.reported_by) for c in found] == [
        ("imports", "TUR", "TUR"),
        ("imports", "ITA", "ITA"),
        ("exports", "ITA", None),
    ]
    turkiye, italy, own = claims.check_claims(found, annual_queries)
    # Türkiye reports 420 m of imports from Azerbaijan; Azerbaijan reports 2,800 m of exports to Türkiye.
    assert turkiye.word == claims.CONSISTENT
    assert turkiye.data is not None and turkiye.data.value == 420 * M
    assert [(a.label, a.measure, a.value) for a in turkiye.alternatives] == [
        ("Azerbaijan's report (mirror)", "exports to Türkiye", 2800 * M)
    ]
    assert claims.describe(turkiye.claim, {"TUR": "Türkiye"}) == (
        "Türkiye's imports from Azerbaijan as Türkiye reports them, 2019"
    )
    # Italy reports 5,600 m: "$5.5 billion" (5.45..5.55 bn) is 100 m short.
    assert italy.word == claims.INCONSISTENT
    assert italy.explanation == "the data give $5.60 bn; the claim is \u2212$100.0 m off, \u22121.8%"
    assert own.word == claims.CONSISTENT and own.data is not None and own.data.value == 5000 * M


@pytest.mark.parametrize(
    ("text", "rank", "basis"),
    [
        ("Italy ranked first among Azerbaijan's trading partners in 2019.", 1, "turnover"),
        ("In 2019 Türkiye came second by exports.", 2, "exports"),
        ("Russia was the third largest trading partner in 2019.", 3, "turnover"),
        ("Russia was 3rd among suppliers of imports in 2019.", 3, "imports"),
    ],
)
def test_rank_phrases(text: str, rank: int, basis: str) -> None:
    (claim,) = claims.extract_claims(text, names=NAMES)
    assert (claim.measure, claim.value, claim.basis, claim.period) == ("rank", rank, basis, Period.year(2019))


SEED = (
    "Italy was Azerbaijan's main trading partner in January–July 2020, with turnover of $3.7 billion. "
    "Trade turnover between Azerbaijan and Italy amounted to $3.1 billion in January–July 2020; "
    "exports to Italy amounted to $933.2 million."
)


def test_the_seed_paragraph_names_the_contradiction_and_the_figure_that_cannot_fit(
    annual_queries: TradeQueries,
) -> None:
    """The project's seed paragraph, against annual data only (no January–July rows): the two turnovers
    contradict each other, and the exports cannot sit under either with the whole year's imports."""
    _, first, second, exports = claims.check_text(annual_queries, SEED)
    for turnover in (first, second):
        assert turnover.word == claims.INTERNALLY_INCONSISTENT
        assert (
            "two turnover figures for the same partner and January\u2013July 2020: $3.7 billion and $3.1 billion"
            in (turnover.explanation)
        )
    # 3.7 bn − 396.2 m (the whole of 2020's imports) = 3.30 bn of exports at least; 933.2 m + 396.2 m = 1.33 bn.
    assert exports.word == claims.IMPLAUSIBLE
    assert exports.explanation == (
        "turnover $3.70 bn with exports $933.2 m implies imports of $2.77 bn in January\u2013July 2020, but imports "
        "from Italy in the whole of 2020 were $396.2 m. Either the turnover is at most $1.33 bn (exports $933.2 m "
        "+ $396.2 m), or exports were at least $3.30 bn, not $933.2 million; the data for January\u2013July 2020 "
        "cannot tell which."
    )


def test_a_figure_the_data_confirm_clears_it_and_names_the_other_as_the_culprit(tmp_path: Path) -> None:
    """Customs' January–July exports, but imports only for the whole year: the stated turnover cannot be
    checked directly, and with the confirmed exports it implies imports above the whole year's."""
    rows = (
        ("customs_az", "AZE", "ITA", "export", "2020-01", "2020-07", 933.2 * M),
        ("imf_dots", "AZE", "ITA", "import", "2020-01", "2020-12", 396.2 * M),
    )
    for queries in _queries(tmp_path, rows):
        turnover, exports = claims.check_text(
            queries,
            "In January–July 2020 turnover with Italy was $3.7 billion; exports to Italy amounted to $933.2 million.",
        )
        assert exports.word == claims.CONSISTENT
        assert turnover.word == claims.IMPLAUSIBLE
        assert turnover.explanation.endswith(
            "the data confirm exports of $933.2 million, so the turnover of $3.7 billion is the likely culprit."
        )
