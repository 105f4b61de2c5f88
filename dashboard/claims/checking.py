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
    show,
    within,
)
from dashboard.claims.reading.language import detect_language
from dashboard.claims.reading.mentions import default_names
from dashboard.claims.reading.text import extract_claims
from dashboard.format import MINUS, money

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
                explanation="; ".join(messages)
                + (
                    f". Against the data: {verdict.word}"
                    + (f" ({verdict.explanation})" if verdict.explanation else "")
                ),
            )
        result.append(verdict)
    return result


def _check_one(claim: Claim, index: ClaimData, claims: Sequence[Claim]) -> Verdict:
    if claim.unclear is not None:  # a doubtful reading never gets a verdict against the data
        return Verdict(claim, NOT_CHECKABLE, None, claim.unclear)
    if claim.currency != "USD":
        return Verdict(claim, NOT_CHECKABLE, None, f"stated in {claim.currency}; the data are in US dollars")
    if claim.measure is None:
        return Verdict(claim, NOT_CHECKABLE, None, "the text does not say what this figure measures")
    if claim.measure == "change":
        return Verdict(claim, NOT_CHECKABLE, None, "growth rates are not checked")
    if claim.partner is None:
        return Verdict(claim, NOT_CHECKABLE, None, "no partner is named")
    if claim.period is None:
        return Verdict(claim, NOT_CHECKABLE, None, "no period is stated")
    if claim.partner != WORLD and not index.known(claim.partner, claim.period.first_year):
        return Verdict(
            claim,
            NOT_CHECKABLE,
            None,
            f"the data hold no figures for {index.name(claim.partner)} in {claim.period.label}",
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
            f"{period.label} is not in the data for {index.name(claim.partner)}, and {claim.bound} "
            f"{claim.text} is a bound, not a figure to compare with the periods around it",
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
            f"turnover of {claim.text} cannot be less than the one flow reported alone, {money(floor.value)}",
            tuple(partial[1:]) + tuple(mirror),
        )
    implied = _implied_verdict(claim, index, claims, mirror)
    if implied is not None:
        return implied
    return Verdict(
        claim,
        NOT_CHECKABLE,
        floor,
        f"the data hold {floor.measure.removeprefix('turnover (partial: ').rstrip(')')} for "
        f"{claim.period.label}: the turnover is at least {money(floor.value)}, and the stated {claim.text} "
        "is above that floor",
        tuple(partial[1:]) + tuple(mirror),
    )


def _partner_report_verdict(claim: Claim, index: ClaimData) -> Verdict:
    """A claim about the partner's own report: checked against its series, the reporter's own shown beside."""
    assert claim.period is not None and claim.measure in ("exports", "imports") and claim.reported_by
    partner = claim.reported_by
    towards = "from" if claim.measure == "imports" else "to"
    theirs = index.partner_report(
        partner,
        claim.measure,
        claim.period,
        f"{index.name(partner)}'s report",
        f"{claim.measure} {towards} {index.name(index.reporter)}",
    )
    # The reporter's own figure of the same flow: its exports for the partner's imports, and the reverse.
    own_measure = "exports" if claim.measure == "imports" else "imports"
    own = [
        replace(
            v,
            label=f"{index.name(index.reporter)}'s report (mirror)",
            measure=f"{own_measure} {'to' if own_measure == 'exports' else 'from'} {index.name(partner)}",
        )
        for v in index.lookup(partner, own_measure, claim.period)
    ]
    if not theirs:
        return Verdict(
            claim,
            NOT_CHECKABLE,
            None,
            f"{index.name(partner)}'s own report of its {claim.measure} in {claim.period.label} is not in the data",
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


def _consistent_text(claim: Claim, data: SeriesValue) -> str:
    if claim.measure == "rank":
        return f"the data give #{int(data.value or 0)}"
    if claim.bound in (AT_LEAST, AT_MOST):
        return f"the data give {show(claim, data.value)}, {claim.bound} {claim.text} as stated"
    if claim.bound == ABOUT:
        return f"the data give {show(claim, data.value)}, about {claim.text} (within {ABOUT_SHARE:.0%}) as stated"
    return f"the data give {show(claim, data.value)}, within the rounding of {claim.text}"


def _gap_text(claim: Claim, data: SeriesValue) -> str:
    assert data.value is not None
    if claim.measure == "rank":
        return f"the data give #{int(data.value)}, not #{int(claim.value)}"
    gap = claim.value - data.value
    if claim.bound == AT_LEAST:
        return (
            f"the data give {show(claim, data.value)}, less than the {claim.text} the text gives as a floor"
        )
    if claim.bound == AT_MOST:
        return (
            f"the data give {show(claim, data.value)}, more than the {claim.text} the text gives as a ceiling"
        )
    if claim.measure == "share":
        return f"the data give {show(claim, data.value)}; the claim is {gap * 100:+.2f} percentage points off".replace(
            "-", MINUS
        )
    relative = f", {gap / data.value * 100:+.1f}%".replace("-", MINUS) if data.value else ""
    sign = "+" if gap > 0 else MINUS
    return f"the data give {money(data.value)}; the claim is {sign}{money(abs(gap))} off{relative}"


def _in_whole(period: Period) -> str:
    return f"in {period.phrase}"


def _bounds_verdict(
    claim: Claim, index: ClaimData, claims: Sequence[Claim], mirror: Sequence[SeriesValue]
) -> Verdict:
    assert claim.period is not None and claim.partner is not None and claim.measure is not None
    period = claim.period
    partner_name = index.name(claim.partner)
    missing = f"{period.label} is not in the data for {partner_name}"
    available = index.periods(claim.partner, period.first_year)
    if claim.measure in NON_NEGATIVE:
        upper, lower = index.bounds(claim.partner, claim.measure, period)
        if upper and upper[0].value is not None and claim.value - claim.tolerance > upper[0].value:
            bound = upper[0]
            return Verdict(
                claim,
                IMPLAUSIBLE,
                bound,
                f"{claim.measure} of {claim.text} in {period.label} cannot exceed {claim.measure} "
                f"{_with(claim.partner, partner_name)} {_in_whole(bound.period)}, {money(bound.value)}",
                tuple(upper[1:]) + tuple(mirror),
            )
        if lower and lower[0].value is not None and claim.value + claim.tolerance < lower[0].value:
            bound = lower[0]
            return Verdict(
                claim,
                IMPLAUSIBLE,
                bound,
                f"{claim.measure} of {claim.text} in {period.label} cannot be less than in {bound.period.label} "
                f"alone, {money(bound.value)}",
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
                f"{missing}; within the bound: {claim.measure} {_in_whole(bound.period)} "
                f"{'were' if claim.measure.endswith('s') else 'was'} {money(bound.value)}",
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
            f"{missing}; for reference, {_in_whole(reference.period)} the data give {show(claim, reference.value)}",
            tuple(mirror),
        )
    if period in available:
        reported = [f for f in ("exports", "imports") if index.lookup(claim.partner, f, period)]
        what = f"only {' and '.join(reported)} reported" if reported else "nothing reported"
        return Verdict(
            claim,
            NOT_CHECKABLE,
            None,
            f"the data hold no {claim.measure} {_with(claim.partner, partner_name)} in {period.label} ({what})",
            tuple(mirror),
        )
    if available:
        return Verdict(
            claim,
            NOT_CHECKABLE,
            None,
            f"{missing} (for {period.first_year} the data hold {', '.join(p.label for p in available[:4])})",
            tuple(mirror),
        )
    return Verdict(claim, NOT_CHECKABLE, None, f"no data for {period.first_year}: {missing}", tuple(mirror))


def _with(partner: str, name: str) -> str:
    return "in total" if partner == WORLD else f"with {name}"


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
        partner_name = index.name(claim.partner)
        upper, _ = index.bounds(claim.partner, implied_flow, claim.period)
        arithmetic = (
            f"turnover {money(turnover.value)} with {stated_flow} {money(other.value)} implies {implied_flow} of "
            f"{money(implied)} in {claim.period.label}"
        )
        if implied + slack < 0:
            return Verdict(claim, IMPLAUSIBLE, None, f"{arithmetic}, which cannot be negative", tuple(mirror))
        exact = index.lookup(claim.partner, implied_flow, claim.period)
        bound = exact[0] if exact else (upper[0] if upper else None)
        if bound is not None and bound.value is not None and implied - slack > bound.value:
            when = (
                claim.period.label
                if bound.period == claim.period
                else f"the whole of {bound.period.label}"
                if bound.period.is_year
                else bound.period.label
            )
            preposition = "from" if implied_flow == "imports" else "to"
            return Verdict(
                claim,
                IMPLAUSIBLE,
                bound,
                f"{arithmetic}, but {implied_flow} {preposition} {partner_name} in {when} were "
                f"{money(bound.value)}. {_culprit(turnover, other, bound.value, index)}",
                tuple(mirror),
            )
    return None


def _culprit(turnover: Claim, flow: Claim, implied_bound: float, index: ClaimData) -> str:
    """Which of two stated figures (a turnover and one flow) that cannot both sit under the data's bound on
    the other flow is the likely culprit, with the arithmetic both ways: a figure the data confirm is cleared."""
    assert turnover.partner is not None and turnover.period is not None and flow.measure is not None
    most_turnover = flow.value + implied_bound
    least_flow = turnover.value - implied_bound
    both_ways = (
        f"Either the turnover is at most {money(most_turnover)} ({flow.measure} {money(flow.value)} + "
        f"{money(implied_bound)}), or {flow.measure} were at least {money(least_flow)}, not {flow.text}"
    )

    def confirmed(claim: Claim) -> bool:
        assert claim.partner is not None and claim.period is not None and claim.measure is not None
        found = index.lookup(claim.partner, claim.measure, claim.period)
        return bool(found) and found[0].value is not None and within(claim, found[0].value)

    if confirmed(flow):
        cleared, culprit = f"{flow.measure} of {flow.text}", f"the turnover of {turnover.text}"
    elif confirmed(turnover):
        cleared, culprit = f"the turnover of {turnover.text}", f"{flow.measure} of {flow.text}"
    else:
        return f"{both_ways}; the data for {turnover.period.label} cannot tell which."
    return f"{both_ways}; the data confirm {cleared}, so {culprit} is the likely culprit."


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
