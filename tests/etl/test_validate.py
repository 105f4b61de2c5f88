"""Validation collects every problem, each placed by file, sheet and cell, before anything is published."""

from __future__ import annotations

import pandas as pd

from etl.reference import Reference
from etl.validate import problems_in

AREAS = Reference().areas()


def row(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "source": "imf_dots",
        "reporter": "AZE",
        "partner": "ITA",
        "flow": "export",
        "period_start": "2019-01",
        "period_end": "2019-12",
        "value_usd": 1.0,
        "valuation": "FOB",
        "status": "reported",
        "release": "2022",
        "origin": "f.xlsx!'Exports, FOB'!C8",
    }
    base.update(changes)
    return base


def test_a_clean_frame_has_no_problem() -> None:
    assert problems_in(pd.DataFrame([row(), row(flow="import", valuation="CIF")]), areas=AREAS) == []


def test_every_problem_is_reported_at_once_with_its_place() -> None:
    frame = pd.DataFrame(
        [
            row(value_usd=-5.0, origin="f.xlsx!'Exports, FOB'!C9"),
            row(flow="re-export", partner="TUR", origin="f.xlsx!'Exports, FOB'!C10"),
            row(partner="XXX", origin="f.xlsx!'Exports, FOB'!C11"),
            row(
                partner="RUS",
                period_start="2019-12",
                period_end="2019-01",
                origin="f.xlsx!'Exports, FOB'!C12",
            ),
            row(partner="CHN", value_usd="abc", origin="f.xlsx!'Exports, FOB'!C13"),
            row(partner="DEU", value_usd=float("inf"), origin="f.xlsx!'Exports, FOB'!C14"),
            row(partner="ISR", period_start="2019-13", origin="f.xlsx!'Exports, FOB'!C15"),
            row(partner="GEO", status="guess", valuation="EXW", origin="f.xlsx!'Exports, FOB'!C16"),
            row(partner="UKR", origin="f.xlsx!'Exports, FOB'!C17"),
            row(partner="UKR", value_usd=2.0, origin="g.xlsx!'Exports, FOB'!C17"),
            row(partner="KAZ", value_usd=5e15, origin="f.xlsx!'Exports, FOB'!C18"),
        ]
    )
    found = {(p.cell, p.message) for p in problems_in(frame, areas=AREAS)}
    assert found == {
        ("C9", "negative value for a country's trade"),
        ("C10", "flow must be one of export, import"),
        ("C11", "unknown partner code (not in data/reference)"),
        ("C12", "period_start is after period_end"),
        ("C13", "value is not a number"),
        ("C14", "value is not finite"),
        ("C14", "value is implausibly large (>= 1e+14 USD)"),
        ("C15", "period_start must be YYYY-MM"),
        ("C16", "valuation must be one of FOB, CIF"),
        ("C16", "status must be one of reported, estimated, provisional"),
        ("C17", "duplicate key imf_dots/AZE/UKR/export/2019-01/2019-12: also at g.xlsx!'Exports, FOB'!C17"),
        ("C18", "value is implausibly large (>= 1e+14 USD)"),
    }
    placed = next(p for p in problems_in(frame, areas=AREAS) if p.cell == "C9")
    assert (placed.file, placed.sheet, placed.value) == ("f.xlsx", "Exports, FOB", "-5.0")


def test_negative_values_are_allowed_only_for_aggregate_reporters() -> None:
    # IMF group totals net out adjustments (World's imports from Malaysia in 1960-63 are negative).
    frame = pd.DataFrame([row(reporter="WLD", partner="MYS", value_usd=-4_800_000.0)])
    assert problems_in(frame, areas=AREAS) == []


def test_missing_columns_are_named() -> None:
    problems = problems_in(pd.DataFrame([row()]).drop(columns=["valuation", "origin"]), areas=AREAS)
    assert [p.message for p in problems] == ["missing column(s): valuation, origin"]
