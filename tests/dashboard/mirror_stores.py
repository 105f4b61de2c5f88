"""A tiny store with both sides of several pairs and a second source (customs, January–month cumulatives).

Every number the mirror and claim tests assert is recomputed by hand from these rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from etl import schema
from etl.store import StoreTables, publish

M = 1_000_000.0
RELEASE = "2022"
CUSTOMS_RELEASE = "2020-08-15"

# (source, reporter, partner, flow, period_start, period_end, value_usd[, status])
FlowRow = tuple

ANNUAL = "imf_dots"
CUSTOMS = "customs_az"


def _year(source: str, reporter: str, partner: str, flow: str, year: int, value: float) -> FlowRow:
    return (source, reporter, partner, flow, f"{year}-01", f"{year}-12", value)


MIRROR_ROWS: tuple[FlowRow, ...] = (
    # Azerbaijan–Italy: 2018 within the band (ratio 1.05), 2019 exports beyond it (ratio 1.12).
    _year(ANNUAL, "AZE", "ITA", "export", 2018, 4000 * M),
    _year(ANNUAL, "ITA", "AZE", "import", 2018, 4200 * M),
    _year(ANNUAL, "AZE", "ITA", "export", 2019, 5000 * M),
    _year(ANNUAL, "ITA", "AZE", "import", 2019, 5600 * M),
    _year(ANNUAL, "AZE", "ITA", "import", 2019, 400 * M),
    _year(ANNUAL, "ITA", "AZE", "export", 2019, 380 * M),
    # Azerbaijan–Türkiye: Türkiye reports a fraction of Azerbaijan's exports (the transit case).
    _year(ANNUAL, "AZE", "TUR", "export", 2019, 2800 * M),
    _year(ANNUAL, "TUR", "AZE", "import", 2019, 420 * M),
    _year(ANNUAL, "AZE", "TUR", "import", 2019, 1600 * M),
    _year(ANNUAL, "TUR", "AZE", "export", 2019, 1800 * M),
    # Azerbaijan–Russia: both flows within the band.
    _year(ANNUAL, "AZE", "RUS", "export", 2019, 300 * M),
    _year(ANNUAL, "RUS", "AZE", "import", 2019, 310 * M),
    _year(ANNUAL, "AZE", "RUS", "import", 2019, 1800 * M),
    _year(ANNUAL, "RUS", "AZE", "export", 2019, 1700 * M),
    # Georgia does not report: no mirror, no ranking.
    _year(ANNUAL, "AZE", "GEO", "export", 2019, 500 * M),
    # Azerbaijan's totals (a group: never ranked among partners).
    _year(ANNUAL, "AZE", "WLD", "export", 2019, 9000 * M),
    _year(ANNUAL, "AZE", "WLD", "import", 2019, 4000 * M),
    # 2020 whole year, for the claim checker's bounds.
    _year(ANNUAL, "AZE", "ITA", "export", 2020, 4172.2 * M),
    _year(ANNUAL, "AZE", "ITA", "import", 2020, 396.2 * M),
    _year(ANNUAL, "AZE", "TUR", "export", 2020, 2597.9 * M),
    _year(ANNUAL, "AZE", "TUR", "import", 2020, 1563.0 * M),
    _year(ANNUAL, "AZE", "WLD", "export", 2020, 13700 * M),
    _year(ANNUAL, "AZE", "WLD", "import", 2020, 10700 * M),
    _year(ANNUAL, "ITA", "AZE", "import", 2020, 3676.3 * M),
)

CUSTOMS_ROWS: tuple[FlowRow, ...] = (
    # Customs, January–June and January–July 2020 (cumulative releases).
    (CUSTOMS, "AZE", "ITA", "export", "2020-01", "2020-06", 800.0 * M),
    (CUSTOMS, "AZE", "ITA", "import", "2020-01", "2020-06", 150.0 * M),
    (CUSTOMS, "AZE", "ITA", "export", "2020-01", "2020-07", 933.2 * M),
    (CUSTOMS, "AZE", "ITA", "import", "2020-01", "2020-07", 175.3 * M),
    (CUSTOMS, "AZE", "TUR", "export", "2020-01", "2020-07", 1400.0 * M),
    (CUSTOMS, "AZE", "TUR", "import", "2020-01", "2020-07", 900.0 * M),
    (CUSTOMS, "AZE", "WLD", "export", "2020-01", "2020-07", 8000.0 * M),
    (CUSTOMS, "AZE", "WLD", "import", "2020-01", "2020-07", 5500.0 * M),
)

AREAS = (
    ("AZE", "Azerbaijan", "country"),
    ("ITA", "Italy", "country"),
    ("TUR", "Türkiye", "country"),
    ("RUS", "Russia", "country"),
    ("GEO", "Georgia", "country"),
    ("WLD", "World", "group"),
    ("EUU", "European Union", "group"),
)

SOURCES = (
    (
        ANNUAL,
        "International Monetary Fund",
        "Direction of Trade Statistics (DOTS)",
        "https://data.imf.org/",
        "IMF terms of use",
        "Source: IMF, Direction of Trade Statistics (DOTS)",
        "USD millions",
    ),
    (
        CUSTOMS,
        "State Customs Committee of Azerbaijan",
        "Foreign trade, January–month",
        "https://customs.gov.az/",
        "public",
        "Source: State Customs Committee of Azerbaijan",
        "USD",
    ),
)


def flow_frame(rows: Iterable[FlowRow]) -> pd.DataFrame:
    """A `trade_flows` frame from (source, reporter, partner, flow, start, end, value_usd[, status]) tuples."""
    records = []
    for row in rows:
        source, reporter, partner, flow, start, end, value = row[:7]
        records.append(
            {
                schema.SOURCE: source,
                schema.REPORTER: reporter,
                schema.PARTNER: partner,
                schema.FLOW: flow,
                schema.PERIOD_START: start,
                schema.PERIOD_END: end,
                schema.VALUE_USD: float(value),
                schema.VALUATION: "FOB" if flow == "export" else "CIF",
                schema.STATUS: row[7] if len(row) > 7 else "reported",
                schema.RELEASE: CUSTOMS_RELEASE if source == CUSTOMS else RELEASE,
            }
        )
    return pd.DataFrame.from_records(records, columns=list(schema.TRADE_FLOW_COLUMNS))


def origin_of(row: pd.Series) -> str:
    """The origin the fixture gives a row: `<source>:<reporter>-<partner>-<flow>-<start>..<end>`."""
    return (
        f"{row[schema.SOURCE]}:{row[schema.REPORTER]}-{row[schema.PARTNER]}-{row[schema.FLOW]}-"
        f"{row[schema.PERIOD_START]}..{row[schema.PERIOD_END]}"
    )


_clock = iter(range(1, 10_000))


def publish_flows(store_dir: Path, rows: Iterable[FlowRow] = MIRROR_ROWS + CUSTOMS_ROWS) -> Path:
    """Publish `rows` (two sources by default) as a new store version in `store_dir`; returns the file."""
    flows = flow_frame(rows)
    provenance = flows.loc[:, list(schema.KEY_COLUMNS)].copy()
    provenance[schema.ORIGIN] = [origin_of(r) for _, r in flows.iterrows()]
    releases = pd.DataFrame(
        [
            {
                "source": source,
                "release": release,
                "description": description,
                "rows": int((flows[schema.SOURCE] == source).sum()),
                "rows_added": int((flows[schema.SOURCE] == source).sum()),
                "rows_removed": 0,
                "rows_revised": 0,
                "inputs": "fixture",
            }
            for source, release, description in (
                (ANNUAL, RELEASE, "IMF DOTS workbooks"),
                (CUSTOMS, CUSTOMS_RELEASE, "Customs press release, January–July 2020"),
            )
        ]
    )
    tables = StoreTables(
        trade_flows=flows,
        provenance=provenance,
        areas=pd.DataFrame(list(AREAS), columns=list(schema.AREA_COLUMNS)),
        sources=pd.DataFrame(list(SOURCES), columns=list(schema.SOURCE_COLUMNS)),
        releases=releases,
    )
    now = datetime(2024, 8, 1, tzinfo=UTC).replace(microsecond=next(_clock))
    return publish(tables, store_dir=store_dir, now=now).path
