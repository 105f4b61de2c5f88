"""What the page shows (reporter, partner, year, ranking options, compared partners) and its URL form.

The state is resolved in one place so that every combination a user can reach, by the controls or by a
shared link, is valid for the data: an unknown partner falls back to a sensible one, a year outside the
reporter's data to the latest year of the pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from dashboard.queries import MEASURES, Area, TradeQueries, whole_number
from dashboard.settings import Settings

TOP_CHOICES = (10, 15, 20, 30)


def top_choices(settings: Settings) -> tuple[int, ...]:
    """How many partners the ranking may show: the usual choices plus the configured default."""
    return tuple(sorted({*TOP_CHOICES, settings.top_partners}))


@dataclass(frozen=True)
class ViewState:
    """A complete, valid selection. `year` is None only when the reporter has no annual data."""

    reporter: str
    partner: str | None
    year: int | None
    measure: str
    top: int
    compare: tuple[str, ...]


@dataclass(frozen=True)
class ResolvedView:
    """A valid state with the option lists it was checked against."""

    state: ViewState
    reporters: tuple[Area, ...]
    partners: tuple[Area, ...]
    years: tuple[int, ...]


def parse_search(search: str | None) -> dict[str, str]:
    """`?reporter=AZE&partner=ITA` -> {'reporter': 'AZE', 'partner': 'ITA'} (last value wins)."""
    if not search or not isinstance(search, str):  # a forged request may send any JSON here (a 500 before)
        return {}
    return {key: values[-1] for key, values in parse_qs(search.lstrip("?"), keep_blank_values=True).items()}


def to_search(state: ViewState) -> str:
    """The URL query string that reproduces `state`."""
    params: dict[str, str] = {"reporter": state.reporter}
    if state.partner:
        params["partner"] = state.partner
    if state.year is not None:
        params["year"] = str(state.year)
    params["measure"] = state.measure
    params["top"] = str(state.top)
    params["compare"] = ",".join(state.compare)
    return "?" + urlencode(params, safe=",")


def resolve_view(
    queries: TradeQueries,
    settings: Settings,
    *,
    reporter: object = None,
    partner: object = None,
    year: object = None,
    measure: object = None,
    top: object = None,
    compare: Sequence[object] | None = None,
) -> ResolvedView:
    """The closest valid state to the wanted values (any of which may be missing or nonsense)."""
    reporters = queries.reporters()
    reporter_codes = [a.code for a in reporters]
    chosen_reporter = next(
        (c for c in (reporter, settings.reporter) if isinstance(c, str) and c in reporter_codes),
        reporter_codes[0] if reporter_codes else settings.reporter,
    )
    partners = queries.partner_options(chosen_reporter)
    partner_codes = [a.code for a in partners]
    years = queries.years(chosen_reporter)

    chosen_partner = next(
        (
            c
            for c in (partner, settings.partner, settings.reporter)
            if isinstance(c, str) and c in partner_codes
        ),
        None,
    )
    if chosen_partner is None and partner_codes:
        latest = years[-1] if years else None
        top_partner = queries.partner_ranking(chosen_reporter, latest, top=1).frame
        chosen_partner = str(top_partner["partner"].iloc[0]) if len(top_partner) else partner_codes[0]

    wanted_year = whole_number(year)
    chosen_year: int | None
    if wanted_year in years:
        chosen_year = wanted_year
    else:
        chosen_year = queries.latest_year(chosen_reporter, chosen_partner) if chosen_partner else None
        if chosen_year is None and years:
            chosen_year = years[-1]

    wanted_top = whole_number(top)
    chosen_compare: tuple[str, ...]
    if compare is not None:
        chosen_compare = tuple(dict.fromkeys(c for c in compare if isinstance(c, str) and c in partner_codes))
    else:
        chosen_compare = ()
    if compare is None or (not chosen_compare and len(compare) > 0):
        # Nothing asked for, or nothing asked for exists for this reporter: the default set, or failing that
        # the reporter's largest partners.
        chosen_compare = tuple(c for c in settings.comparison if c in partner_codes)
        if not chosen_compare and years:
            largest = queries.partner_ranking(chosen_reporter, years[-1], top=6).frame
            chosen_compare = tuple(str(c) for c in largest["partner"])
        if not chosen_compare:
            # No ranking either (the reporter has no World total): its first partner countries.
            countries = [a.code for a in partners if a.kind in ("country", "historical")]
            chosen_compare = tuple(countries[:6])

    state = ViewState(
        reporter=chosen_reporter,
        partner=chosen_partner,
        year=chosen_year,
        measure=measure if isinstance(measure, str) and measure in MEASURES else "turnover",
        top=wanted_top if wanted_top in top_choices(settings) else settings.top_partners,
        compare=chosen_compare,
    )
    return ResolvedView(state=state, reporters=reporters, partners=partners, years=years)
