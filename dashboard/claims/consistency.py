"""What the stated figures of one text say about each other, whatever the data says."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dashboard.claims.model import EXACT, MONEY_MEASURES, NON_NEGATIVE, WORLD, Claim, Period
from dashboard.claims.wording import Money, Percent, Said, When, Word, joined


@dataclass(frozen=True)
class Finding:
    """Claims of one text that cannot all be true, with the arithmetic."""

    claims: tuple[Claim, ...]
    message: str


def internal_findings(claims: Sequence[Claim]) -> list[Finding]:
    """What the stated figures say about each other, whatever the data says (see module docstring)."""
    findings: list[Finding] = []
    # Only exact dollar figures read without doubt can contradict each other ("more than $2 billion" and
    # "$5.6 billion" do not).
    claims = [c for c in claims if c.bound == EXACT and c.unclear is None and c.currency == "USD"]
    by_key: dict[tuple[object, ...], Claim] = {}
    for claim in claims:
        by_key.setdefault(claim.key, claim)

    def stated(measure: str, partner: str | None, period: Period | None) -> Claim | None:
        return by_key.get((measure, partner, period, "turnover"))

    for claim in claims:
        if claim.partner is None or claim.period is None:
            continue
        exports = stated("exports", claim.partner, claim.period)
        imports = stated("imports", claim.partner, claim.period)
        if claim.measure == "turnover" and exports and imports:
            total = exports.value + imports.value
            if abs(claim.value - total) > claim.tolerance + exports.tolerance + imports.tolerance:
                findings.append(
                    Finding(
                        (claim, exports, imports),
                        Said(
                            "turnover {turnover} \u2260 exports {exports} + imports {imports} = {total}",
                            turnover=claim.text,
                            exports=exports.text,
                            imports=imports.text,
                            total=Money(total),
                        ),
                    )
                )
        if claim.measure == "balance" and exports and imports:
            difference = exports.value - imports.value
            if abs(claim.value - difference) > claim.tolerance + exports.tolerance + imports.tolerance:
                findings.append(
                    Finding(
                        (claim, exports, imports),
                        Said(
                            "balance {balance} \u2260 exports {exports} \u2212 imports {imports} = {difference}",
                            balance=claim.text,
                            exports=exports.text,
                            imports=imports.text,
                            difference=Money(difference),
                        ),
                    )
                )
    findings.extend(_cumulative_findings(claims))
    findings.extend(_rank_findings(claims))
    findings.extend(_share_findings(claims))
    findings.extend(_twice_findings(claims))
    findings.extend(_parts_above_whole_findings(claims))
    return findings


def _is_country(code: str | None) -> bool:
    # ISO alpha-3 codes of countries; the World total, the EU, the CIS and other groups (EUU, X..) are not
    # parts to add up (a group holds countries the text may name too).
    return code is not None and code != WORLD and code != "EUU" and not code.startswith("X")


def _parts_above_whole_findings(claims: Sequence[Claim]) -> list[Finding]:
    """Partners' stated figures that add up to more than the stated total of the same measure and period
    (one partner above the total included); stated shares of one measure and period above 100 %."""
    found: list[Finding] = []
    totals = {(c.measure, c.period): c for c in claims if c.partner == WORLD and c.measure in NON_NEGATIVE}
    for (measure, period), total in totals.items():
        parts: dict[str, Claim] = {}
        for claim in claims:
            if claim.measure == measure and claim.period == period and _is_country(claim.partner):
                parts.setdefault(str(claim.partner), claim)
        if not parts or period is None:
            continue
        least = sum(p.value - p.tolerance for p in parts.values())
        if least > total.value + total.tolerance:
            stated = joined([f"{code} {p.text}" for code, p in parts.items()], " + ")
            found.append(
                Finding(
                    (total, *parts.values()),
                    Said(
                        "{measure} with named partners ({parts} = {sum}) exceed the stated total {total} for "
                        "{period}; a part cannot be larger than its whole",
                        measure=Word(str(measure)),
                        parts=stated,
                        sum=Money(sum(p.value for p in parts.values())),
                        total=total.text,
                        period=When(period.start, period.end),
                    ),
                )
            )
    shares: dict[tuple[object, ...], dict[str, Claim]] = {}
    for claim in claims:
        if claim.measure == "share" and _is_country(claim.partner) and claim.period is not None:
            shares.setdefault((claim.basis, claim.period), {}).setdefault(str(claim.partner), claim)
    for (basis, span), parts in shares.items():
        least = sum(p.value - p.tolerance for p in parts.values())
        if least > 1 and isinstance(span, Period):
            found.append(
                Finding(
                    tuple(parts.values()),
                    Said(
                        "shares of {basis} for {period} add up to more than 100% ({parts} = {sum})",
                        basis=Word(str(basis)),
                        period=When(span.start, span.end),
                        parts=joined([f"{code} {p.text}" for code, p in parts.items()], " + "),
                        sum=Percent(sum(p.value for p in parts.values()), 1),
                    ),
                )
            )
    return found


def _twice_findings(claims: Sequence[Claim]) -> list[Finding]:
    """Two different values for the same measure, partner and period (and the same side's report)."""
    found = []
    groups: dict[tuple[object, ...], list[Claim]] = {}
    for claim in claims:
        if claim.measure in (*MONEY_MEASURES, "share", "rank") and claim.partner and claim.period:
            groups.setdefault((*claim.key, claim.reported_by), []).append(claim)
    for group in groups.values():
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                apart = abs(first.value - second.value)
                if first.measure == "rank":
                    differ = round(first.value) != round(second.value)
                else:
                    differ = apart > first.tolerance + second.tolerance
                if differ and first.period is not None:
                    parts = {
                        "measure": Word(str(first.measure)),
                        "period": When(first.period.start, first.period.end),
                        "first": first.text,
                        "second": second.text,
                    }
                    message = (
                        Said(
                            "two {measure} figures for the same partner and {period}: {first} and {second}; at "
                            "most one can be right",
                            **parts,
                        )
                        if first.measure in ("rank", "share")
                        else Said(
                            "two {measure} figures for the same partner and {period}: {first} and {second}, "
                            "{apart} apart; at most one can be right",
                            apart=Money(apart),
                            **parts,
                        )
                    )
                    found.append(Finding((first, second), message))
    return found


def _cumulative_findings(claims: Sequence[Claim]) -> list[Finding]:
    found = []
    money_claims = [
        c for c in claims if c.measure in NON_NEGATIVE and c.period is not None and c.period.is_cumulative
    ]
    for earlier in money_claims:
        for later in money_claims:
            if (
                earlier.measure == later.measure
                and earlier.partner == later.partner
                and earlier.period is not None
                and later.period is not None
                and earlier.period.first_year == later.period.first_year
                and earlier.period.last_month < later.period.last_month
                and earlier.value - earlier.tolerance > later.value + later.tolerance
            ):
                found.append(
                    Finding(
                        (earlier, later),
                        Said(
                            "{measure} in {earlier} ({earlier_text}) is larger than in the longer period {later} "
                            "({later_text}); a cumulative figure cannot fall",
                            measure=Word(str(earlier.measure)),
                            earlier=When(earlier.period.start, earlier.period.end),
                            earlier_text=earlier.text,
                            later=When(later.period.start, later.period.end),
                            later_text=later.text,
                        ),
                    )
                )
    return found


def _rank_findings(claims: Sequence[Claim]) -> list[Finding]:
    """Ranks against the stated values of the ranked measure, and against stated shares of it."""
    found = []
    for rank_claim in (c for c in claims if c.measure == "rank" and c.partner and c.period):
        for measure in (rank_claim.basis, "share"):
            values = {
                str(c.partner): c
                for c in claims
                if c.measure == measure
                and c.period == rank_claim.period
                and c.partner not in (None, WORLD)
                and (measure != "share" or c.basis == rank_claim.basis)
            }
            found.extend(_rank_against(rank_claim, values, claims))
    return found


def _rank_against(rank_claim: Claim, values: Mapping[str, Claim], claims: Sequence[Claim]) -> list[Finding]:
    """A rank contradicted by stated figures (values or shares) of the partners, `values` keyed by partner."""
    found: list[Finding] = []
    own = values.get(rank_claim.partner) if rank_claim.partner else None
    if own is None:
        return found
    what = Word("shares") if own.measure == "share" else Word("figures")
    larger = [
        c
        for p, c in values.items()
        if p != rank_claim.partner and c.value - c.tolerance > own.value + own.tolerance
    ]
    if len(larger) >= int(rank_claim.value):
        others = joined([f"{c.partner} {c.text}" for c in larger], ", ")
        found.append(
            Finding(
                (rank_claim, own, *larger),
                Said(
                    "rank #{rank} by {basis} for {partner} ({text}) contradicts larger stated {what}: {others}",
                    rank=int(rank_claim.value),
                    basis=Word(rank_claim.basis),
                    partner=str(rank_claim.partner),
                    text=own.text,
                    what=what,
                    others=others,
                ),
            )
        )
    for other in (c for c in claims if c.measure == "rank" and c is not rank_claim):
        theirs = values.get(other.partner) if other.partner else None
        if (
            theirs is not None
            and other.period == rank_claim.period
            and other.basis == rank_claim.basis
            and rank_claim.value < other.value
            and own.value + own.tolerance < theirs.value - theirs.tolerance
        ):
            found.append(
                Finding(
                    (rank_claim, other, own, theirs),
                    Said(
                        "{partner} ranked above {other} but with a smaller stated {what} ({own} < {theirs})",
                        partner=str(rank_claim.partner),
                        other=str(other.partner),
                        what=Word("share") if own.measure == "share" else Word(rank_claim.basis),
                        own=own.text,
                        theirs=theirs.text,
                    ),
                )
            )
    return found


def _share_findings(claims: Sequence[Claim]) -> list[Finding]:
    """A share against the partner's and the total's stated values of the same measure and period."""
    found = []
    for share in (c for c in claims if c.measure == "share" and c.partner and c.period):
        lookup = {(c.measure, c.partner, c.period): c for c in claims if c.measure in MONEY_MEASURES}
        own = lookup.get((share.basis, share.partner, share.period))
        total = lookup.get((share.basis, WORLD, share.period))
        if own is None or total is None or total.value <= 0:
            continue
        low = (own.value - own.tolerance) / (total.value + total.tolerance)
        high = (own.value + own.tolerance) / max(total.value - total.tolerance, 1e-9)
        if share.value + share.tolerance < low or share.value - share.tolerance > high:
            found.append(
                Finding(
                    (share, own, total),
                    Said(
                        "share {share} contradicts {own} of a total {total} (= {ratio})",
                        share=share.text,
                        own=own.text,
                        total=total.text,
                        ratio=Percent(own.value / total.value, 2),
                    ),
                )
            )
    return found
