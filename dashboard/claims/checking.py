"""Each claim checked against the data (see the package docstring for the verdicts)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from dashboard.claims.consistency import internal_findings
from dashboard.claims.lookup import ClaimData
from dashboard.claims.model import (
    ABOUT,
    ABOUT_SHARE,
    AT_LEAST,
    AT_MOST,
    CONSISTENT,
    EXACT,
    IMPLAUSIBLE,
    INCONSISTENT,
    INTERNALLY_INCONSISTENT,
    NON_NEGATIVE,
    NOT_CHECKABLE,
    WORLD,
    Claim,
    Period,
    SeriesValue,
    Verdict,
    shown,
    within,
)
from dashboard.claims.reading.language import detect_language
from dashboard.claims.reading.mentions import default_names
from dashboard.claims.reading.text import extract_claims
from dashboard.claims.wording import Area, Money, Number, Percent, Said, When, Word, joined
from dashboard.format import MINUS

if TYPE_CHECKING:
    from dashboard.queries.answers import TradeQueries


def check_claims(claims: Sequence[Claim], queries: TradeQueries, *, reporter: str = "AZE") -> list[Verdict]:
    """A verdict for each claim (in order) against the numbers the page shows (`lookup.ClaimData`), then the
    text's own contradictions applied (see the package docstring)."""
    index = ClaimData(queries, reporter)
    verdicts = [_check_one(claim, index, claims) for claim in claims]
    by_claim: dict[int, list[str]] = {}
    for finding in internal_findings(claims):
        for involved in {id(c) for c in finding.claims}:
            by_claim.setdefault(involved, []).append(finding.message)
    result = []
    for claim, verdict in zip(claims, verdicts, strict=True):
        messages = tuple(by_claim.get(id(claim), ()))
        if messages:
            verdict = replace(
                verdict,
                word=INTERNALLY_INCONSISTENT,
                data_word=verdict.word,
                findings=messages,
                explanation=(
                    Said(
                        "{findings}. Against the data: {word} ({why})",
                        findings=joined(messages),
                        word=Word(verdict.word),
                        why=verdict.explanation,
                    )
                    if verdict.explanation
                    else Said(
                        "{findings}. Against the data: {word}",
                        findings=joined(messages),
                        word=Word(verdict.word),
                    )
                ),
            )
        result.append(verdict)
    return result


def _check_one(claim: Claim, index: ClaimData, claims: Sequence[Claim]) -> Verdict:
    if claim.unclear is not None:  # a doubtful reading never gets a verdict against the data
        return Verdict(claim, NOT_CHECKABLE, None, claim.unclear)
    if claim.currency != "USD":
        return Verdict(
            claim,
            NOT_CHECKABLE,
            None,
            Said("stated in {currency}; the data are in US dollars", currency=claim.currency),
        )
    if claim.measure is None:
        return Verdict(claim, NOT_CHECKABLE, None, Said("the text does not say what this figure measures"))
    if claim.measure == "change":
        return Verdict(claim, NOT_CHECKABLE, None, Said("growth rates are not checked"))
    if claim.partner is None:
        return Verdict(claim, NOT_CHECKABLE, None, Said("no partner is named"))
    if claim.period is None:
        return Verdict(claim, NOT_CHECKABLE, None, Said("no period is stated"))
    if claim.partner != WORLD and not index.known(claim.partner, claim.period.first_year):
        return Verdict(
            claim,
            NOT_CHECKABLE,
            None,
            Said(
                "the data hold no figures for {partner} in {period}",
                partner=_area(index, claim.partner),
                period=_when(claim.period),
            ),
        )
    period = claim.period
    if claim.reported_by is not None:
        return _partner_report_verdict(claim, index)
    exact = index.lookup(claim.partner, claim.measure, period, basis=claim.basis)
    mirror = index.mirror(claim.partner, claim.measure, period)
    # A turnover of which only one flow is reported is a floor, not the figure: a stated turnover above it
    # may be right (the unreported flow), so it is never "inconsistent" against it.
    partial = [v for v in exact if v.measure.startswith("turnover (partial")]
    if partial and len(partial) == len(exact) and claim.measure == "turnover":
        return _partial_verdict(claim, partial, index, claims, mirror)
    if exact:
        return _against(claim, exact, mirror)
    if claim.bound != EXACT:
        return Verdict(
            claim,
            NOT_CHECKABLE,
            None,
            Said(
                "{period} is not in the data for {partner}, and {bound} {text} is a bound, not a figure to "
                "compare with the periods around it",
                period=_when(period),
                partner=_area(index, claim.partner),
                bound=Word(claim.bound),
                text=claim.text,
            ),
            tuple(mirror),
        )
    return _bounds_verdict(claim, index, claims, mirror)


def _partial_verdict(
    claim: Claim,
    partial: Sequence[SeriesValue],
    index: ClaimData,
    claims: Sequence[Claim],
    mirror: Sequence[SeriesValue],
) -> Verdict:
    """A stated turnover where the data report one flow only: consistent when it is that flow (as the page
    shows it), implausible below it, else checked by what the text's other figures imply, or not checkable."""
    floor = partial[0]
    assert floor.value is not None and claim.period is not None
    if any(v.value is not None and within(claim, v.value) for v in partial):
        return _against(claim, partial, mirror)
    if claim.bound != AT_LEAST and claim.value + claim.tolerance < floor.value:
        return Verdict(
            claim,
            IMPLAUSIBLE,
            floor,
            Said(
                "turnover of {text} cannot be less than the one flow reported alone, {value}",
                text=claim.text,
                value=Money(floor.value),
            ),
            tuple(partial[1:]) + tuple(mirror),
        )
    implied = _implied_verdict(claim, index, claims, mirror)
    if implied is not None:
        return implied
    return Verdict(
        claim,
        NOT_CHECKABLE,
        floor,
        Said(
            "the data hold only {flow} for {period}: the turnover is at least {value}, and the stated {text} is "
            "above that floor",
            flow=Word("exports" if "only exports" in floor.measure else "imports"),
            period=_when(claim.period),
            value=Money(floor.value),
            text=claim.text,
        ),
        tuple(partial[1:]) + tuple(mirror),
    )


def _partner_report_verdict(claim: Claim, index: ClaimData) -> Verdict:
    """A claim about the partner's own report: checked against its series, the reporter's own shown beside."""
    assert claim.period is not None and claim.measure in ("exports", "imports") and claim.reported_by
    partner = claim.reported_by
    reporter = _area(index, index.reporter)
    theirs = index.partner_report(
        partner,
        claim.measure,
        claim.period,
        Said("{partner}'s report", partner=_area(index, partner)),
        _flow_towards(claim.measure, reporter),
    )
    # The reporter's own figure of the same flow: its exports for the partner's imports, and the reverse.
    own_measure = "exports" if claim.measure == "imports" else "imports"
    own = [
        replace(
            v,
            label=Said("{partner}'s report (mirror)", partner=reporter),
            measure=_flow_towards(own_measure, _area(index, partner)),
        )
        for v in index.lookup(partner, own_measure, claim.period)
    ]
    if not theirs:
        return Verdict(
            claim,
            NOT_CHECKABLE,
            None,
            Said(
                "{partner}'s own report of its {measure} in {period} is not in the data",
                partner=_area(index, partner),
                measure=Word(claim.measure),
                period=_when(claim.period),
            ),
            tuple(own),
        )
    return _against(claim, theirs, own)


def _against(claim: Claim, series: Sequence[SeriesValue], beside: Sequence[SeriesValue]) -> Verdict:
    """Consistent when a series gives the claimed value within its rounding (that series named), else
    inconsistent against the preferred series; the other series and `beside` shown with it."""
    matching = [v for v in series if v.value is not None and within(claim, v.value)]
    primary = matching[0] if matching else series[0]
    others = tuple(v for v in series if v is not primary) + tuple(beside)
    if matching:
        return Verdict(claim, CONSISTENT, primary, _consistent_text(claim, primary), others)
    return Verdict(claim, INCONSISTENT, primary, _gap_text(claim, primary), others)


def _consistent_text(claim: Claim, data: SeriesValue) -> Said:
    if claim.measure == "rank":
        return Said("the data give #{rank}", rank=int(data.value or 0))
    value = shown(claim, data.value)
    if claim.bound in (AT_LEAST, AT_MOST):
        return Said(
            "the data give {value}, {bound} {text} as stated",
            value=value,
            bound=Word(claim.bound),
            text=claim.text,
        )
    if claim.bound == ABOUT:
        return Said(
            "the data give {value}, about {text} (within {share}) as stated",
            value=value,
            text=claim.text,
            share=Percent(ABOUT_SHARE, 0),
        )
    return Said("the data give {value}, within the rounding of {text}", value=value, text=claim.text)


def _gap_text(claim: Claim, data: SeriesValue) -> Said:
    assert data.value is not None
    if claim.measure == "rank":
        return Said("the data give #{rank}, not #{claimed}", rank=int(data.value), claimed=int(claim.value))
    gap = claim.value - data.value
    value = shown(claim, data.value)
    if claim.bound == AT_LEAST:
        return Said(
            "the data give {value}, less than the {text} the text gives as a floor",
            value=value,
            text=claim.text,
        )
    if claim.bound == AT_MOST:
        return Said(
            "the data give {value}, more than the {text} the text gives as a ceiling",
            value=value,
            text=claim.text,
        )
    if claim.measure == "share":
        return Said(
            "the data give {value}; the claim is {gap} percentage points off",
            value=value,
            gap=Number(gap * 100, 2, signed=True),
        )
    off = Said("{sign}{amount}", sign="+" if gap > 0 else MINUS, amount=Money(abs(gap)))
    if not data.value:
        return Said("the data give {value}; the claim is {gap} off", value=Money(data.value), gap=off)
    return Said(
        "the data give {value}; the claim is {gap} off, {relative}%",
        value=Money(data.value),
        gap=off,
        relative=Number(gap / data.value * 100, 1, signed=True),
    )


def _when(period: Period) -> When:
    return When(period.start, period.end)


def _area(index: ClaimData, code: str) -> Area:
    return Area(code, index.name(code))


def _in_whole(period: Period) -> Said:
    """`in the whole of 2020`, `in January–July 2020`."""
    if period.is_year:
        return Said("in the whole of {year}", year=str(period.first_year))
    return Said("in {period}", period=_when(period))


def _flow_towards(flow: str, area: Area) -> Said:
    """`exports to Azerbaijan`, `imports from Italy`."""
    if flow == "exports":
        return Said("exports to {partner}", partner=area)
    return Said("imports from {partner}", partner=area)


def _bounds_verdict(
    claim: Claim, index: ClaimData, claims: Sequence[Claim], mirror: Sequence[SeriesValue]
) -> Verdict:
    assert claim.period is not None and claim.partner is not None and claim.measure is not None
    period = claim.period
    partner_area = _area(index, claim.partner)
    missing = Said("{period} is not in the data for {partner}", period=_when(period), partner=partner_area)
    available = index.periods(claim.partner, period.first_year)
    if claim.measure in NON_NEGATIVE:
        upper, lower = index.bounds(claim.partner, claim.measure, period)
        if upper and upper[0].value is not None and claim.value - claim.tolerance > upper[0].value:
            bound = upper[0]
            return Verdict(
                claim,
                IMPLAUSIBLE,
                bound,
                Said(
                    "{measure} of {text} in {period} cannot exceed {measure} {with_partner} {in_whole}, {value}",
                    measure=Word(claim.measure),
                    text=claim.text,
                    period=_when(period),
                    with_partner=_with(claim.partner, partner_area),
                    in_whole=_in_whole(bound.period),
                    value=Money(bound.value),
                ),
                tuple(upper[1:]) + tuple(mirror),
            )
        if lower and lower[0].value is not None and claim.value + claim.tolerance < lower[0].value:
            bound = lower[0]
            return Verdict(
                claim,
                IMPLAUSIBLE,
                bound,
                Said(
                    "{measure} of {text} in {period} cannot be less than in {shorter} alone, {value}",
                    measure=Word(claim.measure),
                    text=claim.text,
                    period=_when(period),
                    shorter=_when(bound.period),
                    value=Money(bound.value),
                ),
                tuple(lower[1:]) + tuple(mirror),
            )
        implied = _implied_verdict(claim, index, claims, mirror)
        if implied is not None:
            return implied
        if upper:
            bound = upper[0]
            return Verdict(
                claim,
                NOT_CHECKABLE,
                bound,
                Said(
                    "{missing}; within the bound: {measure} {in_whole} were {value}"
                    if claim.measure.endswith("s")
                    else "{missing}; within the bound: {measure} {in_whole} was {value}",
                    missing=missing,
                    measure=Word(claim.measure),
                    in_whole=_in_whole(bound.period),
                    value=Money(bound.value),
                ),
                tuple(upper[1:]) + tuple(mirror),
            )
    reference = None
    if claim.measure in ("share", "rank"):
        # The whole year first, then the periods containing the claimed one in order; the preferred source.
        containing = [
            r.period
            for r in index.rows(claim.partner, period.first_year)
            if r.period.contains(period) and r.period != period
        ]
        for other in sorted(set(containing), key=lambda p: (not p.is_year, p)):
            found = index.lookup(claim.partner, claim.measure, other, basis=claim.basis)
            if found:
                reference = found[0]
                break
    if reference is not None:
        return Verdict(
            claim,
            NOT_CHECKABLE,
            reference,
            Said(
                "{missing}; for reference, {in_whole} the data give {value}",
                missing=missing,
                in_whole=_in_whole(reference.period),
                value=shown(claim, reference.value),
            ),
            tuple(mirror),
        )
    if period in available:
        reported = [f for f in ("exports", "imports") if index.lookup(claim.partner, f, period)]
        what = (
            Said("only exports and imports reported")
            if len(reported) == 2
            else Said("only {flow} reported", flow=Word(reported[0]))
            if reported
            else Said("nothing reported")
        )
        return Verdict(
            claim,
            NOT_CHECKABLE,
            None,
            Said(
                "the data hold no {measure} {with_partner} in {period} ({what})",
                measure=Word(claim.measure),
                with_partner=_with(claim.partner, partner_area),
                period=_when(period),
                what=what,
            ),
            tuple(mirror),
        )
    if available:
        return Verdict(
            claim,
            NOT_CHECKABLE,
            None,
            Said(
                "{missing} (for {year} the data hold {periods})",
                missing=missing,
                year=str(period.first_year),
                periods=joined([_when(p) for p in available[:4]], ", "),
            ),
            tuple(mirror),
        )
    return Verdict(
        claim,
        NOT_CHECKABLE,
        None,
        Said("no data for {year}: {missing}", year=str(period.first_year), missing=missing),
        tuple(mirror),
    )


def _with(partner: str, area: Area) -> Said:
    return Said("in total") if partner == WORLD else Said("with {partner}", partner=area)


def _implied_verdict(
    claim: Claim, index: ClaimData, claims: Sequence[Claim], mirror: Sequence[SeriesValue]
) -> Verdict | None:
    """Turnover and one flow stated for the same partner and period imply the other flow; check its bound.
    The verdict is the same for both figures of the pair, each naming the likely culprit."""
    if claim.measure == "turnover":
        pairs = [
            (claim, c)
            for c in claims
            if c.measure in ("exports", "imports") and c.partner == claim.partner and c.period == claim.period
        ]
    elif claim.measure in ("exports", "imports"):
        pairs = [
            (c, claim)
            for c in claims
            if c.measure == "turnover" and c.partner == claim.partner and c.period == claim.period
        ]
    else:
        return None
    assert claim.period is not None and claim.partner is not None
    for turnover, other in pairs:
        stated_flow = str(other.measure)
        implied_flow = "imports" if stated_flow == "exports" else "exports"
        implied = turnover.value - other.value
        slack = turnover.tolerance + other.tolerance
        upper, _ = index.bounds(claim.partner, implied_flow, claim.period)
        arithmetic = Said(
            "turnover {turnover} with {flow} {value} implies {implied_flow} of {implied} in {period}",
            turnover=Money(turnover.value),
            flow=Word(stated_flow),
            value=Money(other.value),
            implied_flow=Word(implied_flow),
            implied=Money(implied),
            period=_when(claim.period),
        )
        if implied + slack < 0:
            return Verdict(
                claim,
                IMPLAUSIBLE,
                None,
                Said("{arithmetic}, which cannot be negative", arithmetic=arithmetic),
                tuple(mirror),
            )
        exact = index.lookup(claim.partner, implied_flow, claim.period)
        bound = exact[0] if exact else (upper[0] if upper else None)
        if bound is not None and bound.value is not None and implied - slack > bound.value:
            return Verdict(
                claim,
                IMPLAUSIBLE,
                bound,
                Said(
                    "{arithmetic}, but {flow_towards} {in_whole} were {value}. {culprit}",
                    arithmetic=arithmetic,
                    flow_towards=_flow_towards(implied_flow, _area(index, claim.partner)),
                    in_whole=_in_whole(bound.period),
                    value=Money(bound.value),
                    culprit=_culprit(turnover, other, bound.value, index),
                ),
                tuple(mirror),
            )
    return None


def _culprit(turnover: Claim, flow: Claim, implied_bound: float, index: ClaimData) -> Said:
    """Which of two stated figures (a turnover and one flow) that cannot both sit under the data's bound on
    the other flow is the likely culprit, with the arithmetic both ways: a figure the data confirm is cleared."""
    assert turnover.partner is not None and turnover.period is not None and flow.measure is not None
    most_turnover = flow.value + implied_bound
    least_flow = turnover.value - implied_bound
    both_ways = Said(
        "Either the turnover is at most {most} ({flow} {value} + {bound}), or {flow} were at least {least}, not "
        "{text}",
        most=Money(most_turnover),
        flow=Word(flow.measure),
        value=Money(flow.value),
        bound=Money(implied_bound),
        least=Money(least_flow),
        text=flow.text,
    )

    def confirmed(claim: Claim) -> bool:
        assert claim.partner is not None and claim.period is not None and claim.measure is not None
        found = index.lookup(claim.partner, claim.measure, claim.period)
        return bool(found) and found[0].value is not None and within(claim, found[0].value)

    if confirmed(flow):
        cleared = Said("{flow} of {text}", flow=Word(flow.measure), text=flow.text)
        culprit = Said("the turnover of {text}", text=turnover.text)
    elif confirmed(turnover):
        cleared = Said("the turnover of {text}", text=turnover.text)
        culprit = Said("{flow} of {text}", flow=Word(flow.measure), text=flow.text)
    else:
        return Said(
            "{both_ways}; the data for {period} cannot tell which.",
            both_ways=both_ways,
            period=_when(turnover.period),
        )
    return Said(
        "{both_ways}; the data confirm {cleared}, so {culprit} is the likely culprit.",
        both_ways=both_ways,
        cleared=cleared,
        culprit=culprit,
    )


# --- reading the data and one-line reports -------------------------------------------------------------------------


def names_for(queries: TradeQueries, reporter: str, language: str = "en") -> dict[str, str]:
    """Name -> code for `extract_claims` in `language`, from the store's areas of the reporter's partners and
    the names of every country (see `default_names`)."""
    reporter_area = queries.area(reporter)
    partners = tuple((a.code, a.name) for a in queries.partner_options(reporter))
    return dict(_names(partners, reporter, reporter_area.name if reporter_area else None, language))


@functools.lru_cache(maxsize=32)
def _names(
    partners: tuple[tuple[str, str], ...], reporter: str, reporter_name: str | None, language: str
) -> dict[str, str]:
    # Every country's names and aliases: a few ms to build, once per reporter, store and language.
    return default_names(partners, reporter=reporter, reporter_name=reporter_name, language=language)


def check_text(
    queries: TradeQueries, text: str, *, reporter: str = "AZE", language: str | None = None
) -> list[Verdict]:
    """Extract the claims of `text` (in `language`, or the one it is written in) and check them."""
    language = language or detect_language(text)
    claims = extract_claims(
        text, names=names_for(queries, reporter, language), reporter=reporter, language=language
    )
    return check_claims(claims, queries, reporter=reporter)
