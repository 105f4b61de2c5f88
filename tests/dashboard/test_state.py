"""The view state: defaults, fallbacks, and the URL round trip."""

from __future__ import annotations

from dashboard.queries import TradeQueries
from dashboard.settings import Settings
from dashboard.state import ViewState, parse_search, resolve_view, to_search


def test_defaults(queries: TradeQueries) -> None:
    view = resolve_view(queries, Settings(store_dir=queries.store_dir))
    assert view.state == ViewState(
        reporter="AZE", partner="ITA", year=2019, measure="turnover", top=15, compare=("ITA", "TUR", "RUS")
    )
    assert view.years == (2017, 2018, 2019)


def test_mirror_reporter_falls_back_to_the_default_reporter_as_partner(queries: TradeQueries) -> None:
    view = resolve_view(queries, Settings(store_dir=queries.store_dir), reporter="ITA", partner="TUR")
    assert (view.state.reporter, view.state.partner, view.state.year) == ("ITA", "AZE", 2019)
    assert view.state.compare == ("AZE",)  # none of the default partners exist for Italy: its largest ones


def test_nonsense_falls_back(queries: TradeQueries) -> None:
    view = resolve_view(
        queries,
        Settings(store_dir=queries.store_dir),
        reporter="'; DROP TABLE areas; --",
        partner=42,
        year="1066",
        measure="<script>",
        top="-3",
        compare=["XXX", None],
    )
    assert view.state == ViewState(
        reporter="AZE", partner="ITA", year=2019, measure="turnover", top=15, compare=("ITA", "TUR", "RUS")
    )


def test_year_kept_when_valid_and_empty_comparison_kept(queries: TradeQueries) -> None:
    view = resolve_view(queries, Settings(store_dir=queries.store_dir), partner="RUS", year=2018, compare=[])
    assert (view.state.partner, view.state.year, view.state.compare) == ("RUS", 2018, ())


def test_url_round_trip() -> None:
    state = ViewState(
        reporter="AZE", partner="TUR", year=2018, measure="exports", top=10, compare=("ITA", "TUR")
    )
    search = to_search(state)
    assert search == "?reporter=AZE&partner=TUR&year=2018&measure=exports&top=10&compare=ITA,TUR"
    assert parse_search(search) == {
        "reporter": "AZE",
        "partner": "TUR",
        "year": "2018",
        "measure": "exports",
        "top": "10",
        "compare": "ITA,TUR",
    }
    assert parse_search("") == {}
