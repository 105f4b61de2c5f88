"""The mirror view in words: known causes of gaps, the explanation of one pair and year, the sources line.

The numbers (both reports, gaps, the CIF/FOB band test, the ranking by gap) are computed once in
`dashboard.queries.mirror`; this module only says them. Known causes of large gaps are held as data in
`data/reference/mirror_notes.csv`; a note is an interpretation (e.g. oil shipped through Türkiye's Ceyhan for
other buyers), never a correction of either report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pandas as pd

from dashboard.format import MINUS, money, number_text, percent, signed_percent
from dashboard.i18n import N_, area_name, t
from dashboard.queries.controls import whole_number
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
            year = whole_number(value)
            if value and year is None:
                raise ReferenceError(f"{path}, line {number}, field {field}: {value!r} is not a year")
            years.append(year)
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


def _pct_points(ratio: float, lang: str = "en") -> str:
    """A CIF/FOB ratio as the margin it means: 1.06 -> `6%`, 1.0 -> `0%` (`6 %` where the language says so)."""
    margin = round((ratio - 1) * 100, 1)
    if lang != "en":
        return percent(margin / 100, lang).replace(",0%", "%").replace(",0\u00a0%", "\u00a0%")
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
    lang: str = "en",
) -> Explanation:
    """Plain words for one year of a pair's two reports (`queries.mirror.mirror_pair`): who reports what, the
    gap, whether freight and insurance can explain it, and the notes that apply (pair-specific first) when a
    gap is outside the band. A year with no rows gives one sentence saying so."""
    found_rows = {d: pair.row(year, d) for d in DIRECTIONS}
    if all(row is None for row in found_rows.values()):
        return Explanation(
            year=year,
            flows=(
                t(
                    lang,
                    "Neither {reporter} nor {partner} reports trade between them in {year}.",
                    reporter=reporter_name,
                    partner=partner_name,
                    year=year,
                ),
            ),
            beyond_band=(),
            notes=(),
        )
    flows: list[str] = []
    beyond: list[str] = []
    for direction, row in found_rows.items():
        if row is None:
            continue
        mine, theirs = money(row["reporter_value"], lang), money(row["partner_value"], lang)
        if direction == "exports":
            own = t(
                lang,
                "{a} reports exports to {b} of {value} (FOB)",
                a=reporter_name,
                b=partner_name,
                value=mine,
            )
            mirror = t(
                lang,
                "{a} reports imports from {b} of {value} (CIF)",
                a=partner_name,
                b=reporter_name,
                value=theirs,
            )
            cif_name, fob_name = partner_name, reporter_name
        else:
            own = t(
                lang,
                "{a} reports imports from {b} of {value} (CIF)",
                a=reporter_name,
                b=partner_name,
                value=mine,
            )
            mirror = t(
                lang,
                "{a} reports exports to {b} of {value} (FOB)",
                a=partner_name,
                b=reporter_name,
                value=theirs,
            )
            cif_name, fob_name = reporter_name, partner_name  # fmt: skip
        if pd.isna(row["reporter_value"]):
            flows.append(t(lang, "In {year} {mirror}; {a} reports no figure for this flow.", year=year,
                           mirror=mirror, a=reporter_name))  # fmt: skip
            continue
        if pd.isna(row["partner_value"]):
            flows.append(t(lang, "In {year} {own}; {a} reports no figure for this flow.", year=year, own=own,
                           a=partner_name))  # fmt: skip
            continue
        sentence = t(lang, "In {year} {own}; {mirror}.", year=year, own=own, mirror=mirror)
        gap, gap_pct = float(row["gap_usd"]), row["gap_pct"]
        if pd.isna(gap_pct):
            flows.append(sentence)
            continue
        gap_words = (
            N_("{cif}'s CIF figure is {gap} higher than {fob}'s FOB figure ({pct}).")
            if gap >= 0
            else N_("{cif}'s CIF figure is {gap} lower than {fob}'s FOB figure ({pct}).")
        )
        sentence += " " + t(lang, gap_words, cif=cif_name, fob=fob_name, gap=money(abs(gap), lang),
                            pct=signed_percent(float(gap_pct), lang))  # fmt: skip
        ratio = float(row["cif_fob_ratio"])
        if ratio > 0 and (ratio <= 0.5 or ratio >= 2):
            # Plainest words for a large gap: how many times one report is the other.
            larger, smaller = (fob_name, cif_name) if ratio < 1 else (cif_name, fob_name)
            sentence += " " + t(lang, "{larger}'s figure is {times} times {smaller}'s.", larger=larger,
                                smaller=smaller, times=number_text(max(ratio, 1 / ratio), lang, digits=1))  # fmt: skip
        if bool(row["beyond_band"]):
            beyond.append(direction)
            outside = (
                N_("Freight and insurance cannot explain this: {band}; this gap is far outside that band.")
                if abs(ratio - band.central) > 0.5
                else N_("Freight and insurance cannot explain this: {band}; this gap is outside that band.")
            )
            sentence += " " + t(lang, outside, band=band_text(band, lang))
        else:
            sentence += " " + t(
                lang, "That is within the expected margin: {band}.", band=band_text(band, lang)
            )
        flows.append(sentence)
    applicable: tuple[MirrorNote, ...] = ()
    if beyond:
        found_notes: dict[int, MirrorNote] = {}
        for direction in beyond:
            for note in notes_for(notes, pair.reporter, str(pair.partner), direction=direction, year=year):
                found_notes.setdefault(id(note), note)
        applicable = tuple(sorted(found_notes.values(), key=lambda n: not n.specific))
    return Explanation(year=year, flows=tuple(flows), beyond_band=tuple(beyond), notes=applicable)


def sources_text(
    table: pd.DataFrame,
    reporter_name: str,
    partner_name: str,
    lang: str = "en",
    *,
    source_names: Mapping[str, str] | None = None,
) -> str:
    """Which sources and releases each side's figures in `table` (a `mirror_table`) come from, e.g.
    `Azerbaijan's report: Direction of Trade Statistics (DOTS) release 2022; Türkiye's report: ...`; a source is
    named by `source_names` (its title), its id only when the store has no title for it."""
    names = source_names or {}
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
            releases = ", ".join(
                t(lang, "{source} release {release}", source=names.get(s, s), release=r) for s, r in pairs
            )
            parts.append(t(lang, "{name}'s report: {releases}", name=name, releases=releases))
    return "; ".join(parts)


def band_text(band: CifFobBand, lang: str = "en") -> str:
    """E.g. `the CIF figure is normally 0% to 10% above the FOB figure (about 6% on average)`."""
    return t(
        lang,
        "the CIF figure is normally {low} to {high} above the FOB figure (about {central} on average)",
        low=_pct_points(band.low, lang),
        high=_pct_points(band.high, lang),
        central=_pct_points(band.central, lang),
    )


def mirror_export(
    queries: TradeQueries,
    reporter: str,
    partner: str,
    *,
    year: int | None = None,
    band: CifFobBand | None = None,
    lang: str = "en",
) -> tuple[go.Figure, MirrorPair]:
    """The mirror chart of a pair and the pair's two reports behind it, for the page and for exports."""
    from dashboard.figures.mirror import mirror_figure  # the figure module is only needed to draw

    band = band or load_band()
    names = queries.names([reporter, partner])
    pair = mirror_pair(queries, reporter, partner, band=band)
    figure = mirror_figure(
        pair.frame,
        reporter_name=area_name(reporter, names.get(reporter, reporter), lang),
        partner_name=area_name(partner, names.get(partner, partner), lang),
        band=band,
        year=year,
        lang=lang,
    )
    return figure, pair
