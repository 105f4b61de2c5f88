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

# Sub-annual rows of two more sources, (source, reporter, partner, flow, period_start, period_end, value_usd).
# customs_az publishes January–month cumulatives only (as the State Customs Committee does); TUR's imports
# fall from Jan–Jun 2020 to Jan–Jul 2020 (a revision: a warning, never a negative July). imf_imts has
# single months, January to March, so no year of it ends in December: annual views keep imf_dots.
PERIOD_ROWS: tuple[tuple[str, str, str, str, str, str, float], ...] = (
    *(
        ("customs_az", "AZE", partner, flow, f"{year}-01", f"{year}-{month:02d}", value * M)
        for partner, flow, values in (
            ("ITA", "export", (2400, 2800, 1500, 1750)),
            ("ITA", "import", (180, 210, 150, 170)),
            ("TUR", "export", (500, 600, 450, 520)),
            ("TUR", "import", (700, 820, 800, 780)),
            ("WLD", "export", (4000, 4700, 3000, 3500)),
            ("WLD", "import", (2500, 2900, 2400, 2800)),
        )
        for (year, month), value in zip(((2019, 6), (2019, 7), (2020, 6), (2020, 7)), values, strict=True)
    ),
    *(
        ("imf_imts", "AZE", "ITA", flow, f"{year}-{month:02d}", f"{year}-{month:02d}", value * M)
        for flow, year, values in (
            ("export", 2019, (350, 300, 280)),
            ("export", 2020, (300, 250, 200)),
            ("import", 2019, (25, 25, 30)),
            ("import", 2020, (20, 30, 25)),
        )
        for month, value in zip((1, 2, 3), values, strict=True)
    ),
)

SOURCES = (
    {
        "source": "imf_dots",
        "publisher": "International Monetary Fund",
        "title": "Direction of Trade Statistics (DOTS)",
        "url": "https://data.imf.org/",
        "licence": "IMF terms of use",
        "attribution": "Source: IMF, Direction of Trade Statistics (DOTS)",
        "unit_original": "USD millions",
    },
    {
        "source": "customs_az",
        "publisher": "State Customs Committee of the Republic of Azerbaijan",
        "title": "Foreign trade, January–month",
        "url": "https://customs.gov.az/",
        "licence": "Public information",
        "attribution": "Source: State Customs Committee of Azerbaijan",
        "unit_original": "USD thousands",
    },
    {
        "source": "imf_imts",
        "publisher": "International Monetary Fund",
        "title": "International Trade in Goods (IMTS)",
        "url": "https://data.imf.org/",
        "licence": "IMF terms of use",
        "attribution": "Source: IMF, International Trade in Goods (IMTS)",
        "unit_original": "USD",
    },
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
    ("GEO", "Georgia", "country"),
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


def period_frame(rows: Iterable[tuple[str, str, str, str, str, str, float]], *, release: str) -> pd.DataFrame:
    """A `trade_flows` frame from (source, reporter, partner, flow, period_start, period_end, value_usd)."""
    records = [
        {
            schema.SOURCE: source,
            schema.REPORTER: reporter,
            schema.PARTNER: partner,
            schema.FLOW: flow,
            schema.PERIOD_START: start,
            schema.PERIOD_END: end,
            schema.VALUE_USD: float(value),
            schema.VALUATION: "FOB" if flow == "export" else "CIF",
            schema.STATUS: "reported",
            schema.RELEASE: release,
        }
        for source, reporter, partner, flow, start, end, value in rows
    ]
    return pd.DataFrame.from_records(records, columns=list(schema.TRADE_FLOW_COLUMNS))


def store_tables(
    rows: Iterable[Row],
    *,
    areas: Sequence[tuple[str, str, str]] = AREAS,
    release: str = RELEASE,
    period_rows: Iterable[tuple[str, str, str, str, str, str, float]] = PERIOD_ROWS,
) -> StoreTables:
    """Everything a store version holds, built around `tidy_frame(rows)` and the sub-annual `period_rows`."""
    annual = tidy_frame(rows, release=release)
    periodic = period_frame(period_rows, release=release)
    flows = pd.concat([annual, periodic], ignore_index=True) if len(periodic) else annual
    provenance = flows.loc[:, list(schema.KEY_COLUMNS)].copy()
    provenance[schema.ORIGIN] = [
        f"DOTS_{r}.xlsx!'{'Exports, FOB' if f == 'export' else 'Imports, CIF'}'!A{i + 2}"
        if source == "imf_dots"
        else f"{source}_{start}_{end}.xlsx!'{f}'!B{i + 2}"
        for i, (source, r, f, start, end) in enumerate(
            zip(
                flows[schema.SOURCE],
                flows[schema.REPORTER],
                flows[schema.FLOW],
                flows[schema.PERIOD_START],
                flows[schema.PERIOD_END],
                strict=True,
            )
        )
    ]
    in_use = set(flows[schema.SOURCE])
    sources = pd.DataFrame([s for s in SOURCES if s["source"] in in_use])
    counts = flows[schema.SOURCE].value_counts()
    releases = pd.DataFrame(
        [
            {
                "source": s["source"],
                "release": release,
                "description": f"{s['title']} as published",
                "rows": int(counts[s["source"]]),
                "rows_added": int(counts[s["source"]]),
                "rows_removed": 0,
                "rows_revised": 0,
                "inputs": f"{s['source']} files",
            }
            for s in SOURCES
            if s["source"] in in_use
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
