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

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from etl import schema
from etl.problems import Problem

# Columns a parser returns: the tidy table plus where each figure came from ("file!'sheet'!cell", "file#row 3",
# or a URL), which the pipeline keeps in the `provenance` table.
RAW_COLUMNS = (*schema.TRADE_FLOW_COLUMNS, schema.ORIGIN)

# Called with a short label (a file name, a request) each time a step completes.
Progress = Callable[[str], None]


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
class Parsed:
    """Rows of `trade_flows` (plus their `origin`), every problem met while reading them, and notes on what was
    deliberately left out (e.g. breakdown or re-export records that are not headline totals) for the user."""

    frames: list[pd.DataFrame] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Things the user should hear about that are not errors (e.g. aggregates skipped knowingly).
    notes: list[str] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        if not self.frames:
            return empty_rows()
        return pd.concat(self.frames, ignore_index=True)

    def extend(self, other: Parsed) -> None:
        self.frames.extend(other.frames)
        self.problems.extend(other.problems)
        self.notes.extend(other.notes)


def empty_rows() -> pd.DataFrame:
    """A parser's frame with no rows: the tidy columns plus `origin`."""
    return pd.DataFrame(
        {c: pd.Series(dtype="float64" if c == schema.VALUE_USD else "object") for c in RAW_COLUMNS}
    )
