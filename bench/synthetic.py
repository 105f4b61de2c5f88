"""A synthetic world matrix as a real published store, generated inside DuckDB (fixed seed, no pandas copy).

Per (reporter, partner, year): an annual export and import row and ten monthly rows (five months, both
flows): 12 rows, so 200 reporters x 200 partners x 30 years gives 14.4 M rows, the issue's "about 10 M".
Partners are the other reporters plus World (WLD), so rankings and shares work as on real data. Values are a
hash of the key (the seed is part of it): the same arguments always give the same store.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pycountry

from etl import store
from etl.reference import Reference
from etl.settings import REPO_ROOT

SEED = 20260126
ROWS_PER_PAIR_YEAR = 12


def country_codes(count: int) -> list[str]:
    codes = sorted(c.alpha_3 for c in pycountry.countries)
    if count > len(codes):
        raise ValueError(f"at most {len(codes)} synthetic reporters (ISO countries)")
    # Azerbaijan and Italy first, so the dashboard's default view has data.
    first = ["AZE", "ITA"]
    return (first + [c for c in codes if c not in first])[:count]


def build_store(store_dir: Path, *, reporters: int, partners: int, years: int, first_year: int = 1991) -> int:
    """Publish a synthetic store in `store_dir` (a new version + CURRENT); returns the trade_flows rows."""
    store_dir.mkdir(parents=True, exist_ok=True)
    codes = country_codes(max(reporters, partners))
    reporter_codes = codes[:reporters]
    partner_codes = [*codes[: partners - 1], "WLD"]
    areas = Reference(REPO_ROOT / "data" / "reference").areas()
    digest = (reporters * 1_000_003 + partners * 1_009 + years + SEED) & 0xFFFFFFFF
    version = f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%f')}Z-{digest:08x}"
    final = store_dir / f"trade-{version}.duckdb"
    scratch = store_dir / f".tmp-synthetic-{os.getpid()}.duckdb"
    con = duckdb.connect(str(scratch))
    try:
        con.execute("SET preserve_insertion_order = true")
        con.execute("CREATE TEMP TABLE r AS SELECT unnest($codes) AS code", {"codes": reporter_codes})
        con.execute("CREATE TEMP TABLE p AS SELECT unnest($codes) AS code", {"codes": partner_codes})
        con.execute(
            "CREATE TEMP TABLE periods AS SELECT * FROM (VALUES "
            "('export', '01', '12'), ('import', '01', '12'), "
            "('export', '02', '02'), ('import', '02', '02'), ('export', '04', '04'), ('import', '04', '04'), "
            "('export', '06', '06'), ('import', '06', '06'), ('export', '08', '08'), ('import', '08', '08'), "
            "('export', '10', '10'), ('import', '10', '10')) AS t(flow, m0, m1)"
        )
        con.execute(
            """
            CREATE TABLE trade_flows AS
            SELECT 'imf_dots' AS source, r.code AS reporter, p.code AS partner, t.flow,
                printf('%04d-%s', y.year, t.m0) AS period_start, printf('%04d-%s', y.year, t.m1) AS period_end,
                CASE WHEN p.code = 'WLD' THEN 1e9 * (1 + hash(r.code, y.year, t.flow, $seed) % 1000)
                     ELSE round(1e3 * (1 + hash(r.code, p.code, y.year, t.flow, t.m0, $seed) % 1000000), 2)
                END::DOUBLE AS value_usd,
                CASE t.flow WHEN 'export' THEN 'FOB' ELSE 'CIF' END AS valuation,
                CASE WHEN hash(r.code, p.code, y.year, $seed) % 20 = 0 THEN 'estimated' ELSE 'reported' END
                    AS status,
                'synthetic' AS release
            FROM r CROSS JOIN p CROSS JOIN (SELECT range AS year FROM range($first, $last)) y CROSS JOIN periods t
            WHERE r.code <> p.code
            ORDER BY reporter, partner, flow, period_start, period_end, source
            """,
            {"seed": SEED, "first": first_year, "last": first_year + years},
        )
        con.execute(
            """
            CREATE TABLE provenance AS
            SELECT source, reporter, partner, flow, period_start, period_end,
                'synthetic-' || reporter || '.xlsx!''' || flow || '''!R' || partner || 'C' || period_start AS origin
            FROM trade_flows
            """
        )
        con.register("areas_frame", areas)
        con.execute("CREATE TABLE areas AS SELECT code, name, kind FROM areas_frame ORDER BY code")
        con.execute(
            "CREATE TABLE sources AS SELECT 'imf_dots' AS source, 'Synthetic' AS publisher, "
            "'Synthetic world matrix (bench)' AS title, 'https://example.invalid/' AS url, 'none' AS licence, "
            "'Source: synthetic benchmark data' AS attribution, 'US Dollars' AS unit_original"
        )
        rows = int(con.execute("SELECT count(*) FROM trade_flows").fetchone()[0])  # type: ignore[index]
        con.execute(
            "CREATE TABLE releases AS SELECT 'imf_dots' AS source, 'synthetic' AS release, "
            "'Synthetic world matrix' AS description, $rows::BIGINT AS rows, $rows::BIGINT AS rows_added, "
            "0::BIGINT AS rows_removed, 0::BIGINT AS rows_revised, 'bench/synthetic.py' AS inputs",
            {"rows": rows},
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(scratch, final)
    store._switch_pointer(store_dir, final.name)
    return rows


def export_parquet(store_dir: Path, target: Path) -> Path:
    """The published trade_flows as Parquet (what the baseline app loads into pandas)."""
    path = store.current_store_path(store_dir)
    assert path is not None
    with duckdb.connect(str(path), read_only=True) as con:
        con.execute(f"COPY trade_flows TO '{target}' (FORMAT parquet)")
    return target
