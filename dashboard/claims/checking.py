"""Each claim checked against the data (see the package docstring for the verdicts)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Final

import pandas as pd

from dashboard.claims.consistency import internal_findings
from dashboard.claims.model import (
    CONSISTENT,
    IMPLAUSIBLE,
    INCONSISTENT,
    INTERNALLY_INCONSISTENT,
    MONEY_MEASURES,
    NON_NEGATIVE,
    NOT_CHECKABLE,
    RANKED_KINDS,
    WORLD,
    Claim,
    Period,
    SeriesValue,
    Verdict,
    area_name,
    show,
    within,
)
from dashboard.claims.reading.mentions import default_names
from dashboard.claims.reading.text import extract_claims
from dashboard.format import MINUS, money

if TYPE_CHECKING:
    from dashboard.queries.answers import TradeQueries

SOURCE_ORDER: Final = ("imf_dots", "stat_az", "customs_az")


class DataIndex:
    """Fast lookups over `flow_rows` rows: the reporter's rows (every source, every period) and the mirror."""

    def __init__(self, rows: pd.DataFrame, *, reporter: str) -> None:
        self.reporter = reporter
        self.names: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self._values: dict[tuple[str, str, str, str, Period], tuple[float, str, str, str]] = {}
        self._periods: dict[str, set[Period]] = {}
        if rows.empty:
            return
        for row in rows.itertuples(index=False):
            period = Period(str(row.period_start), str(row.period_end))
            key = (str(row.source), str(row.reporter), str(row.partner), str(row.flow), period)
            origin = row.origin if isinstance(row.origin, str) else ""
            attribution = getattr(row, "attribution", "") or ""
            self._values[key] = (float(str(row.value_usd)), str(row.release), origin, str(attribution))
            if row.reporter == reporter:
                self._periods.setdefault(str(row.source), set()).add(period)
                self.names.setdefault(str(row.partner), str(getattr(row, "partner_name", row.partner)))
                self.kinds.setdefault(str(row.partner), str(getattr(row, "partner_kind", "country")))

    def sources(self) -> list[str]:
        order = {s: i for i, s in enumerate(SOURCE_ORDER)}
        return sorted(self._periods, key=lambda s: (order.get(s, len(order)), s))

    def periods(self, source: str) -> set[Period]:
        return self._periods.get(source, set())

    def name(self, code: str | None) -> str:
        if code is None:
            return "?"
        if code == WORLD:
            return "all partners"
        return area_name(code, self.names)

    def flow(
        self, source: str, partner: str, flow: str, period: Period, *, reporter: str | None = None
    ) -> SeriesValue | None:
        who = reporter or self.reporter
        found = self._values.get((source, who, partner, flow, period))
        if found is None:
            return None
        value, release, origin, attribution = found
        label = f"{self.name(who) if who != self.reporter else 'reporter'}"
        return SeriesValue(label, source, attribution, release, value, period, origin)

    def measure(self, source: str, partner: str, measure: str, period: Period) -> SeriesValue | None:
        """The reporter's exports, imports, turnover or balance with `partner` in one source and period."""
        if measure in ("exports", "imports"):
            found = self.flow(source, partner, measure[:-1], period)
            return replace(found, measure=measure) if found is not None else None
        exports = self.flow(source, partner, "export", period)
        imports = self.flow(source, partner, "import", period)
        if exports is None or imports is None or exports.value is None or imports.value is None:
            return None
        value = exports.value + imports.value if measure == "turnover" else exports.value - imports.value
        return replace(
            exports,
            value=value,
            origin=f"{exports.origin} {'+' if measure == 'turnover' else MINUS} {imports.origin}",
            measure=measure,
        )

    def share(self, source: str, partner: str, basis: str, period: Period) -> SeriesValue | None:
        own = self.measure(source, partner, basis, period)
        total = self.measure(source, WORLD, basis, period)
        if own is None or total is None or not total.value or own.value is None:
            return None
        return replace(
            own,
            value=own.value / total.value,
            origin=f"({own.origin}) / (World)",
            measure=f"share of {basis}",
        )

    def rank(self, source: str, partner: str, basis: str, period: Period) -> tuple[SeriesValue, int] | None:
        """(the partner's rank, how many partner countries were ranked); needs the reporter's World row."""
        if self.measure(source, WORLD, basis, period) is None:
            return None
        values: dict[str, float] = {}
        for code, kind in self.kinds.items():
            if kind not in RANKED_KINDS or code == self.reporter:
                continue
            found = self.measure(source, code, basis, period)
            if found is not None and found.value is not None:
                values[code] = found.value
        if partner not in values:
            return None
        rank = 1 + sum(1 for v in values.values() if v > values[partner])
        own = self.measure(source, partner, basis, period)
        assert own is not None
        return replace(own, value=float(rank), origin="", measure=f"rank by {basis}"), len(values)

    def value(self, source: str, claim: Claim, period: Period) -> SeriesValue | None:
        assert claim.partner is not None and claim.measure is not None
        if claim.measure in MONEY_MEASURES:
            return self.measure(source, claim.partner, claim.measure, period)
        if claim.measure == "share":
            return self.share(source, claim.partner, claim.basis, period)
        if claim.measure == "rank":
            ranked = self.rank(source, claim.partner, claim.basis, period)
            return ranked[0] if ranked else None
        return None

    def mirror_sources(self, partner: str) -> list[str]:
        """The sources holding `partner`'s own report of its trade with the reporter."""
        return sorted({k[0] for k in self._values if k[1] == partner and k[2] == self.reporter})

    def mirror(self, claim: Claim, period: Period) -> list[SeriesValue]:
        """The partner's own report of the same flows (its imports for the reporter's exports, etc.)."""
        if claim.partner in (None, WORLD) or claim.measure not in ("exports", "imports", "turnover"):
            return []
        partner = str(claim.partner)
        found = []
        for source in self.mirror_sources(partner):
            theirs_imports = self.flow(source, self.reporter, "import", period, reporter=partner)
            theirs_exports = self.flow(source, self.reporter, "export", period, reporter=partner)
            value: SeriesValue | None
            if claim.measure == "exports":
                value = theirs_imports
            elif claim.measure == "imports":
                value = theirs_exports
            else:
                value = (
                    replace(theirs_imports, value=(theirs_imports.value or 0) + (theirs_exports.value or 0))
                    if theirs_imports and theirs_exports
                    else None
                )
            if value is not None:
                what = {"exports": "imports from", "imports": "exports to", "turnover": "turnover with"}[
                    claim.measure
                ]
                found.append(
                    replace(
                        value,
                        label=f"{self.name(partner)}'s report (mirror)",
                        measure=f"{what} {self.name(self.reporter)}",
                    )
                )
        return found


def check_claims(claims: Sequence[Claim], rows: pd.DataFrame, *, reporter: str = "AZE") -> list[Verdict]:
    """A verdict for each claim (in order) against `rows` (the reporter's `flow_rows` with every partner and
    the partners' rows about the reporter), then the text's own contradictions applied (see module docstring).
    """
    index = rows if isinstance(rows, DataIndex) else DataIndex(rows, reporter=reporter)
    verdicts = [_check_one(claim, index, claims) for claim in claims]
    findings = internal_findings(claims)
    result = []
    for claim, verdict in zip(claims, verdicts, strict=True):
        messages = tuple(f.message for f in findings if any(c is claim for c in f.claims))
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


def _check_one(claim: Claim, index: DataIndex, claims: Sequence[Claim]) -> Verdict:
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
    if claim.partner != WORLD and claim.partner not in index.names:
        return Verdict(
            claim,
            NOT_CHECKABLE,
            None,
            f"the data hold no figures for {index.name(claim.partner)} in {claim.period.label}",
        )
    period = claim.period
    if claim.reported_by is not None:
        return _partner_report_verdict(claim, index)
    exact = [v for s in index.sources() if (v := index.value(s, claim, period)) is not None]
    mirror = index.mirror(claim, period)
    if exact:
        matching = [v for v in exact if v.value is not None and within(claim, v.value)]
        primary = matching[0] if matching else exact[0]
        others = tuple(v for v in exact if v is not primary) + tuple(mirror)
        if matching:
            return Verdict(claim, CONSISTENT, primary, _consistent_text(claim, primary), others)
        assert primary.value is not None
        return Verdict(claim, INCONSISTENT, primary, _gap_text(claim, primary), others)
    return _bounds_verdict(claim, index, claims, mirror)


def _partner_report_verdict(claim: Claim, index: DataIndex) -> Verdict:
    """A claim about the partner's own report: checked against its series, the reporter's own shown beside."""
    assert claim.period is not None and claim.measure in ("exports", "imports") and claim.reported_by
    partner = claim.reported_by
    flow = claim.measure[:-1]
    theirs = [
        replace(
            v,
            label=f"{index.name(partner)}'s report",
            measure=f"{claim.measure} {'from' if flow == 'import' else 'to'} {index.name(index.reporter)}",
        )
        for s in index.mirror_sources(partner)
        if (v := index.flow(s, index.reporter, flow, claim.period, reporter=partner)) is not None
    ]
    # The reporter's own figure of the same flow: its exports for the partner's imports, and the reverse.
    own_measure = "exports" if claim.measure == "imports" else "imports"
    towards = "to" if own_measure == "exports" else "from"
    own = [
        replace(
            v,
            label=f"{index.name(index.reporter)}'s report (mirror)",
            measure=f"{own_measure} {towards} {index.name(partner)}",
        )
        for s in index.sources()
        if (v := index.measure(s, partner, own_measure, claim.period)) is not None
    ]
    if not theirs:
        return Verdict(
            claim,
            NOT_CHECKABLE,
            None,
            f"{index.name(partner)}'s own report of its {claim.measure} in {claim.period.label} is not in the data",
            tuple(own),
        )
    matching = [v for v in theirs if v.value is not None and within(claim, v.value)]
    primary = matching[0] if matching else theirs[0]
    others = tuple(v for v in theirs if v is not primary) + tuple(own)
    if matching:
        return Verdict(claim, CONSISTENT, primary, _consistent_text(claim, primary), others)
    return Verdict(claim, INCONSISTENT, primary, _gap_text(claim, primary), others)


def _consistent_text(claim: Claim, data: SeriesValue) -> str:
    if claim.measure == "rank":
        return f"the data give #{int(data.value or 0)}"
    return f"the data give {show(claim, data.value)}, within the rounding of {claim.text}"


def _gap_text(claim: Claim, data: SeriesValue) -> str:
    assert data.value is not None
    if claim.measure == "rank":
        return f"the data give #{int(data.value)}, not #{int(claim.value)}"
    gap = claim.value - data.value
    if claim.measure == "share":
        return f"the data give {show(claim, data.value)}; the claim is {gap * 100:+.2f} percentage points off".replace(
            "-", MINUS
        )
    relative = f", {gap / data.value * 100:+.1f}%".replace("-", MINUS) if data.value else ""
    sign = "+" if gap > 0 else MINUS
    return f"the data give {money(data.value)}; the claim is {sign}{money(abs(gap))} off{relative}"


def _bounds(
    index: DataIndex, partner: str, measure: str, period: Period
) -> tuple[list[SeriesValue], list[SeriesValue]]:
    """(upper bounds: periods containing `period`; lower bounds: periods inside it) of a non-negative measure."""
    upper: list[SeriesValue] = []
    lower: list[SeriesValue] = []
    for source in index.sources():
        for other in index.periods(source):
            if (
                other == period
                or other.first_year != period.first_year
                or other.last_year != period.last_year
            ):
                continue
            if other.contains(period):
                target = upper
            elif period.contains(other):
                target = lower
            else:
                continue
            found = index.measure(source, partner, measure, other)
            if found is not None and found.value is not None:
                target.append(found)
    return sorted(upper, key=lambda v: v.value or 0), sorted(lower, key=lambda v: -(v.value or 0))


def _in_whole(period: Period) -> str:
    return f"in {period.phrase}"


def _bounds_verdict(
    claim: Claim, index: DataIndex, claims: Sequence[Claim], mirror: Sequence[SeriesValue]
) -> Verdict:
    assert claim.period is not None and claim.partner is not None and claim.measure is not None
    period = claim.period
    partner_name = index.name(claim.partner)
    missing = f"{period.label} is not in the data for {partner_name}"
    available = sorted(
        {p for s in index.sources() for p in index.periods(s) if p.first_year == period.first_year}
    )
    if claim.measure in NON_NEGATIVE:
        upper, lower = _bounds(index, claim.partner, claim.measure, period)
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
        for source in index.sources():
            for other in sorted(index.periods(source), key=lambda p: (not p.is_year, p)):
                if other.first_year == period.first_year and other.contains(period):
                    found = index.value(source, claim, other)
                    if found is not None:
                        reference = found
                        break
            if reference is not None:
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
        reported = sorted(
            {
                flow
                for s in index.sources()
                for flow in ("exports", "imports")
                if index.measure(s, claim.partner, flow, period) is not None
            }
        )
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
    claim: Claim, index: DataIndex, claims: Sequence[Claim], mirror: Sequence[SeriesValue]
) -> Verdict | None:
    """Turnover and one flow stated for the same partner and period imply the other flow; check its bound."""
    if claim.measure != "turnover":
        return None
    assert claim.period is not None and claim.partner is not None
    for stated_flow, implied_flow in (("exports", "imports"), ("imports", "exports")):
        other = next(
            (
                c
                for c in claims
                if c.measure == stated_flow and c.partner == claim.partner and c.period == claim.period
            ),
            None,
        )
        if other is None:
            continue
        implied = claim.value - other.value
        slack = claim.tolerance + other.tolerance
        partner_name = index.name(claim.partner)
        upper, _ = _bounds(index, claim.partner, implied_flow, claim.period)
        arithmetic = (
            f"turnover {money(claim.value)} with {stated_flow} {money(other.value)} implies {implied_flow} of "
            f"{money(implied)} in {claim.period.label}"
        )
        if implied + slack < 0:
            return Verdict(claim, IMPLAUSIBLE, None, f"{arithmetic}, which cannot be negative", tuple(mirror))
        exact = [
            v for s in index.sources() if (v := index.measure(s, claim.partner, implied_flow, claim.period))
        ]
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
                f"{arithmetic}, but {implied_flow} {preposition} {partner_name} in {when} were {money(bound.value)}",
                tuple(mirror),
            )
    return None


# --- reading the data and one-line reports -------------------------------------------------------------------------


def claim_rows(queries: TradeQueries, reporter: str, claims: Sequence[Claim] | None = None) -> pd.DataFrame:
    """Every row a check may need: the reporter's (all partners, sources, periods) and the partners' mirror rows.

    With `claims`, only the calendar years their periods span are read (a check never looks beyond the
    claimed year: bounds come from periods of the same year), which keeps a check well under a second.
    """
    years = [y for c in claims or () if c.period for y in (c.period.first_year, c.period.last_year)]
    start = f"{min(years):04d}-01" if years else None
    end = f"{max(years):04d}-12" if years else None
    if claims is not None and not years:
        start, end = "9999-01", "0000-12"  # no claim has a period: nothing to read
    return pd.concat(
        [
            queries.flow_rows(reporter, None, period_start=start, period_end=end),
            queries.flow_rows(None, reporter, period_start=start, period_end=end),
        ],
        ignore_index=True,
    )


def names_for(queries: TradeQueries, reporter: str) -> dict[str, str]:
    """Name -> code for `extract_claims`, from the store's areas of the reporter's partners and pycountry."""
    reporter_area = queries.area(reporter)
    partners = [(a.code, a.name) for a in queries.partner_options(reporter)]
    return default_names(
        partners, reporter=reporter, reporter_name=reporter_area.name if reporter_area else None
    )


def check_text(queries: TradeQueries, text: str, *, reporter: str = "AZE") -> list[Verdict]:
    """Extract the claims of `text` and check them against the store."""
    claims = extract_claims(text, names=names_for(queries, reporter), reporter=reporter)
    return check_claims(claims, claim_rows(queries, reporter, claims), reporter=reporter)
