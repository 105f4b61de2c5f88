"""What the page shows and its URL form: view, reporter, partner, frequency, period, source, flows, ranking
options, compared partners and language.

The state is resolved in one place so that every combination a user can reach, by the controls or by a
shared link, is valid for the data: an unknown partner falls back to a sensible one, a period outside the
data to the latest one, a source without data for the reporter and frequency to the preferred source that
has data. When the wanted values come from a link, each value that had to be replaced is named in `notes`
(shown on the page), so a broken link never fails silently and never shows an error page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final
from urllib.parse import parse_qs, urlencode

from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES
from dashboard.queries.answers import TradeQueries
from dashboard.queries.controls import whole_number
from dashboard.queries.derived import top_of
from dashboard.queries.model import MEASURES, Area
from dashboard.queries.periods import parse_period
from dashboard.settings import Settings

TOP_CHOICES: Final = (10, 15, 20, 30)
FLOWS: Final = ("exports", "imports", "turnover", "balance")
MAP_MEASURES: Final = ("turnover", "exports", "imports", "balance")
MAX_COMPARE: Final = 8
# URL parameter names, in the order they are written.
PARAMETERS: Final = (
    "view", "reporter", "partner", "freq", "period", "source", "flows", "measure", "top", "partners", "map",
    "lang",
)  # fmt: skip


def top_choices(settings: Settings) -> tuple[int, ...]:
    """How many partners the ranking may show: the usual choices plus the configured default."""
    return tuple(sorted({*TOP_CHOICES, settings.top_partners}))


@dataclass(frozen=True)
class ViewState:
    """A complete, valid selection. `period` is None only when the reporter has no data in `frequency`."""

    reporter: str
    partner: str | None
    period: str | None
    measure: str = "turnover"
    top: int = 15
    compare: tuple[str, ...] = ()
    frequency: str = "annual"
    source: str | None = None
    flows: tuple[str, ...] = FLOWS
    view: str = "bilateral"
    map_measure: str = "turnover"
    lang: str = DEFAULT_LANGUAGE

    @property
    def year(self) -> int | None:
        """The calendar year of the period."""
        parsed = parse_period(self.frequency, self.period) if self.period else None
        return parsed[0] if parsed else None

    @property
    def options_key(self) -> str:
        """What the option lists (partners, periods, sources, frequencies) depend on: reporter, frequency and
        source. The page keeps it (ids.VIEW_REPORTER) so the lists are rebuilt only when it changes."""
        return f"{self.reporter}|{self.frequency}|{self.source or ''}"


@dataclass(frozen=True)
class ResolvedView:
    """A valid state with the option lists it was checked against and notes on replaced values."""

    state: ViewState
    reporters: tuple[Area, ...]
    partners: tuple[Area, ...]
    periods: tuple[str, ...]
    frequencies: tuple[str, ...] = ("annual",)
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def years(self) -> tuple[int, ...]:
        """The calendar years among the periods (annual frequency: the periods themselves)."""
        return tuple(dict.fromkeys(int(p[:4]) for p in self.periods))

    @property
    def annual_only(self) -> bool:
        """True when the reporter has no monthly or cumulative data in any source."""
        return self.frequencies == ("annual",)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def state_of_controls(values: Mapping[str, object], lang: object = None) -> ViewState | None:
    """The view state the page's controls hold (a route's store, callbacks/routes.py), its types checked
    once: anything a forged request may send reads as missing or as the default. None without a reporter.

    The controls are already valid for the data (`_sync` in callbacks/state.py repairs them); this only
    makes sure every chart's content function gets the types `ViewState` promises."""
    reporter = _text(values.get("reporter"))
    if reporter is None:
        return None
    measure, map_measure = values.get("measure"), values.get("map_measure")
    compare, flows, top = values.get("compare"), values.get("flows"), whole_number(values.get("top"))
    return ViewState(
        reporter=reporter,
        partner=_text(values.get("partner")),
        period=_text(values.get("period")),
        measure=measure if isinstance(measure, str) and measure in MEASURES else "turnover",
        top=top if top is not None and top > 0 else 15,
        compare=tuple(c for c in compare if isinstance(c, str))[:MAX_COMPARE]
        if isinstance(compare, (list, tuple))
        else (),
        frequency=_text(values.get("frequency")) or "annual",
        source=_text(values.get("source")),
        flows=tuple(f for f in flows if f in FLOWS) if isinstance(flows, (list, tuple)) else FLOWS,
        map_measure=map_measure
        if isinstance(map_measure, str) and map_measure in MAP_MEASURES
        else "turnover",
        lang=lang if isinstance(lang, str) and lang in LANGUAGES else DEFAULT_LANGUAGE,
    )


def parse_search(search: str | None) -> dict[str, str]:
    """`?reporter=AZE&partner=ITA` -> {'reporter': 'AZE', 'partner': 'ITA'} (last value wins)."""
    if not search or not isinstance(search, str):  # a forged request may send any JSON here (a 500 before)
        return {}
    return {key: values[-1] for key, values in parse_qs(search.lstrip("?"), keep_blank_values=True).items()}


def to_search(state: ViewState) -> str:
    """The URL query string that reproduces `state`."""
    params: dict[str, str] = {"view": state.view, "reporter": state.reporter}
    if state.partner:
        params["partner"] = state.partner
    params["freq"] = state.frequency
    if state.period is not None:
        params["period"] = state.period
    if state.source:
        params["source"] = state.source
    params["flows"] = ",".join(state.flows)
    params["measure"] = state.measure
    params["top"] = str(state.top)
    params["partners"] = ",".join(state.compare)
    params["map"] = state.map_measure
    params["lang"] = state.lang
    return "?" + urlencode(params, safe=",")


def wanted_from_search(search: str | None) -> dict[str, object]:
    """The keyword arguments of `resolve_view` a link asks for (`compare` and `year` are older names)."""
    wanted = parse_search(search)
    partners = wanted.get("partners", wanted.get("compare"))
    flows = wanted.get("flows")
    return {
        "view": wanted.get("view"),
        "reporter": wanted.get("reporter"),
        "partner": wanted.get("partner"),
        "frequency": wanted.get("freq"),
        "period": wanted.get("period", wanted.get("year")),
        "source": wanted.get("source"),
        "flows": None if flows is None else [f for f in flows.split(",") if f],
        "measure": wanted.get("measure"),
        "top": wanted.get("top"),
        "compare": None if partners is None else [c for c in partners.split(",") if c],
        "map_measure": wanted.get("map"),
        "lang": wanted.get("lang"),
    }


def resolve_view(
    queries: TradeQueries,
    settings: Settings,
    *,
    reporter: object = None,
    partner: object = None,
    year: object = None,
    period: object = None,
    frequency: object = None,
    source: object = None,
    flows: Sequence[object] | None = None,
    measure: object = None,
    top: object = None,
    compare: Sequence[object] | None = None,
    view: object = None,
    map_measure: object = None,
    lang: object = None,
    views: Sequence[str],
    explain: bool = False,
) -> ResolvedView:
    """The closest valid state to the wanted values (any of which may be missing or nonsense).

    `views`: the view ids (dashboard/registry.py). `explain`: the values come from a link; each one that had
    to be replaced gets a note.
    """
    notes: list[str] = []

    def replaced(name: str, value: object, used: object) -> None:
        if explain and value is not None:
            shown = str(value)[:40]
            notes.append(f"{name}={shown!r} → {used}")

    reporters = queries.reporters()
    reporter_codes = [a.code for a in reporters]
    chosen_reporter = next(
        (c for c in (reporter, settings.reporter) if isinstance(c, str) and c in reporter_codes),
        reporter_codes[0] if reporter_codes else settings.reporter,
    )
    if reporter != chosen_reporter:
        replaced("reporter", reporter, chosen_reporter)

    frequencies = queries.frequencies(chosen_reporter) or ("annual",)
    chosen_frequency = (
        frequency if isinstance(frequency, str) and frequency in frequencies else frequencies[0]
    )
    if frequency != chosen_frequency:
        replaced("freq", frequency, chosen_frequency)

    sources = queries.available_sources(chosen_reporter, chosen_frequency)
    chosen_source = queries.source_for(chosen_reporter, chosen_frequency, wanted=source)
    if source != chosen_source:
        replaced("source", source, chosen_source)

    stored = queries.partner_options(chosen_reporter, source=chosen_source)
    partners = (*stored, *queries.group_options(chosen_reporter, source=chosen_source))
    partner_codes = [a.code for a in partners]
    chosen_partner = next(
        (
            c
            for c in (partner, settings.partner, settings.reporter)
            if isinstance(c, str) and c in partner_codes
        ),
        None,
    )
    periods = queries.periods(chosen_reporter, frequency=chosen_frequency, source=chosen_source)
    if chosen_partner is None and partner_codes:
        latest = periods[-1] if periods else None
        ranking = queries.period_ranking(
            chosen_reporter, latest, frequency=chosen_frequency, source=chosen_source
        )
        ranked = ranking.frame[ranking.frame["rank"].notna()]
        chosen_partner = str(ranked["partner"].iloc[0]) if len(ranked) else partner_codes[0]
    if partner != chosen_partner:
        replaced("partner", partner, chosen_partner)

    wanted_period = period if period is not None else year
    if isinstance(wanted_period, int) and not isinstance(wanted_period, bool):
        wanted_period = str(wanted_period)
    chosen_period: str | None
    if isinstance(wanted_period, str) and wanted_period in periods:
        chosen_period = wanted_period
    else:
        chosen_period = _latest_period_of_pair(queries, chosen_reporter, chosen_partner, chosen_frequency,
                                               chosen_source, periods)  # fmt: skip
        replaced("period", wanted_period, chosen_period)

    chosen_compare: tuple[str, ...]
    if compare is not None:
        valid = tuple(dict.fromkeys(c for c in compare if isinstance(c, str) and c in partner_codes))
        chosen_compare = valid[:MAX_COMPARE]
        dropped = [str(c) for c in compare if not (isinstance(c, str) and c in valid)]
        if dropped:
            replaced("partners", ",".join(dropped), "left out")
        if len(valid) > MAX_COMPARE:
            replaced("partners", f"{len(valid)} partners", f"the first {MAX_COMPARE}")
    else:
        chosen_compare = ()
    if compare is None or (not chosen_compare and len(compare) > 0):
        # Nothing asked for, or nothing asked for exists for this reporter: the default set, or failing that
        # the reporter's largest partners.
        chosen_compare = tuple(c for c in settings.comparison if c in partner_codes)[:MAX_COMPARE]
        if not chosen_compare and periods:
            ranking = queries.period_ranking(chosen_reporter, periods[-1][:4], source=chosen_source)
            largest = top_of(ranking.frame, 6)
            chosen_compare = tuple(str(c) for c in largest["partner"])
        if not chosen_compare:
            countries = [a.code for a in partners if a.kind in ("country", "historical")]
            chosen_compare = tuple(countries[:6])

    # At least one series is drawn: unknown names are dropped, nothing at all means all four.
    chosen_flows = FLOWS if flows is None else tuple(f for f in FLOWS if f in flows) or FLOWS
    if flows is not None and (not flows or any(f not in FLOWS for f in flows)):
        replaced("flows", ",".join(str(f) for f in flows), ",".join(chosen_flows))

    chosen_measure = measure if isinstance(measure, str) and measure in MEASURES else "turnover"
    if measure != chosen_measure:
        replaced("measure", measure, chosen_measure)
    wanted_top = whole_number(top)
    chosen_top = wanted_top if wanted_top in top_choices(settings) else settings.top_partners
    if top is not None and wanted_top != chosen_top:
        replaced("top", top, chosen_top)
    chosen_view = view if isinstance(view, str) and view in views else views[0]
    if view != chosen_view:
        replaced("view", view, chosen_view)
    chosen_map = map_measure if isinstance(map_measure, str) and map_measure in MAP_MEASURES else "turnover"
    if map_measure != chosen_map:
        replaced("map", map_measure, chosen_map)
    chosen_lang = lang if isinstance(lang, str) and lang in LANGUAGES else DEFAULT_LANGUAGE
    if lang != chosen_lang:
        replaced("lang", lang, chosen_lang)

    state = ViewState(
        reporter=chosen_reporter,
        partner=chosen_partner,
        period=chosen_period,
        measure=chosen_measure,
        top=chosen_top,
        compare=chosen_compare,
        frequency=chosen_frequency,
        source=chosen_source,
        flows=chosen_flows,
        view=chosen_view,
        map_measure=chosen_map,
        lang=chosen_lang,
    )
    return ResolvedView(
        state=state,
        reporters=reporters,
        partners=partners,
        periods=periods,
        frequencies=frequencies,
        sources=sources,
        notes=tuple(notes),
    )


def _latest_period_of_pair(
    queries: TradeQueries,
    reporter: str,
    partner: str | None,
    frequency: str,
    source: str | None,
    periods: Sequence[str],
) -> str | None:
    """The latest period with a figure for the pair, else the reporter's latest period."""
    if partner is not None and source is not None:
        if frequency == "annual" and partner not in queries.groups:
            year = queries.latest_year(reporter, partner, source=source)
            if year is not None and str(year) in periods:
                return str(year)
        else:
            table = queries.period_table(
                reporter, frequency=frequency, source=source, partners=[partner]
            ).frame
            if len(table):
                return str(table.sort_values(["year", "month"])["period"].iloc[-1])
    return periods[-1] if periods else None


def state_from_search(
    queries: TradeQueries, settings: Settings, search: str | None, *, views: Sequence[str]
) -> ResolvedView:
    """The view a link asks for, with notes on every parameter that had to be replaced."""
    wanted: Mapping[str, object] = wanted_from_search(search)
    return resolve_view(queries, settings, views=views, explain=True, **wanted)  # type: ignore[arg-type]
