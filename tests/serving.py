"""Helpers for tests that serve the real app: a werkzeug server on a free loopback port (the benchmarks' own,
`served`), the pair callback's request, a real refresh."""

from __future__ import annotations

import os
from pathlib import Path

from bench.serving import werkzeug as served
from tests.helpers import run_etl

__all__ = ["kpi_request", "refresh_store", "served"]


def kpi_request(reporter: str = "AZE", partner: str = "ITA", year: int = 2019) -> dict[str, object]:
    """The body Dash's renderer posts to `/_dash-update-component` when the router (callbacks/routes.py) sets
    the bilateral cards' route: the pair callback (callbacks/trend.py) answers the KPI cards, sentences and
    notes, and nothing for its heading and trend outputs."""
    outputs = [("page-title", "children"), ("page-subtitle", "children"), ("trend-graph", "figure"),
               ("trend-source", "children"), ("kpis", "children"), ("narrative", "children"),
               ("data-note", "children")]  # fmt: skip
    route = {
        "reporter": reporter,
        "partner": partner,
        "frequency": "annual",
        "period": str(year),
        "source": None,
    }
    controls = [("reporter", reporter), ("partner", partner), ("frequency", "annual"), ("source", None),
                ("flows", ["exports", "imports", "turnover", "balance"]), ("view-tabs", "bilateral")]  # fmt: skip
    return {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in outputs) + "..",
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [
            {"id": "route-bilateral", "property": "data", "value": route},
            *({"id": i, "property": "value", "value": v} for i, v in controls),
        ],
        "changedPropIds": ["route-bilateral.data"],
        "state": [
            {"id": "period", "property": "value", "value": str(year)},
            {"id": "lang", "property": "data", "value": "en"},
            # What the page shows (callbacks/trend.py SHOWN): nothing yet, so every answer is sent.
            *(
                {"id": i, "property": "children", "value": None}
                for i in ("page-title", "page-subtitle", "trend-source", "narrative", "data-note")
            ),
        ],
    }


def refresh_store(store_dir: Path, raw_dir: Path) -> None:
    """`python -m etl refresh --offline` as a user runs it, into the given folders (the shipped snapshot)."""
    env = os.environ | {"TRADE_STORE_DIR": str(store_dir), "TRADE_RAW_DIR": str(raw_dir)}
    result = run_etl("refresh", "--offline", env=env, timeout=300)
    assert result.returncode == 0, result.stderr
