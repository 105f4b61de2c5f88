"""One module per official source, all of the same shape (DESIGN.md habit 3). Each module has:

- `INFO`: a `SourceInfo` (written to the store's `sources` table).
- `DEFAULT_RELEASE`: the release name given to `--input` files when the user names none.
- `FILE_PATTERNS`: globs of the raw files `parse` reads (e.g. `("*.json",)`), in `data/raw/<source>/<release>/`.
- `parse(path, *, release, reference) -> Parsed`: pure; reads one saved file; never raises for bad data but
  lists every problem (file, sheet/row/field, value) in `Parsed.problems`.
- `fetch(*, raw_dir, release, selection, environ, transport=None, policy=None, progress=None) -> list[Path]`:
  online only; asks the live service for `selection` through `etl.http.Client` (base URL overridable by an
  environment variable named in the module, e.g. `TRADE_COMTRADE_URL`, so tests use a server on 127.0.0.1;
  keys also come from `environ`, never from the command line) and saves every reply untouched with
  `etl.raw.download(...)`; raises `etl.http.FetchError` with a clear message (and commits nothing) on failure.
  `policy` (an `etl.http.Policy`) overrides timeouts/backoff/rate limits in tests. Sources with no live service
  raise `FetchError` saying where to download files by hand.
- Column and code maps held as data (module-level dicts or files in `data/reference/`).

Only the ETL pipeline imports these modules; the dashboard never does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from etl import schema
from etl.problems import Problem

# Columns a parser returns: the tidy table plus where each figure came from ("file!'sheet'!cell", "file#row 3",
# or a URL), which the pipeline keeps in the `provenance` table.
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
