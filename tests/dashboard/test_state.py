"""The view state: defaults, fallbacks with notes, and the URL round trip."""

from __future__ import annotations

from dashboard.queries.answers import TradeQueries
from dashboard.registry import VIEW_IDS
from dashboard.settings import Settings, from_env
from dashboard.state import FLOWS, ViewState, parse_search, resolve_view, state_from_search, to_search


def test_defaults(queries: TradeQueries) -> None:
    view = resolve_view(queries, Settings(), views=VIEW_IDS)
    assert view.state == ViewState(
        reporter="AZE",
        partner="ITA",
        period="2019",
        measure="turnover",
        top=15,
        compare=("ITA", "TUR", "RUS"),
        frequency="annual",
        source="imf_dots",
    )
    assert view.years == (2017, 2018, 2019)
    assert view.frequencies == ("annual", "monthly", "cumulative")
    assert view.notes == ()


def test_mirror_reporter_falls_back_to_the_default_reporter_as_partner(queries: TradeQueries) -> None:
    view = resolve_view(queries, Settings(), views=VIEW_IDS, reporter="ITA", partner="TUR")
    assert (view.state.reporter, view.state.partner, view.state.period) == ("ITA", "AZE", "2019")
    assert view.state.compare == ("AZE",)  # none of the default partners exist for Italy: its countries
    assert view.annual_only


def test_nonsense_falls_back_and_says_so(queries: TradeQueries) -> None:
    view = state_from_search(
        queries,
        Settings(),
        "?reporter=%27;DROP&partner=42&period=1066&measure=<script>&top=-3&partners=XXX&view=nope&flows=x&lang=fr",
        views=VIEW_IDS,
    )
    assert view.state == ViewState(
        reporter="AZE", partner="ITA", period="2019", measure="turnover", top=15, compare=("ITA", "TUR", "RUS"),
        source="imf_dots",
    )  # fmt: skip
    assert view.notes == (
        'reporter="\';DROP" → AZE',
        "partner='42' → ITA",
        "period='1066' → 2019",
        "partners='XXX' → left out",
        "flows='x' → exports,imports,turnover,balance",
        "measure='<script>' → turnover",
        "top='-3' → 15",
        "view='nope' → bilateral",
        "lang='fr' → en",
    )


def test_period_kept_when_valid_and_empty_comparison_kept(queries: TradeQueries) -> None:
    view = resolve_view(queries, Settings(), views=VIEW_IDS, partner="RUS", year=2018, compare=[])
    assert (view.state.partner, view.state.period, view.state.compare) == ("RUS", "2018", ())


def test_cumulative_link(queries: TradeQueries) -> None:
    view = state_from_search(
        queries, Settings(), "?freq=cumulative&period=2019-06&source=imf_imts", views=VIEW_IDS
    )
    # imf_imts has only January–March: its latest cumulative is used and the note says so.
    assert (view.state.frequency, view.state.source, view.state.period) == (
        "cumulative",
        "imf_imts",
        "2020-03",
    )
    assert view.notes == ("period='2019-06' → 2020-03",)
    assert view.sources == ("customs_az", "imf_imts")


def test_at_most_eight_partners_compared(queries: TradeQueries) -> None:
    many = ["ITA", "TUR", "RUS", "EUU", "WLD", "XCI", "XOI", "XTS", "ITA"]
    view = resolve_view(queries, Settings(), views=VIEW_IDS, compare=many)
    assert view.state.compare == ("ITA", "TUR", "RUS", "EUU", "WLD", "XCI", "XOI", "XTS")


def test_url_round_trip(queries: TradeQueries) -> None:
    state = ViewState(
        reporter="AZE",
        partner="TUR",
        period="2020-07",
        measure="exports",
        top=10,
        compare=("ITA", "TUR"),
        frequency="monthly",
        source="customs_az",
        flows=("exports", "imports"),
        view="table",
        map_measure="balance",
        lang="az",
    )
    search = to_search(state)
    assert search == (
        "?view=table&reporter=AZE&partner=TUR&freq=monthly&period=2020-07&source=customs_az&flows=exports,imports"
        "&measure=exports&top=10&partners=ITA,TUR&map=balance&lang=az"
    )
    assert parse_search(search)["partners"] == "ITA,TUR"
    restored = state_from_search(queries, Settings(), search, views=VIEW_IDS)
    assert restored.state == state and restored.notes == ()
    assert parse_search("") == {}
    assert FLOWS == ("exports", "imports", "turnover", "balance")


def test_source_order_from_the_environment() -> None:
    settings = from_env({"TRADE_SOURCES": " imf_imts , customs_az "})
    assert settings.sources == ("imf_imts", "customs_az")
    assert from_env({}).sources[:2] == ("stat_az", "customs_az")
    assert settings.source is None
