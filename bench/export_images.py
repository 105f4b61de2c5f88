"""Warm image exports (one Chromium kept by `ImageEngine`) against plotly's `fig.write_image` (a browser per
image), on the charts of a tiny store. Prints p50/p95 per chart and the ratio.

    .tools/bin/uv run --frozen python -m bench.export_images [--warm 20] [--cold 6]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import tempfile
import time
from pathlib import Path

from dashboard.export import ImageEngine, chart_image
from dashboard.export_layout import figure_with_footer
from dashboard.queries.store import QueryStore
from dashboard.registry import CHARTS, build_chart
from dashboard.state import ViewState
from tests.dashboard.stores import TINY_ROWS, publish_rows


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warm", type=int, default=20, help="charts rendered by the warm engine")
    parser.add_argument("--cold", type=int, default=6, help="charts written by fig.write_image")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "store"
        publish_rows(store, TINY_ROWS)
        queries = QueryStore(store).current()
        views = [
            ViewState("AZE", partner, year, measure, 15, ("ITA", "TUR", "RUS"))
            for partner, year, measure in itertools.product(
                ("ITA", "TUR", "RUS"), (2018, 2019), ("turnover", "exports")
            )
        ]
        jobs = list(
            itertools.islice(itertools.cycle(itertools.product(CHARTS, views)), max(args.warm, args.cold))
        )
        built = [
            build_chart(queries, chart_id, view, link="http://127.0.0.1:8050/") for chart_id, view in jobs
        ]

        engine = ImageEngine()
        started = time.perf_counter()
        engine.render(built[0].figure, fmt="png", width=300, height=200)
        first = time.perf_counter() - started
        warm = []
        for figure, _, metadata in built[: args.warm]:
            started = time.perf_counter()
            assert chart_image(engine, figure, metadata, fmt="png")[:4] == b"\x89PNG"
            warm.append(time.perf_counter() - started)
        engine.close()

        cold = []
        for index, (figure, _, metadata) in enumerate(built[: args.cold]):
            exported = figure_with_footer(figure, metadata)
            path = Path(folder) / f"cold-{index}.png"
            started = time.perf_counter()
            exported.write_image(path, width=1200, height=int(exported.layout.height), scale=2)
            cold.append(time.perf_counter() - started)
            assert path.read_bytes()[:4] == b"\x89PNG"
        queries.close()

    print(f"engine start + first image: {first:.2f} s")
    print(
        f"warm ImageEngine, {len(warm)} charts: p50 {statistics.median(warm):.3f} s, p95 {percentile(warm, 0.95):.3f} s"
    )
    print(
        f"cold fig.write_image, {len(cold)} charts: p50 {statistics.median(cold):.3f} s, p95 {percentile(cold, 0.95):.3f} s"
    )
    print(f"ratio of medians (cold / warm): {statistics.median(cold) / statistics.median(warm):.1f}x")


if __name__ == "__main__":
    main()
