"""The mirror view in words: known causes of gaps, the explanation of one pair and year, the sources line.

The numbers (both reports, gaps, the CIF/FOB band test, the ranking by gap) are computed once in
`dashboard.queries.mirror`; this module only says them. Known causes of large gaps are held as data in
`data/reference/mirror_notes.csv`; a note is an interpretation (e.g. oil shipped through Türkiye's Ceyhan for
other buyers), never a correction of either report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pandas as pd

from dashboard.format import MINUS, money, signed_percent
from dashboard.queries.mirror import (
    REFERENCE_DIR,
    ReferenceError,
    load_band,
    mirror_pair,
    read_reference_rows,
)
from dashboard.queries.model import DIRECTIONS, CifFobBand

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from dashboard.queries.answers import TradeQueries
    from dashboard.queries.model import MirrorPair

NOTES_FILE: Final = REFERENCE_DIR / "mirror_notes.csv"


# --- known causes -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MirrorNote:
    """A known cause of mirror gaps. `economy`/`counterpart` are codes or '*'; a pair note applies either way."""

    cause: str
    economy: str
    counterpart: str
    flow: str  # 'exports' (the economy's exports), 'imports' or '*'
    first_year: int | None
    last_year: int | None
    title: str
    text: str
    reference: str

    def applies(
        self, reporter: str, partner: str, *, direction: str | None = None, year: int | None = None
    ) -> bool:
        """Whether the note concerns this pair (either order), flow direction (the reporter's) and year."""
        if year is not None and (
            (self.first_year is not None and year < self.first_year)
            or (self.last_year is not None and year > self.last_year)
        ):
            return False
        for economy, counterpart, flow in (
            (reporter, partner, direction),
            (partner, reporter, _other_direction(direction)),
        ):
            if self.economy not in ("*", economy) or self.counterpart not in ("*", counterpart):
                continue
            if self.flow == "*" or flow is None or self.flow == flow:
                return True
        return False

    @property
    def specific(self) -> bool:
        """A note about named economies (not one that applies to every pair)."""
        return self.economy != "*" or self.counterpart != "*"


def _other_direction(direction: str | None) -> str | None:
    return {"exports": "imports", "imports": "exports"}.get(direction or "")


def load_notes(path: Path = NOTES_FILE) -> tuple[MirrorNote, ...]:
    """Every note in `path` (columns cause, economy, counterpart, flow, first_year, last_year, title, text,
    reference)."""
    columns = (
        "cause",
        "economy",
        "counterpart",
        "flow",
        "first_year",
        "last_year",
        "title",
        "text",
        "reference",
    )
    notes = []
    for number, row in read_reference_rows(path, columns):
        years: list[int | None] = []
        for field in ("first_year", "last_year"):
            value = row[field]
            if value and not value.isdigit():
                raise ReferenceError(f"{path}, line {number}, field {field}: {value!r} is not a year")
            years.append(int(value) if value else None)
        if row["flow"] not in ("exports", "imports", "*"):
            raise ReferenceError(
                f"{path}, line {number}, field flow: {row['flow']!r} is not exports, imports or *"
            )
        if not row["text"]:
            raise ReferenceError(f"{path}, line {number}, field text: empty")
        notes.append(
            MirrorNote(
                cause=row["cause"],
                economy=row["economy"] or "*",
                counterpart=row["counterpart"] or "*",
                flow=row["flow"],
                first_year=years[0],
                last_year=years[1],
                title=row["title"],
                text=row["text"],
                reference=row["reference"],
            )
        )
    return tuple(notes)


def notes_for(
    notes: Sequence[MirrorNote],
    reporter: str,
    partner: str,
    *,
    direction: str | None = None,
    year: int | None = None,
) -> tuple[MirrorNote, ...]:
    """The notes that apply, notes about this pair first, then the general ones, each in file order."""
    found = [n for n in notes if n.applies(reporter, partner, direction=direction, year=year)]
    return tuple(sorted(found, key=lambda n: not n.specific))


# --- plain words ----------------------------------------------------------------------------------------------


def _pct_points(ratio: float) -> str:
    """A CIF/FOB ratio as the margin it means: 1.06 -> `6%`, 1.0 -> `0%`."""
    margin = round((ratio - 1) * 100, 1)
    text = f"{abs(margin):g}%"
    return f"{MINUS}{text}" if margin < 0 else text


@dataclass(frozen=True)
class Explanation:
    """The mirror comparison of one pair and year in plain words: one paragraph per flow, then the causes."""

    year: int
    flows: tuple[str, ...]
    beyond_band: tuple[str, ...]  # directions whose gap is outside the band
    notes: tuple[MirrorNote, ...]

    @property
    def text(self) -> str:
        return " ".join(self.flows)


def explain(
    pair: MirrorPair,
    year: int,
    *,
    reporter_name: str,
    partner_name: str,
    band: CifFobBand,
    notes: Sequence[MirrorNote] = (),
) -> Explanation:
    """Plain words for one year of a pair's two reports (`queries.mirror.mirror_pair`): who reports what, the
    gap, whether freight and insurance can explain it, and the notes that apply (pair-specific first) when a
    gap is outside the band. A year with no rows gives one sentence saying so."""
    found_rows = {d: pair.row(year, d) for d in DIRECTIONS}
    if all(row is None for row in found_rows.values()):
        return Explanation(
            year=year,
            flows=(f"Neither {reporter_name} nor {partner_name} reports trade between them in {year}.",),
            beyond_band=(),
            notes=(),
        )
    flows: list[str] = []
    beyond: list[str] = []
    for direction, row in found_rows.items():
        if row is None:
            continue
        if direction == "exports":
            own = f"{reporter_name} reports exports to {partner_name} of {money(row['reporter_value'])} (FOB)"
            mirror = (
                f"{partner_name} reports imports from {reporter_name} of {money(row['partner_value'])} (CIF)"
            )
            cif_name, fob_name = partner_name, reporter_name
        else:
            own = (
                f"{reporter_name} reports imports from {partner_name} of {money(row['reporter_value'])} (CIF)"
            )
            mirror = (
                f"{partner_name} reports exports to {reporter_name} of {money(row['partner_value'])} (FOB)"
            )
            cif_name, fob_name = reporter_name, partner_name
        if pd.isna(row["reporter_value"]):
            flows.append(f"In {year} {mirror}; {reporter_name} reports no figure for this flow.")
            continue
        if pd.isna(row["partner_value"]):
            flows.append(f"In {year} {own}; {partner_name} reports no figure for this flow.")
            continue
        sentence = f"In {year} {own}; {mirror}."
        gap, gap_pct = float(row["gap_usd"]), row["gap_pct"]
        if pd.isna(gap_pct):
            flows.append(sentence)
            continue
        direction_word = "higher" if gap >= 0 else "lower"
        sentence += (
            f" {cif_name}'s CIF figure is {money(abs(gap))} {direction_word} than {fob_name}'s FOB figure "
            f"({signed_percent(float(gap_pct))})."
        )
        ratio = float(row["cif_fob_ratio"])
        if ratio > 0 and (ratio <= 0.5 or ratio >= 2):
            # Plainest words for a large gap: how many times one report is the other.
            larger, smaller = (fob_name, cif_name) if ratio < 1 else (cif_name, fob_name)
            sentence += f" {larger}'s figure is {max(ratio, 1 / ratio):.1f} times {smaller}'s."
        if bool(row["beyond_band"]):
            beyond.append(direction)
            how = "far " if abs(ratio - band.central) > 0.5 else ""
            sentence += (
                f" Freight and insurance cannot explain this: {band_text(band)}; this gap is {how}outside "
                "that band."
            )
        else:
            sentence += f" That is within the expected margin: {band_text(band)}."
        flows.append(sentence)
    applicable: tuple[MirrorNote, ...] = ()
    if beyond:
        found_notes: dict[int, MirrorNote] = {}
        for direction in beyond:
            for note in notes_for(notes, pair.reporter, str(pair.partner), direction=direction, year=year):
                found_notes.setdefault(id(note), note)
        applicable = tuple(sorted(found_notes.values(), key=lambda n: not n.specific))
    return Explanation(year=year, flows=tuple(flows), beyond_band=tuple(beyond), notes=applicable)


def sources_text(table: pd.DataFrame, reporter_name: str, partner_name: str) -> str:
    """Which sources and releases each side's figures in `table` (a `mirror_table`) come from, e.g.
    `Azerbaijan's report: imf_dots release 2022; Türkiye's report: imf_dots release 2022`."""
    parts = []
    for side, name in (("reporter", reporter_name), ("partner", partner_name)):
        pairs = sorted(
            {
                (str(s), str(r))
                for s, r in zip(table[f"{side}_source"], table[f"{side}_release"], strict=True)
                if isinstance(s, str)
            }
        )
        if pairs:
            parts.append(f"{name}'s report: " + ", ".join(f"{s} release {r}" for s, r in pairs))
    return "; ".join(parts)


def band_text(band: CifFobBand) -> str:
    """E.g. `the CIF figure is normally 0% to 10% above the FOB figure (about 6% on average)`."""
    return (
        f"the CIF figure is normally {_pct_points(band.low)} to {_pct_points(band.high)} above the FOB "
        f"figure (about {_pct_points(band.central)} on average)"
    )


def mirror_export(
    queries: TradeQueries,
    reporter: str,
    partner: str,
    *,
    year: int | None = None,
    band: CifFobBand | None = None,
) -> tuple[go.Figure, MirrorPair]:
    """The mirror chart of a pair and the pair's two reports behind it, for the page and for exports."""
    from dashboard.figures.mirror import mirror_figure  # the figure module is only needed to draw

    band = band or load_band()
    names = queries.names([reporter, partner])
    pair = mirror_pair(queries, reporter, partner, band=band)
    figure = mirror_figure(
        pair.frame,
        reporter_name=names.get(reporter, reporter),
        partner_name=names.get(partner, partner),
        band=band,
        year=year,
    )
    return figure, pair
