"""A store in which Azerbaijan trades with every country that has an outline on the map, and two that have
none: the largest map reply the data can ask for, and a map with many coloured countries.

Exports only, in 2019: the i-th partner (codes in alphabetical order) bought (i + 1) × 10 million US dollars,
so every value, and every colour, differs.
"""

from __future__ import annotations

from pathlib import Path

from dashboard.geo import outlined_countries
from etl import schema
from etl.reference import Reference
from tests.dashboard.stores import M, publish_rows

# Partner countries of the store without an outline in plotly's world_110m.json: a small state (drawn at
# 1:50m only) and Kosovo (Natural Earth gives it no ISO code, so the file has no feature for it).
WITHOUT_OUTLINE = ("SGP", "XKX")
PARTNERS = tuple(sorted((outlined_countries() - {"AZE"}) | set(WITHOUT_OUTLINE)))
EXPORTS_2019 = {code: (i + 1) * 10 * M for i, code in enumerate(PARTNERS)}
WORLD_ROWS = (
    *(("AZE", code, "export", 2019, value) for code, value in EXPORTS_2019.items()),
    ("AZE", "WLD", "export", 2019, sum(EXPORTS_2019.values())),
)


def publish_world(store_dir: Path) -> Path:
    """Publish WORLD_ROWS (with the areas table the ETL writes) into `store_dir`; returns the new file."""
    areas = Reference().areas()[list(schema.AREA_COLUMNS)]
    return publish_rows(
        store_dir, WORLD_ROWS, areas=tuple(areas.itertuples(index=False, name=None)), period_rows=()
    )
