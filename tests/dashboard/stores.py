"""Tiny hand-made stores for the dashboard and browser tests: every number is recomputed by hand in the tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from etl import schema
from etl.store import StoreTables, publish

M = 1_000_000.0
RELEASE = "2024-06-30"

# (reporter, partner, flow, year, value_usd[, status])
Row = tuple

# Azerbaijan reports; Italy's own mirror report of its imports from Azerbaijan is one extra row.
TINY_ROWS: tuple[Row, ...] = (
    ("AZE", "ITA", "export", 2017, 3000 * M),
    ("AZE", "ITA", "import", 2017, 250 * M),
    ("AZE", "TUR", "export", 2017, 800 * M),
    ("AZE", "TUR", "import", 2017, 1000 * M),
    ("AZE", "ITA", "export", 2018, 4000 * M),
    ("AZE", "ITA", "import", 2018, 300 * M),
    ("AZE", "TUR", "export", 2018, 900 * M),
    ("AZE", "TUR", "import", 2018, 1200 * M),
    ("AZE", "RUS", "export", 2018, 200 * M),  # no import row for 2018: missing, not zero
    ("AZE", "WLD", "export", 2018, 7000 * M),
    ("AZE", "WLD", "import", 2018, 4500 * M),
    ("AZE", "EUU", "export", 2018, 5000 * M),
    ("AZE", "EUU", "import", 2018, 1000 * M),
    ("AZE", "ITA", "export", 2019, 5000 * M),
    ("AZE", "ITA", "import", 2019, 400 * M),
    ("AZE", "TUR", "export", 2019, 1000 * M),
    ("AZE", "TUR", "import", 2019, 1500 * M, "estimated"),
    ("AZE", "RUS", "export", 2019, 300 * M),
    ("AZE", "RUS", "import", 2019, 1800 * M),
    ("AZE", "WLD", "export", 2019, 8000 * M),
    ("AZE", "WLD", "import", 2019, 5000 * M),
    ("AZE", "EUU", "export", 2019, 6000 * M),
    ("AZE", "EUU", "import", 2019, 1200 * M),
    ("ITA", "AZE", "import", 2019, 5200 * M),
)

AREAS = (
    ("AZE", "Azerbaijan", "country"),
    ("ITA", "Italy", "country"),
    ("TUR", "Türkiye", "country"),
    ("RUS", "Russia", "country"),
    ("CHN", "China", "country"),
    ("ISR", "Israel", "country"),
    ("DEU", "Germany", "country"),
    ("SUN", "USSR", "historical"),
    ("WLD", "World", "group"),
    ("EUU", "European Union", "group"),
)


def tidy_frame(rows: Iterable[Row], *, source: str = "imf_dots", release: str = RELEASE) -> pd.DataFrame:
    """A `trade_flows` frame from (reporter, partner, flow, year, value_usd[, status]) tuples, annual."""
    records = []
    for row in rows:
        reporter, partner, flow, year, value = row[:5]
        status = row[5] if len(row) > 5 else "reported"
        records.append(
            {
                schema.SOURCE: source,
                schema.REPORTER: reporter,
                schema.PARTNER: partner,
                schema.FLOW: flow,
                schema.PERIOD_START: f"{year}-01",
                schema.PERIOD_END: f"{year}-12",
                schema.VALUE_USD: float(value),
                schema.VALUATION: "FOB" if flow == "export" else "CIF",
                schema.STATUS: status,
                schema.RELEASE: release,
            }
        )
    return pd.DataFrame.from_records(records, columns=list(schema.TRADE_FLOW_COLUMNS))


def store_tables(
    rows: Iterable[Row], *, areas: Sequence[tuple[str, str, str]] = AREAS, release: str = RELEASE
) -> StoreTables:
    """Everything a store version holds, built around `tidy_frame(rows)`."""
    flows = tidy_frame(rows, release=release)
    provenance = flows.loc[:, list(schema.KEY_COLUMNS)].copy()
    provenance[schema.ORIGIN] = [
        f"DOTS_{r}.xlsx!'{'Exports, FOB' if f == 'export' else 'Imports, CIF'}'!A{i + 2}"
        for i, (r, f) in enumerate(zip(flows[schema.REPORTER], flows[schema.FLOW], strict=True))
    ]
    sources = pd.DataFrame(
        [
            {
                "source": "imf_dots",
                "publisher": "International Monetary Fund",
                "title": "Direction of Trade Statistics (DOTS)",
                "url": "https://data.imf.org/",
                "licence": "IMF terms of use",
                "attribution": "Source: IMF, Direction of Trade Statistics (DOTS)",
                "unit_original": "USD millions",
            }
        ]
    )
    releases = pd.DataFrame(
        [
            {
                "source": "imf_dots",
                "release": release,
                "description": "IMF DOTS workbooks",
                "rows": len(flows),
                "rows_added": len(flows),
                "rows_removed": 0,
                "rows_revised": 0,
                "inputs": "DOTS_*.xlsx",
            }
        ]
    )
    return StoreTables(
        trade_flows=flows,
        provenance=provenance,
        areas=pd.DataFrame(list(areas), columns=list(schema.AREA_COLUMNS)),
        sources=sources,
        releases=releases,
    )


_clock = iter(range(1, 10_000))


def publish_rows(store_dir: Path, rows: Iterable[Row], **kwargs: object) -> Path:
    """Publish `rows` as a new store version in `store_dir`; returns the new file."""
    # Distinct, increasing version names even when two publishes fall in the same microsecond.
    now = datetime(2024, 7, 1, tzinfo=UTC).replace(microsecond=next(_clock))
    return publish(store_tables(rows, **kwargs), store_dir=store_dir, now=now).path  # type: ignore[arg-type]
