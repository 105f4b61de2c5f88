"""Mirror statistics: what the reporter says beside what its partner says about the same trade.

Two flows per pair and period, each reported twice:
- `exports`: the reporter's exports to the partner (valued FOB) beside the partner's imports from the reporter
  (valued CIF);
- `imports`: the reporter's imports from the partner (CIF) beside the partner's exports to the reporter (FOB).

The gap is always the CIF figure minus the FOB figure, in US dollars and as a ratio of the FOB figure, so that
one band serves both flows: freight and insurance make the CIF figure normally a few percent higher
(`data/reference/cif_fob_band.csv`, with its citations). The band is shown, never applied as a correction; a
period whose CIF/FOB ratio lies outside it is flagged. Known causes of large gaps are held as data in
`data/reference/mirror_notes.csv`.

Rows come from `TradeQueries.flow_rows` (any source); the numbers derived here are plain pandas on those rows.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from dashboard.format import MINUS, money, percent

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from dashboard.queries.answers import TradeQueries

REFERENCE_DIR: Final = Path(__file__).resolve().parents[1] / "data" / "reference"
BAND_FILE: Final = REFERENCE_DIR / "cif_fob_band.csv"
NOTES_FILE: Final = REFERENCE_DIR / "mirror_notes.csv"

# Which source stands for a side when several hold the same flow and period: the IMF's harmonised series first,
# then the statistical office, then customs; any other source after these, alphabetically.
SOURCE_ORDER: Final = ("imf_dots", "stat_az", "customs_az")
DIRECTIONS: Final = ("exports", "imports")
RANKED_KINDS: Final = ("country", "historical")

SIDE_COLUMNS: Final = ("value", "valuation", "source", "release", "status", "origin")
TABLE_COLUMNS: Final = (
    "year",
    "period_start",
    "period_end",
    "direction",
    "reporter",
    "partner",
    *(f"reporter_{c}" for c in SIDE_COLUMNS),
    *(f"partner_{c}" for c in SIDE_COLUMNS),
    "cif_usd",
    "fob_usd",
    "gap_usd",
    "gap_pct",
    "cif_fob_ratio",
    "beyond_band",
)


class ReferenceError(ValueError):
    """A reference file of the mirror view is malformed; the message names the file, row and field."""


# --- reference data ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BandBound:
    """One bound of the band: the CIF/FOB ratio and why (what is cited, with its address)."""

    bound: str
    ratio: float
    basis: str
    url: str


@dataclass(frozen=True)
class CifFobBand:
    """The expected range of CIF value / FOB value for one flow reported by both sides."""

    low: float
    central: float
    high: float
    bounds: tuple[BandBound, ...]

    def contains(self, ratio: float) -> bool:
        """True when `ratio` (CIF / FOB) lies inside the band, bounds included."""
        return self.low <= ratio <= self.high

    @property
    def text(self) -> str:
        """E.g. `the CIF figure is normally 0% to 10% above the FOB figure (about 6% on average)`."""
        return (
            f"the CIF figure is normally {_pct_points(self.low)} to {_pct_points(self.high)} above the FOB "
            f"figure (about {_pct_points(self.central)} on average)"
        )

    @property
    def citations(self) -> tuple[tuple[str, str], ...]:
        """(basis, url) of every bound that cites something."""
        return tuple((b.basis, b.url) for b in self.bounds if b.url)


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


def _read_rows(path: Path, required: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of a reference CSV; lines starting with '#' are comments (a '#' inside a text is not)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ReferenceError(f"{path}: cannot read ({exc.strerror})") from exc
    numbered = [
        (i + 1, line) for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        raise ReferenceError(f"{path}: empty (a header with {', '.join(required)} is needed)")
    reader = csv.reader([line for _, line in numbered])
    header = next(reader)
    missing = [c for c in required if c not in header]
    if missing:
        raise ReferenceError(f"{path}, line {numbered[0][0]}: missing column(s) {', '.join(missing)}")
    rows = []
    for (number, _), values in zip(numbered[1:], reader, strict=True):
        if len(values) != len(header):
            raise ReferenceError(
                f"{path}, line {number}: {len(values)} fields where the header has {len(header)}"
            )
        rows.append((number, dict(zip(header, (v.strip() for v in values), strict=True))))
    return rows


def load_band(path: Path = BAND_FILE) -> CifFobBand:
    """The band from `path`: rows low, central and high, each with a ratio, its basis and (optional) url."""
    bounds: dict[str, BandBound] = {}
    for number, row in _read_rows(path, ("bound", "ratio", "basis", "url")):
        try:
            ratio = float(row["ratio"])
        except ValueError:
            raise ReferenceError(
                f"{path}, line {number}, field ratio: {row['ratio']!r} is not a number"
            ) from None
        if not math.isfinite(ratio) or ratio <= 0:
            raise ReferenceError(f"{path}, line {number}, field ratio: {ratio} is not a positive ratio")
        bounds[row["bound"]] = BandBound(row["bound"], ratio, row["basis"], row["url"])
    missing = [b for b in ("low", "central", "high") if b not in bounds]
    if missing:
        raise ReferenceError(f"{path}: no row for bound(s) {', '.join(missing)}")
    low, central, high = (bounds[b].ratio for b in ("low", "central", "high"))
    if not low <= central <= high:
        raise ReferenceError(
            f"{path}: the ratios must satisfy low <= central <= high ({low}, {central}, {high})"
        )
    return CifFobBand(low=low, central=central, high=high, bounds=tuple(bounds.values()))


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
    for number, row in _read_rows(path, columns):
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


# --- the mirror table ---------------------------------------------------------------------------------------


def _source_rank(sources: pd.Series) -> pd.Series:
    order = {s: i for i, s in enumerate(SOURCE_ORDER)}
    return sources.map(lambda s: order.get(s, len(order))).astype("int64")


def _one_per_side(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (side key): the preferred source where several report the same flow and period."""
    if rows.empty:
        return rows
    ranked = rows.assign(_rank=_source_rank(rows["source"]))
    ranked = ranked.sort_values(["_rank", "source"], kind="stable")
    keys = ["counterpart", "direction", "period_start", "period_end"]
    return ranked.drop_duplicates(keys, keep="first").drop(columns="_rank")


def _sides(rows: pd.DataFrame, reporter: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The reporter's own rows and its partners' rows about it, keyed by counterpart and reporter's direction."""
    own = rows[(rows["reporter"] == reporter) & (rows["partner"] != reporter)]
    own = own.assign(
        counterpart=own["partner"], direction=own["flow"].map({"export": "exports", "import": "imports"})
    )
    # The partner's exports to the reporter are the mirror of the reporter's imports, and the reverse.
    theirs = rows[(rows["partner"] == reporter) & (rows["reporter"] != reporter)]
    theirs = theirs.assign(
        counterpart=theirs["reporter"],
        direction=theirs["flow"].map({"export": "imports", "import": "exports"}),
    )
    return _one_per_side(own), _one_per_side(theirs)


def _side_frame(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    columns = {
        "value_usd": f"{prefix}_value",
        "valuation": f"{prefix}_valuation",
        "source": f"{prefix}_source",
        "release": f"{prefix}_release",
        "status": f"{prefix}_status",
        "origin": f"{prefix}_origin",
    }
    keep = ["counterpart", "direction", "period_start", "period_end", *columns]
    present = frame.reindex(columns=keep)
    return present.rename(columns=columns)


def mirror_table(
    rows: pd.DataFrame,
    reporter: str,
    partner: str | None = None,
    *,
    band: CifFobBand,
    annual_only: bool = True,
) -> pd.DataFrame:
    """Both reports of each flow between `reporter` and `partner` (every partner when None), period by period.

    `rows`: `flow_rows` output holding the reporter's rows and its partners' rows about it (any source; where
    several sources hold one side of a flow and period, the first in SOURCE_ORDER is used and named).
    Returns TABLE_COLUMNS, one row per (partner, period, direction) where at least one side is reported:
    reporter_value (the reporter's exports FOB or imports CIF, US dollars) and partner_value (the partner's
    mirror figure), each with valuation, source, release, status, origin; cif_usd and fob_usd (the two
    figures by valuation convention: exports -> partner is CIF; imports -> reporter is CIF); gap_usd = CIF − FOB;
    gap_pct = gap / FOB (a ratio); cif_fob_ratio; beyond_band (boolean, NA unless both sides are reported and
    the FOB figure is positive). Missing sides stay NaN, never zero. Ordered by partner, period, direction.
    With `annual_only`, only calendar-year rows (YYYY-01..YYYY-12) are used.
    """
    selected = rows
    if annual_only and not rows.empty:
        selected = rows[
            rows["period_start"].str.endswith("-01")
            & rows["period_end"].str.endswith("-12")
            & (rows["period_start"].str[:4] == rows["period_end"].str[:4])
        ]
    if partner is not None:
        selected = selected[
            ((selected["reporter"] == reporter) & (selected["partner"] == partner))
            | ((selected["reporter"] == partner) & (selected["partner"] == reporter))
        ]
    own, theirs = _sides(selected, reporter) if not selected.empty else (selected, selected)
    keys = ["counterpart", "direction", "period_start", "period_end"]
    table = pd.merge(_side_frame(own, "reporter"), _side_frame(theirs, "partner"), on=keys, how="outer")
    if table.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype="float64" if "value" in c else "object") for c in TABLE_COLUMNS}
        )
    table = table.rename(columns={"counterpart": "partner"})
    table["reporter"] = reporter
    table["year"] = table["period_end"].str[:4].astype("int64")
    exports = table["direction"] == "exports"
    reporter_value = table["reporter_value"].astype("float64")
    partner_value = table["partner_value"].astype("float64")
    table["cif_usd"] = np.where(exports, partner_value, reporter_value)
    table["fob_usd"] = np.where(exports, reporter_value, partner_value)
    table["gap_usd"] = table["cif_usd"] - table["fob_usd"]
    fob = table["fob_usd"].where(table["fob_usd"] > 0)
    table["gap_pct"] = table["gap_usd"] / fob
    table["cif_fob_ratio"] = table["cif_usd"] / fob
    known = table["cif_fob_ratio"].notna()
    beyond = (table["cif_fob_ratio"] < band.low) | (table["cif_fob_ratio"] > band.high)
    table["beyond_band"] = beyond.astype("boolean").mask(~known)  # NA where a side is missing
    table = table.sort_values(["partner", "period_start", "period_end", "direction"], kind="stable")
    return table.loc[:, list(TABLE_COLUMNS)].reset_index(drop=True)


def mirror_ranking(rows: pd.DataFrame, reporter: str, year: int, *, band: CifFobBand) -> pd.DataFrame:
    """The reporter's partner economies (countries and former ones) ranked by the size of their mirror gaps in
    `year`.

    `rows`: `flow_rows(reporter=R)` together with `flow_rows(partner=R)`. Only partners with both reports of
    at least one flow count. Columns: rank (1 = largest), partner, name, exports_gap_usd, exports_gap_pct,
    imports_gap_usd, imports_gap_pct (CIF − FOB as in `mirror_table`; NaN where a side is missing),
    abs_gap_usd (|exports gap| + |imports gap| over the flows known), beyond_band (either flow outside the
    band). Ordered by abs_gap_usd, largest first; ties by partner code.
    """
    year_rows = rows[(rows["period_start"] == f"{year:04d}-01") & (rows["period_end"] == f"{year:04d}-12")]
    table = mirror_table(year_rows, reporter, band=band)
    columns = [
        "rank",
        "partner",
        "name",
        "exports_gap_usd",
        "exports_gap_pct",
        "imports_gap_usd",
        "imports_gap_pct",
        "abs_gap_usd",
        "beyond_band",
    ]
    if table.empty:
        return pd.DataFrame(columns=columns)
    names = rows[rows["reporter"] == reporter].drop_duplicates("partner").set_index("partner")
    kinds = names["partner_kind"] if "partner_kind" in names else pd.Series(dtype="object")
    labels = names["partner_name"] if "partner_name" in names else pd.Series(dtype="object")
    both = table[table["gap_usd"].notna()]
    both = both[both["partner"].map(kinds).isin(RANKED_KINDS)]
    wide = both.pivot_table(
        index="partner", columns="direction", values=["gap_usd", "gap_pct"], aggfunc="first", dropna=False
    )
    result = pd.DataFrame(index=wide.index)
    for direction in DIRECTIONS:
        for measure in ("gap_usd", "gap_pct"):
            key = (measure, direction)
            result[f"{direction}_{measure}"] = wide[key] if key in wide.columns else np.nan
    result["abs_gap_usd"] = result[["exports_gap_usd", "imports_gap_usd"]].abs().sum(axis=1, min_count=1)
    beyond = both.groupby("partner")["beyond_band"].agg(lambda s: bool(s.fillna(False).any()))
    result["beyond_band"] = beyond.reindex(result.index).fillna(False).astype(bool)
    result = result.reset_index()
    result["name"] = result["partner"].map(labels).fillna(result["partner"])
    result = result.sort_values(["abs_gap_usd", "partner"], ascending=[False, True], kind="stable")
    result["rank"] = np.arange(1, len(result) + 1)
    return result.loc[:, columns].reset_index(drop=True)


# --- plain words ----------------------------------------------------------------------------------------------


def _pct_points(ratio: float) -> str:
    """A CIF/FOB ratio as the margin it means: 1.06 -> `6%`, 1.0 -> `0%`."""
    margin = round((ratio - 1) * 100, 1)
    text = f"{abs(margin):g}%"
    return f"{MINUS}{text}" if margin < 0 else text


def _signed_pct(ratio: float) -> str:
    text = percent(abs(ratio))
    return f"+{text}" if ratio > 0 else (f"{MINUS}{text}" if ratio < 0 else text)


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
    table: pd.DataFrame,
    year: int,
    *,
    reporter_name: str,
    partner_name: str,
    band: CifFobBand,
    notes: Sequence[MirrorNote] = (),
) -> Explanation:
    """Plain words for one year of `mirror_table(rows, reporter, partner)`: who reports what, the gap, whether
    freight and insurance can explain it, and the notes that apply (pair-specific first) when a gap is outside
    the band. A year with no rows gives one sentence saying so."""
    rows = table[table["year"] == year] if not table.empty else table
    if rows.empty:
        return Explanation(
            year=year,
            flows=(f"Neither {reporter_name} nor {partner_name} reports trade between them in {year}.",),
            beyond_band=(),
            notes=(),
        )
    reporter_code = str(rows["reporter"].iloc[0])
    partner_code = str(rows["partner"].iloc[0])
    flows: list[str] = []
    beyond: list[str] = []
    for direction in DIRECTIONS:
        found = rows[rows["direction"] == direction]
        if found.empty:
            continue
        row = found.iloc[0]
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
            f"({_signed_pct(float(gap_pct))})."
        )
        ratio = float(row["cif_fob_ratio"])
        if ratio > 0 and (ratio <= 0.5 or ratio >= 2):
            # Plainest words for a large gap: how many times one report is the other.
            larger, smaller = (fob_name, cif_name) if ratio < 1 else (cif_name, fob_name)
            sentence += f" {larger}'s figure is {max(ratio, 1 / ratio):.1f} times {smaller}'s."
        if bool(row["beyond_band"]):
            beyond.append(direction)
            how = "far " if abs(ratio - band.central) > 0.5 else ""
            sentence += f" Freight and insurance cannot explain this: {band.text}; this gap is {how}outside that band."
        else:
            sentence += f" That is within the expected margin: {band.text}."
        flows.append(sentence)
    applicable: tuple[MirrorNote, ...] = ()
    if beyond:
        found_notes: dict[int, MirrorNote] = {}
        for direction in beyond:
            for note in notes_for(notes, reporter_code, partner_code, direction=direction, year=year):
                found_notes.setdefault(id(note), note)
        applicable = tuple(sorted(found_notes.values(), key=lambda n: not n.specific))
    return Explanation(year=year, flows=tuple(flows), beyond_band=tuple(beyond), notes=applicable)


# --- for the view and its exports -----------------------------------------------------------------------------


def pair_rows(queries: TradeQueries, reporter: str, partner: str) -> pd.DataFrame:
    """Both sides of a pair from the store: the reporter's rows with the partner and the partner's with it."""
    return pd.concat(
        [queries.flow_rows(reporter, partner), queries.flow_rows(partner, reporter)], ignore_index=True
    )


def reporter_rows(queries: TradeQueries, reporter: str, year: int) -> pd.DataFrame:
    """One year of the reporter's rows with every partner and every partner's rows about the reporter."""
    start, end = f"{year:04d}-01", f"{year:04d}-12"
    return pd.concat(
        [
            queries.flow_rows(reporter, None, period_start=start, period_end=end),
            queries.flow_rows(None, reporter, period_start=start, period_end=end),
        ],
        ignore_index=True,
    )


def ranking_records(
    queries: TradeQueries, reporter: str, year: int, *, band: CifFobBand, top: int = 15
) -> list[dict[str, Any]]:
    """The first `top` rows of `mirror_ranking` for the reporter and year, as plain records for the page."""
    ranked = mirror_ranking(reporter_rows(queries, reporter, year), reporter, year, band=band)
    return [{str(k): v for k, v in row.items()} for row in ranked.head(max(top, 0)).to_dict("records")]


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


def mirror_export(
    queries: TradeQueries,
    reporter: str,
    partner: str,
    *,
    year: int | None = None,
    band: CifFobBand | None = None,
) -> tuple[go.Figure, pd.DataFrame]:
    """The mirror chart of a pair and the table behind it (TABLE_COLUMNS), for the page and for exports."""
    from dashboard.figures.mirror import mirror_figure  # the figure module is only needed to draw

    band = band or load_band()
    names = queries.names([reporter, partner])
    table = mirror_table(pair_rows(queries, reporter, partner), reporter, partner, band=band)
    figure = mirror_figure(
        table,
        reporter_name=names.get(reporter, reporter),
        partner_name=names.get(partner, partner),
        band=band,
        year=year,
    )
    return figure, table
