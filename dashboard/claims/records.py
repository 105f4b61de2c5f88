"""Verdicts as one-line reports (CLI), tables (page, downloads) and claims as JSON-safe records (dcc.Store)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from dashboard.claims.model import (
    BOUNDS,
    EXACT,
    MEASURES,
    MONEY_MEASURES,
    WORLD,
    Claim,
    Period,
    SeriesValue,
    Verdict,
    area_name,
    show,
)


def describe(claim: Claim, names: Mapping[str, str] | None = None) -> str:
    """`turnover with Italy, January–July 2020` (names: code -> display name)."""
    names = names or {}
    partner = area_name(claim.partner, names) if claim.partner else "an unnamed partner"
    measure = claim.measure or "an unnamed measure"
    if claim.measure == "share":
        measure = f"share of {claim.basis}"
    if claim.measure == "rank":
        measure = f"rank by {claim.basis}"
    preposition = {"exports": "to", "imports": "from"}.get(claim.measure or "", "with")
    where = "in total" if claim.partner == WORLD else f"{preposition} {partner}"
    period = claim.period.label if claim.period else "no period"
    if claim.reported_by is not None:
        towards = "from" if claim.measure == "imports" else "to"
        return f"{partner}'s {measure} {towards} {area_name(claim.reporter, names)} as {partner} reports them, {period}"
    return f"{measure} {where}, {period}"


def _series_label(series: SeriesValue) -> str:
    """`Italy's report (mirror)` for the partner's series; the source's own series by its source name."""
    return series.label if series.label != "reporter" else f"{series.source} series"


def verdict_line(verdict: Verdict, names: Mapping[str, str] | None = None) -> str:
    """One line: the claim, the verdict word, the data's value and source, and why."""
    claim = verdict.claim
    parts = [f"{claim.text!s} ({describe(claim, names)})", verdict.word.upper()]
    if verdict.data is not None:
        parts.append(
            f"data: {verdict.data.measure} {show(claim, verdict.data.value)} in {verdict.data.period.label}, "
            f"{verdict.data.citation}".replace("data:  ", "data: ")
        )
    else:
        parts.append("data: none")
    if verdict.explanation:
        parts.append(verdict.explanation)
    if verdict.alternatives:
        parts.append(
            "also: "
            + "; ".join(
                f"{_series_label(a)}: {a.measure} {show(claim, a.value)} ({a.period.label}, {a.citation})"
                for a in verdict.alternatives
            )
        )
    return " \u2014 ".join(parts)


def verdict_frame(verdicts: Sequence[Verdict], names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The verdicts as a table (for the page and for exports): claim, what, verdict, data value, data period,
    source, release, origin, explanation, other series."""
    return pd.DataFrame(
        [
            {
                "claim": v.claim.text,
                "what": describe(v.claim, names),
                "verdict": v.word,
                "data": f"{v.data.measure} {show(v.claim, v.data.value)}".strip() if v.data else "\u2014",
                "data_period": v.data.period.label if v.data else "",
                "source": v.data.citation if v.data else "",
                "origin": v.data.origin if v.data else "",
                "explanation": v.explanation,
                "other_series": "; ".join(
                    f"{_series_label(a)}: {a.measure} {show(v.claim, a.value)} ({a.period.label}, {a.citation})"
                    for a in v.alternatives
                ),
            }
            for v in verdicts
        ],
        columns=[
            "claim",
            "what",
            "verdict",
            "data",
            "data_period",
            "source",
            "origin",
            "explanation",
            "other_series",
        ],
    )


# --- for the page: claims as JSON-safe records ---------------------------------------------------------------


def claim_record(claim: Claim) -> dict[str, object]:
    """A claim as plain JSON values (for a dcc.Store); `claim_from_record` reads it back."""
    return {
        "measure": claim.measure,
        "value": claim.value,
        "tolerance": claim.tolerance,
        "partner": claim.partner,
        "period": [claim.period.start, claim.period.end] if claim.period else None,
        "text": claim.text,
        "reporter": claim.reporter,
        "basis": claim.basis,
        "position": claim.position,
        "currency": claim.currency,
        "reported_by": claim.reported_by,
        "bound": claim.bound,
        "unclear": claim.unclear,
    }


def claim_from_record(record: Mapping[str, object]) -> Claim | None:
    """The claim a `claim_record` describes; None for anything malformed (a browser may send anything)."""
    try:
        period_value = record.get("period")
        period = None
        if isinstance(period_value, list) and len(period_value) == 2:
            start, end = (str(p) for p in period_value)
            if not (re.fullmatch(r"\d{4}-\d{2}", start) and re.fullmatch(r"\d{4}-\d{2}", end)):
                return None
            period = Period(start, end)
        measure = record.get("measure")
        if measure is not None and measure not in (*MEASURES, "change"):
            return None
        basis = str(record.get("basis") or "turnover")
        if basis not in MONEY_MEASURES:
            return None
        partner = record.get("partner")
        bound = str(record.get("bound") or EXACT)
        if bound not in BOUNDS:
            return None
        return Claim(
            measure=None if measure is None else str(measure),
            value=float(record["value"]),  # type: ignore[arg-type]
            tolerance=float(record["tolerance"]),  # type: ignore[arg-type]
            partner=None if partner is None else str(partner),
            period=period,
            text=str(record.get("text", "")),
            reporter=str(record.get("reporter", "AZE")),
            basis=basis,
            position=int(record.get("position", 0)),  # type: ignore[call-overload]
            currency=str(record.get("currency", "USD")),
            reported_by=None if record.get("reported_by") is None else str(record.get("reported_by")),
            bound=bound,
            unclear=None if record.get("unclear") is None else str(record.get("unclear")),
        )
    except (KeyError, TypeError, ValueError):
        return None


def verdict_records(
    verdicts: Sequence[Verdict], names: Mapping[str, str] | None = None
) -> list[dict[str, str]]:
    """`verdict_frame` as plain records (column -> text), for the page."""
    frame = verdict_frame(verdicts, names)
    return [{str(k): str(v) for k, v in row.items()} for row in frame.to_dict("records")]
