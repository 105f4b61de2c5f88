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
    shown,
)
from dashboard.claims.wording import (
    Area,
    Joined,
    Said,
    When,
    Word,
    joined,
    localized,
    said_from_record,
    said_record,
)


def describe(claim: Claim, names: Mapping[str, str] | None = None, language: str = "en") -> str:
    """`turnover with Italy, January–July 2020` (names: code -> display name), in `language`."""
    return localized(_description(claim, names or {}), language)


def _description(claim: Claim, names: Mapping[str, str]) -> Said:
    partner: object = (
        Area(claim.partner, area_name(claim.partner, names)) if claim.partner else Said("an unnamed partner")
    )
    measure: object = Word(claim.measure) if claim.measure else Said("an unnamed measure")
    if claim.measure == "share":
        measure = Said("share of {basis}", basis=Word(claim.basis))
    if claim.measure == "rank":
        measure = Said("rank by {basis}", basis=Word(claim.basis))
    period: object = When(claim.period.start, claim.period.end) if claim.period else Said("no period")
    if claim.reported_by is not None:
        reporter = Area(claim.reporter, area_name(claim.reporter, names))
        if claim.measure == "imports":
            return Said(
                "{partner}'s {measure} from {reporter} as {partner} reports them, {period}",
                partner=partner,
                measure=measure,
                reporter=reporter,
                period=period,
            )
        return Said(
            "{partner}'s {measure} to {reporter} as {partner} reports them, {period}",
            partner=partner,
            measure=measure,
            reporter=reporter,
            period=period,
        )
    if claim.partner == WORLD:
        return Said("{measure} in total, {period}", measure=measure, period=period)
    if claim.measure == "exports":
        return Said("{measure} to {partner}, {period}", measure=measure, partner=partner, period=period)
    if claim.measure == "imports":
        return Said("{measure} from {partner}, {period}", measure=measure, partner=partner, period=period)
    return Said("{measure} with {partner}, {period}", measure=measure, partner=partner, period=period)


def _series_label(series: SeriesValue) -> object:
    """`Italy's report (mirror)` for the partner's series; the source's own series by its source name."""
    return series.label if series.label != "reporter" else Said("{source} series", source=series.source)


def _other_series(claim: Claim, series: Sequence[SeriesValue]) -> Joined:
    return joined(
        [
            Said(
                "{label}: {measure} {value} ({period}, {citation})",
                label=_series_label(a),
                measure=a.measure,
                value=shown(claim, a.value),
                period=When(a.period.start, a.period.end),
                citation=a.citation,
            )
            for a in series
        ]
    )


def _data(verdict: Verdict) -> Said:
    data = verdict.data
    if data is None:
        return Said("data: none")
    return Said(
        "data: {measure} {value} in {period}, {citation}",
        measure=data.measure,
        value=shown(verdict.claim, data.value),
        period=When(data.period.start, data.period.end),
        citation=data.citation,
    )


def verdict_line(verdict: Verdict, names: Mapping[str, str] | None = None, language: str = "en") -> str:
    """One line in `language`: the claim, the verdict word, the data's value and source, and why."""
    claim = verdict.claim
    parts: list[object] = [
        Said("{text} ({what})", text=claim.text, what=_description(claim, names or {})),
        _upper(localized(Word(verdict.word), language), language),
        _data(verdict),
    ]
    if verdict.explanation:
        parts.append(verdict.explanation)
    if verdict.alternatives:
        parts.append(Said("also: {series}", series=_other_series(claim, verdict.alternatives)))
    return " \u2014 ".join(localized(p, language) for p in parts).replace("data:  ", "data: ")


def _upper(text: str, language: str) -> str:
    """Capitals as the language writes them (Azerbaijani: i -> İ, ı -> I)."""
    if language == "az":
        text = text.replace("i", "\u0130")
    return text.upper()


def verdict_frame(
    verdicts: Sequence[Verdict], names: Mapping[str, str] | None = None, language: str = "en"
) -> pd.DataFrame:
    """The verdicts as a table (for the page and for exports) in `language`: claim, what, verdict, data value,
    data period, source, release, origin, explanation, other series."""
    names = names or {}

    def cell(text: object) -> str:
        return localized(text, language)

    return pd.DataFrame(
        [
            {
                "claim": v.claim.text,
                "what": cell(_description(v.claim, names)),
                "verdict": cell(Word(v.word)),
                "data": cell(
                    Said("{measure} {value}", measure=v.data.measure, value=shown(v.claim, v.data.value))
                ).strip()
                if v.data
                else "\u2014",
                "data_period": cell(When(v.data.period.start, v.data.period.end)) if v.data else "",
                "source": cell(v.data.citation) if v.data else "",
                "origin": v.data.origin if v.data else "",
                "explanation": cell(v.explanation),
                "other_series": cell(_other_series(v.claim, v.alternatives)),
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
        "unclear": said_record(claim.unclear),
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
            unclear=said_from_record(record.get("unclear")),
        )
    except (KeyError, TypeError, ValueError):
        return None


def verdict_records(
    verdicts: Sequence[Verdict], names: Mapping[str, str] | None = None, language: str = "en"
) -> list[dict[str, str]]:
    """`verdict_frame` as plain records (column -> text) in `language`, for the page."""
    frame = verdict_frame(verdicts, names, language)
    records = [{str(k): str(v) for k, v in row.items()} for row in frame.to_dict("records")]
    for record, verdict in zip(records, verdicts, strict=True):
        record["verdict_word"] = verdict.word  # the English word: the page colours verdicts by it
    return records
