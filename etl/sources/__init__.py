"""One module per official source, all of the same shape (DESIGN.md habit 3): `SourceModule` below is that shape,
a `typing.Protocol` every source module satisfies (mypy checks it where `etl.refresh.registry` lists them).

This package's `__init__` holds the contract and the types it speaks in (`SourceInfo`, `Selection`, `Parsed`,
`CodedRows`); helpers shared by a few sources live in their own modules (`az_tables`, `isolated`).

Only the refresh (`etl.refresh`) imports these modules; the dashboard never does (import-linter contracts in
pyproject.toml keep it so).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa

from etl import schema
from etl.problems import Problem

if TYPE_CHECKING:  # types of the contract only: a source module imports these itself when it uses them
    import httpx

    from etl.http import Policy
    from etl.reference import Reference

# Columns a parser returns: the tidy table plus where each figure came from ("file!'sheet'!cell", "file#row 3",
# or a URL), which the refresh keeps in the `provenance` table.
RAW_COLUMNS = (*schema.TRADE_FLOW_COLUMNS, schema.ORIGIN)

# Called with a short label (a file name, a request) each time a step completes.
Progress = Callable[[str], None]


def column_letter(column: int) -> str:
    """The spreadsheet letters of a 0-based column (0 -> A, 26 -> AA), as openpyxl's `get_column_letter`
    gives them for column + 1; openpyxl itself costs ~0.3 s to import, more than some whole parses."""
    letters = ""
    number = column + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


@dataclass(frozen=True)
class SourceInfo:
    """Facts constant for a source; written to the store's `sources` table at publish time."""

    source: str  # value of trade_flows.source
    cli_name: str  # the --source name on the command line
    publisher: str
    title: str
    url: str
    licence: str
    attribution: str
    unit_original: str


# Who publishes each source, under which licence and in which unit: one row per source, not seven copies of
# the same declaration in seven modules.
SOURCES_CSV = Path(__file__).resolve().parents[2] / "data" / "reference" / "sources.csv"


@functools.cache
def _source_rows() -> dict[str, dict[str, str]]:
    with SOURCES_CSV.open(newline="", encoding="utf-8") as handle:
        return {row["source"]: row for row in csv.DictReader(handle)}


def source_info(source: str) -> SourceInfo:
    """The facts of `source` (trade_flows.source) from data/reference/sources.csv; KeyError names it when absent."""
    try:
        row = _source_rows()[source]
    except KeyError:
        raise KeyError(f"{source!r} has no row in {SOURCES_CSV}") from None
    return SourceInfo(**{f.name: row[f.name] for f in fields(SourceInfo)})


@dataclass(frozen=True)
class Selection:
    """What an online refresh asks a service for: the reporters' own reports, and (with `mirror`) every other
    economy's report of its trade with them, for the years and frequencies given (`A` annual, `M` monthly)."""

    reporters: tuple[str, ...] = ("AZE",)
    mirror: bool = True
    first_year: int = 2000
    last_year: int = 2025
    frequencies: tuple[str, ...] = ("A", "M")


@dataclass
class CodedRows:
    """Rows of `RAW_COLUMNS` held compactly, as a parser of millions of cells builds them cheaply.

    `codes` maps every text column except `origin` to (integer codes, labels): row i holds
    `labels[codes[i]]`, and every label is used by some row (an unused one would become an unused category).
    `values` are the `value_usd` figures and `origins` the `origin` texts, one per row.
    """

    codes: dict[str, tuple[np.ndarray, tuple[str, ...]]]
    values: np.ndarray
    origins: pa.Array

    def __len__(self) -> int:
        return len(self.values)


def coded_frame(parts: Sequence[CodedRows]) -> pd.DataFrame:
    """One frame of `RAW_COLUMNS` from coded rows, in order: text columns become categoricals whose categories
    are sorted (so sorting by a column sorts by its text), `origin` is Arrow-backed text."""
    if not parts:
        return empty_rows()
    columns: dict[str, object] = {}
    for column in RAW_COLUMNS:
        if column == schema.VALUE_USD:
            columns[column] = np.concatenate([p.values for p in parts]).astype("float64", copy=False)
        elif column == schema.ORIGIN:
            columns[column] = pa.chunked_array([p.origins for p in parts], type=pa.string()).to_pandas()
        else:
            coded = [p.codes[column] for p in parts]
            categories = sorted({label for _, labels in coded for label in labels})
            position = {label: code for code, label in enumerate(categories)}
            recoded = [
                np.array([position.get(label, -1) for label in labels], dtype=np.int32)[codes]
                for codes, labels in coded
            ]
            columns[column] = pd.Categorical.from_codes(
                np.concatenate(recoded), categories=pd.Index(categories)
            )
    return pd.DataFrame(columns, columns=list(RAW_COLUMNS))


@dataclass
class Parsed:
    """Rows of `trade_flows` (plus their `origin`), every problem met while reading them, and notes on what was
    deliberately left out (e.g. breakdown or re-export records that are not headline totals) for the user."""

    frames: list[pd.DataFrame] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Things the user should hear about that are not errors (e.g. aggregates skipped knowingly).
    notes: list[str] = field(default_factory=list)
    # Rows in compact form (see `CodedRows`), after those in `frames`.
    coded: list[CodedRows] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        frames = [*self.frames, coded_frame(self.coded)] if self.coded else self.frames
        if not frames:
            return empty_rows()
        if len(frames) == 1:
            return frames[0].reset_index(drop=True)
        return pd.concat(frames, ignore_index=True)

    def extend(self, other: Parsed) -> None:
        self.frames.extend(other.frames)
        self.problems.extend(other.problems)
        self.notes.extend(other.notes)
        self.coded.extend(other.coded)


def empty_rows() -> pd.DataFrame:
    """A parser's frame with no rows: the tidy columns plus `origin`."""
    return pd.DataFrame(
        {c: pd.Series(dtype="float64" if c == schema.VALUE_USD else "object") for c in RAW_COLUMNS}
    )


class SourceModule(Protocol):
    """What every module in `etl/sources/` that reads one source offers (module-level names).

    Read-only members (properties here) so that a module's constant such as `FILE_PATTERNS = ("*.json",)`
    satisfies the wider declared type.
    """

    @property
    def INFO(self) -> SourceInfo:
        """Facts constant for the source, written to the store's `sources` table."""

    @property
    def DEFAULT_RELEASE(self) -> str:
        """The release name given to `--input` files when the user names none."""

    @property
    def FILE_PATTERNS(self) -> tuple[str, ...]:
        """Globs of the raw files `parse` reads (e.g. `("*.json",)`) in `data/raw/<source>/<release>/`."""

    @property
    def PARALLEL_PARSE(self) -> bool:
        """Whether the refresh may read several files at once in forked worker processes (`parse` is pure)."""

    @property
    def FLOW_MAP(self) -> Mapping[str, tuple[str, str]]:
        """The column map held as data, in the form every source shares: the source's own label of a flow
        (sheet name, indicator or flow code, header word) -> (flow as the reporter declares it, its usual
        valuation). A row carries the other valuation only where the file itself says so (e.g. a Comtrade
        import given FOB only)."""

    @property
    def published_warnings(self) -> Callable[[pd.DataFrame], list[str]] | None:
        """Warnings that are not errors about this source's rows as a refresh publishes them (every release
        together), e.g. a customs cumulative smaller than an earlier one; None for a source with none."""

    def parse(self, path: Path, *, release: str, reference: Reference) -> Parsed:
        """Rows of one saved file. Pure; never raises for bad data but lists every problem (file, sheet/row/field,
        value) in `Parsed.problems`."""

    def fetch(
        self,
        *,
        raw_dir: Path,
        release: str,
        selection: Selection,
        environ: Mapping[str, str],
        transport: httpx.BaseTransport | None = None,
        policy: Policy | None = None,
        progress: Progress | None = None,
    ) -> list[Path]:
        """Online only: ask the live service for `selection` through `etl.http.Client` and save every reply
        untouched with `etl.raw.download(...)` under `raw_dir/<source>/<release>/`.

        The base URL is overridable by an environment variable named in the module (e.g. `TRADE_COMTRADE_URL`,
        so tests use a server on 127.0.0.1); keys also come from `environ`, never from the command line.
        `policy` overrides timeouts/backoff/rate limits in tests. Raises `etl.http.FetchError` with a clear
        message (and commits nothing) on failure; a source with no live service raises it saying where to
        download files by hand.
        """
