"""The misreadings that used to become confident wrong verdicts (issue 12's list), one test each.

Each sentence is checked against the small store of mirror_stores.py (Italy 2019: exports $5.0 bn, imports
$0.4 bn; customs' January–July 2020: exports $933.2 m, imports $175.3 m, turnover $1,108.5 m). A reading the
checker is unsure of must come back "not checkable" with the part named, never a verdict against the data.
"""

from __future__ import annotations

import pytest

from dashboard import claims
from dashboard.claims import Period, Verdict
from dashboard.queries.answers import TradeQueries

JAN_JUL_2020 = Period("2020-01", "2020-07")
JAN_SEP_2021 = Period("2021-01", "2021-09")


def one(mirror_queries: TradeQueries, text: str) -> Verdict:
    (verdict,) = claims.check_text(mirror_queries, text)
    return verdict


@pytest.mark.parametrize(
    "text",
    [
        "In 7 months of 2020, exports to Italy were $933.2 million.",
        "In the seven months of 2020, exports to Italy were $933.2 million.",
        "In the first 7 months of 2020, exports to Italy were $933.2 million.",
        "Between January and July 2020 exports to Italy were $933.2 million.",
    ],
)
def test_n_months_and_between_are_january_to_that_month(mirror_queries: TradeQueries, text: str) -> None:
    verdict = one(mirror_queries, text)
    assert verdict.claim.period == JAN_JUL_2020  # not the whole year, not July alone
    assert verdict.word == claims.CONSISTENT


def test_from_january_to_september_is_the_period_not_a_base_of_comparison() -> None:
    (claim,) = claims.extract_claims(
        "From January to September 2021 exports to Italy were $933.2 million.", names={"Italy": "ITA"}
    )
    assert claim.period == JAN_SEP_2021


@pytest.mark.parametrize("name", ["Itlay", "Italia", "Narnia"])
def test_an_unknown_partner_is_not_checkable_and_never_the_world_total(
    mirror_queries: TradeQueries, name: str
) -> None:
    verdict = one(mirror_queries, f"Azerbaijan's exports to {name} were $5.6 billion in 2019.")
    assert verdict.word == claims.NOT_CHECKABLE
    assert verdict.explanation == f"partner '{name}' not recognised"
    assert verdict.claim.partner is None  # not WLD


def test_a_source_named_after_a_preposition_is_not_taken_for_a_partner(mirror_queries: TradeQueries) -> None:
    verdict = one(
        mirror_queries,
        "According to the State Statistical Committee, exports to Italy were $5.0 billion in 2019.",
    )
    assert verdict.word == claims.CONSISTENT and verdict.claim.partner == "ITA"


def test_a_minus_sign_on_turnover_is_not_dropped(mirror_queries: TradeQueries) -> None:
    verdict = one(mirror_queries, "Trade turnover with Italy was \u2212$5.4 billion in 2019.")
    assert (
        verdict.word == claims.NOT_CHECKABLE
    )  # $5.4 bn is the right turnover: dropping the sign said "consistent"
    assert "negative turnover" in verdict.explanation


def test_a_minus_sign_on_the_balance_is_its_sign(mirror_queries: TradeQueries) -> None:
    verdict = one(mirror_queries, "The trade balance with Italy was \u2212$4.6 billion in 2019.")
    assert verdict.claim.value == pytest.approx(-4.6e9)
    assert verdict.word == claims.INCONSISTENT  # the data give a surplus of $4.6 bn


@pytest.mark.parametrize("written", ["₼5.0 billion", "5.0 billion manat", "AZN 5.0 billion", "€5.0 billion"])
def test_other_currencies_are_never_read_as_dollars(mirror_queries: TradeQueries, written: str) -> None:
    verdict = one(mirror_queries, f"Exports to Italy amounted to {written} in 2019.")
    assert verdict.word == claims.NOT_CHECKABLE and "US dollars" in verdict.explanation


@pytest.mark.parametrize(
    ("words", "bound", "word"),
    [
        ("more than $2 billion", "at least", claims.CONSISTENT),
        ("over $2 billion", "at least", claims.CONSISTENT),
        ("exceeded $6 billion", "at least", claims.INCONSISTENT),
        ("less than $6 billion", "at most", claims.CONSISTENT),
        ("nearly $4.5 billion", "at most", claims.INCONSISTENT),
        ("almost $5.1 billion", "at most", claims.CONSISTENT),
        ("about $4.8 billion", "about", claims.CONSISTENT),
        ("around $4 billion", "about", claims.INCONSISTENT),
    ],
)
def test_bounds_are_compared_as_bounds(
    mirror_queries: TradeQueries, words: str, bound: str, word: str
) -> None:
    verdict = one(mirror_queries, f"Exports to Italy were {words} in 2019.")
    assert verdict.claim.bound == bound
    assert verdict.word == word, verdict.explanation


def test_a_bound_never_contradicts_an_exact_figure_of_the_same_measure(mirror_queries: TradeQueries) -> None:
    text = "Exports to Italy were $5.0 billion in 2019, more than $2 billion."
    assert [v.word for v in claims.check_text(mirror_queries, text)] == [claims.CONSISTENT, claims.CONSISTENT]


def test_a_negative_balance_of_trade_is_a_balance_not_turnover(mirror_queries: TradeQueries) -> None:
    verdict = one(mirror_queries, "The negative balance of trade with Italy was $300 million in 2019.")
    assert verdict.claim.measure == "balance" and verdict.claim.value == pytest.approx(-300e6)
    assert verdict.word == claims.INCONSISTENT  # a surplus in the data


def test_bounds_and_doubts_survive_the_page_store() -> None:
    claim = claims.Claim("exports", 2e9, 0.5e9, None, Period.year(2019), "$2 billion", bound="at least",
                         unclear="partner 'Itlay' not recognised")  # fmt: skip
    assert claims.claim_from_record(claims.claim_record(claim)) == claim
    assert claims.claim_from_record({**claims.claim_record(claim), "bound": "roughly"}) is None


@pytest.mark.parametrize(
    ("text", "measure", "partner"),
    [
        ("Azerbaijan and Italy traded goods worth $5.4 billion in 2019.", "turnover", "ITA"),
        ("Georgia bought Azerbaijani goods worth $500 million in 2019.", "exports", "GEO"),
        ("Italy supplied goods worth $400 million to Azerbaijan in 2019.", "imports", "ITA"),
        ("Azerbaijan sold goods worth $5.0 billion to Italy in 2019.", "exports", "ITA"),
        ("Azerbaijan shipped $5.0 billion of goods to Italy in 2019.", "exports", "ITA"),
        ("Azerbaijan bought goods worth $400 million from Italy in 2019.", "imports", "ITA"),
    ],
)
def test_a_flow_given_by_a_verb_alone(
    mirror_queries: TradeQueries, text: str, measure: str, partner: str
) -> None:
    verdict = one(mirror_queries, text)
    assert (verdict.claim.measure, verdict.claim.partner) == (measure, partner)
    assert verdict.word == claims.CONSISTENT, verdict.explanation


@pytest.mark.parametrize(
    "name", ["the EU", "EU countries", "European Union member states", "the European Union"]
)
def test_the_eu_in_its_usual_spellings(name: str) -> None:
    names = claims.default_names([("EUU", "European Union")], reporter="AZE", reporter_name="Azerbaijan")
    (claim,) = claims.extract_claims(f"Exports to {name} were $9 billion in 2019.", names=names)
    assert claim.partner == "EUU" and claim.unclear is None


def test_two_values_of_one_measure_partner_and_period_contradict_each_other(
    mirror_queries: TradeQueries,
) -> None:
    text = "Exports to Italy were $5.0 billion in 2019. In 2019 exports to Italy reached $4.2 billion."
    first, second = claims.check_text(mirror_queries, text)
    assert first.word == second.word == claims.INTERNALLY_INCONSISTENT
    assert "two exports figures" in first.explanation and "$800.0 m apart" in first.explanation
    assert first.data_word == claims.CONSISTENT and second.data_word == claims.INCONSISTENT


def test_the_seed_paragraph(mirror_queries: TradeQueries) -> None:
    """Italy, January–July 2020: two turnovers that cannot both be right, and the figure that cannot fit."""
    text = (
        "Italy was Azerbaijan's main trading partner in January–July 2020, with turnover of $3.7 billion; "
        "trade turnover with Italy reached $3.1 billion in January–July 2020; exports to Italy amounted to "
        "$933.2 million."
    )
    verdicts = {v.claim.text: v for v in claims.check_text(mirror_queries, text)}
    for turnover in ("$3.7 billion", "$3.1 billion"):
        assert verdicts[turnover].word == claims.INTERNALLY_INCONSISTENT
        assert "two turnover figures" in verdicts[turnover].explanation
    # Against customs' own January–July figures (turnover $1,108.5 m) neither turnover holds.
    assert verdicts["$3.7 billion"].data_word == claims.INCONSISTENT
    assert verdicts["$933.2 million"].word == claims.CONSISTENT


@pytest.mark.parametrize(
    "text",
    [
        "Exports to Italy rose to $5.0 billion in 2019, up from $4.2 billion a year earlier.",
        "Exports to Italy grew from $4.2 billion to $5.0 billion in 2019.",
        "Exports to Italy were $5.0 billion in 2019 compared with $4.2 billion in 2018.",
    ],
)
def test_a_base_of_comparison_is_not_read_as_the_sentences_period(
    mirror_queries: TradeQueries, text: str
) -> None:
    verdicts = {v.claim.text: v for v in claims.check_text(mirror_queries, text)}
    assert verdicts["$5.0 billion"].word == claims.CONSISTENT  # not "internally inconsistent" with the base
    assert verdicts["$4.2 billion"].word == claims.NOT_CHECKABLE
    assert "base of comparison" in verdicts["$4.2 billion"].explanation


@pytest.mark.parametrize(
    ("text", "word", "explained"),
    [
        # Georgia 2019: only Azerbaijan's exports ($500 m) are reported, so the turnover is a floor.
        ("Trade turnover with Georgia was $2.0 billion in 2019.", claims.NOT_CHECKABLE, "at least $500.0 m"),
        (
            "Trade turnover with Georgia was $300 million in 2019.",
            claims.IMPLAUSIBLE,
            "one flow reported alone",
        ),
        ("Trade turnover with Georgia was $500 million in 2019.", claims.CONSISTENT, "within the rounding"),
    ],
)
def test_a_turnover_of_one_reported_flow_is_a_floor_never_a_value_to_contradict(
    mirror_queries: TradeQueries, text: str, word: str, explained: str
) -> None:
    verdict = one(mirror_queries, text)
    assert verdict.word == word and explained in verdict.explanation


def test_parts_above_their_whole_are_named_with_the_sum() -> None:
    text = (
        "In 2019 Azerbaijan's total exports were $9.0 billion. Exports to Italy were $5.0 billion and exports to "
        "Türkiye $4.8 billion in 2019. Italy accounted for 50% of Azerbaijan's exports in 2019, and Türkiye for "
        "55% of its exports in 2019."
    )
    names = {"Italy": "ITA", "Türkiye": "TUR", "Azerbaijan": "AZE"}
    messages = [f.message for f in claims.internal_findings(claims.extract_claims(text, names=names))]
    assert (
        "exports with named partners (ITA $5.0 billion + TUR $4.8 billion = $9.80 bn) exceed the stated total "
        "$9.0 billion for 2019; a part cannot be larger than its whole"
    ) in messages
    assert "shares of exports for 2019 add up to more than 100% (ITA 50% + TUR 55% = 105.0%)" in messages
