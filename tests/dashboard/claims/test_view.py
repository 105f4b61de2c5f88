"""The claim checker's callbacks as plain functions: found figures, verdict rows, the form (no browser)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from dash.exceptions import PreventUpdate

from dashboard import claims
from dashboard.callbacks.claims import (
    check_outputs,
    form_outputs,
    found_outputs,
    partner_options,
    year_options,
)
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from tests.dashboard.claims.test_claims import EXAMPLE
from tests.dashboard.mirror_stores import MIRROR_ROWS, publish_flows
from tests.dashboard.test_callbacks import text


@pytest.fixture
def annual_queries(tmp_path: Path) -> Iterator[TradeQueries]:
    publish_flows(tmp_path / "store", MIRROR_ROWS)
    queries = QueryStore(tmp_path / "store").current()
    yield queries
    queries.close()


def test_found_then_checked(annual_queries: TradeQueries) -> None:
    message, options, ticked, records = found_outputs(annual_queries, EXAMPLE, "AZE")
    assert "3 figures found" in text(message)
    assert [o["label"] for o in options] == [
        "main trading partner — rank by turnover with Italy, January–July 2020",
        "$3.7 billion — turnover with Italy, January–July 2020",
        "$933.2 million — exports to Italy, January–July 2020",
    ]
    assert ticked == [0, 1, 2]
    table = check_outputs(annual_queries, records, ticked, "AZE")
    words = text(table)
    assert words.count("implausible") == 2 and words.count("not checkable") == 1
    assert "imports $396.2 m" in words
    assert "but imports from Italy in the whole of 2020 were $396.2 m" in words
    # Unticking the exports figure removes the implication: the turnover is then only bounded.
    only_turnover = text(check_outputs(annual_queries, records, [1], "AZE"))
    assert "implausible" not in only_turnover
    assert "within the bound: turnover in the whole of 2020 was $4.57 bn" in only_turnover


def test_nothing_found_and_bad_input(annual_queries: TradeQueries) -> None:
    message, options, _, _ = found_outputs(annual_queries, "No numbers here.", "AZE")
    assert "No figures found" in text(message) and options == []
    assert "Nothing to check" in text(check_outputs(annual_queries, [{"value": "x"}], [0], "AZE"))
    assert "Nothing to check" in text(check_outputs(annual_queries, "junk", [0], "AZE"))
    assert "longer than 20,000 characters" in text(found_outputs(annual_queries, "x" * 20_001, "AZE")[0])


def test_records_round_trip_and_reject_nonsense() -> None:
    claim = claims.extract_claims(EXAMPLE, names={"Italy": "ITA", "Azerbaijan": "AZE"})[1]
    assert claims.claim_from_record(claims.claim_record(claim)) == claim
    assert claims.claim_from_record({**claims.claim_record(claim), "period": ["2020-1", "x"]}) is None
    assert claims.claim_from_record({**claims.claim_record(claim), "measure": "DROP"}) is None
    assert claims.claim_from_record({"measure": "exports"}) is None


def test_form(annual_queries: TradeQueries) -> None:
    fields = {
        "partner": "ITA",
        "period_kind": "year",
        "year": 2019,
        "month": 12,
        "measure": "exports",
        "value": "5.0",
        "unit": "billion USD",
    }
    assert "consistent" in text(form_outputs(annual_queries, "AZE", **fields))
    words = text(form_outputs(annual_queries, "AZE", **{**fields, "value": "5.3"}))
    assert "inconsistent" in words and "the claim is +$300.0 m off, +6.0%" in words
    assert "Italy's report (mirror): imports from Azerbaijan $5.60 bn" in words
    error = text(form_outputs(annual_queries, "AZE", **{**fields, "value": "five"}))
    assert error == "Please correct the form: value: 'five' is not a number."
    cumulative = text(
        form_outputs(
            annual_queries, "AZE", **{**fields, "year": 2020, "period_kind": "cumulative", "month": 7}
        )
    )
    assert (
        "implausible" in cumulative
        and "cannot exceed exports with Italy in the whole of 2020, $4.17 bn" in cumulative
    )


def test_checked_text_in_a_shareable_link(annual_queries: TradeQueries) -> None:
    from dashboard.callbacks.claims import (
        MAX_LINK_TEXT,
        claim_text_from_search,
        link_outputs,
        search_with_claim,
    )

    search = search_with_claim("?reporter=AZE&partner=ITA&view=mirror", EXAMPLE)
    assert search is not None and search.startswith("?reporter=AZE&partner=ITA&view=claims&claim=Italy+was+")
    assert claim_text_from_search(search) == EXAMPLE
    assert search_with_claim("", "x" * (MAX_LINK_TEXT + 1)) is None
    assert claim_text_from_search("?reporter=AZE") is None
    shown, message, _, ticked, records, results = link_outputs(annual_queries, search, None, "AZE")
    assert shown == EXAMPLE and ticked == [0, 1, 2] and len(records) == 3
    assert "3 figures found" in text(message)
    assert "implausible" in text(results)
    with pytest.raises(PreventUpdate):
        link_outputs(annual_queries, search, EXAMPLE, "AZE")  # already shown: nothing to redo


def test_a_text_in_another_language_with_verdicts_in_the_pages(annual_queries: TradeQueries) -> None:
    russian = "В 2019 году экспорт в Италию составил 6,5 млрд долларов."
    message, options, ticked, records = found_outputs(annual_queries, russian, "AZE", "auto", "az")
    assert "1 rəqəm tapıldı (dil: rus)" in text(message)
    assert options[0]["label"].startswith("6,5 млрд долларов — ixrac, tərəfdaş: İtaliya, 2019")
    table = text(check_outputs(annual_queries, records, ticked, "AZE", "az"))
    assert "uyğun deyil" in table and "inconsistent" not in table
    # Told it is Italian, the Russian words are not read as a figure with a measure.
    _, options, _, records = found_outputs(annual_queries, russian, "AZE", "it", "en")
    assert all(r["measure"] is None for r in records)


def test_the_form_takes_the_page_options_of_the_right_shape_only() -> None:
    page = [
        {"label": "Italy", "value": "ITA", "search": "ITA Italy"},
        {"label": "Türkiye", "value": "TUR"},
        {"label": 1, "value": "XXX"},  # what a hand-made request may send: dropped, not echoed
        {"value": -(2**63) - 1},
        "ITA",
    ]
    assert partner_options(page) == [
        {"label": "Italy", "value": "ITA", "search": "ITA Italy"},
        {"label": "Türkiye", "value": "TUR"},
    ]
    assert partner_options(-(2**63) - 1) == [] and partner_options(None) == []
    assert year_options([{"value": "2020-07"}, {"value": "2020-08"}, "2019"]) == [
        {"label": "2020", "value": 2020},
        {"label": "2019", "value": 2019},
    ]
