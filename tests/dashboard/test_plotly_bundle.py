"""The page's own plotly.js (assets/05-plotly-dashboard.min.js, built by tools/plotly-bundle): the version the
plotly Python package writes figures for, and every trace type the views draw.

The bundle holds plotly's core (scatter) with bar and choropleth only; a figure with another trace type would
draw nothing on the page. tests/browser draws the views with it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from plotly.offline import get_plotlyjs_version

from dashboard.app import create_app
from dashboard.registry import VIEW_IDS
from dashboard.settings import ASSETS_DIR, Settings
from tests.dashboard.test_first_response import _layout
from tests.serving import refresh_store

BUNDLE = Path(ASSETS_DIR) / "05-plotly-dashboard.min.js"
BUNDLED_TRACES = {"scatter", "bar", "choropleth"}  # tools/plotly-bundle/entry.js


def test_the_bundle_is_the_plotly_js_of_the_python_package() -> None:
    head = BUNDLE.read_text(encoding="utf-8")[:2000]
    found = re.search(r'version="(\d+\.\d+\.\d+)"', head)
    assert found, "no plotly.js version near the start of the bundle"
    assert found.group(1) == get_plotlyjs_version(), "rebuild it: make plotly-bundle (tools/plotly-bundle)"
    # esbuild writes the stylesheets a bundle imports beside it, and Dash serves every CSS file of the assets.
    assert not BUNDLE.with_suffix(".css").exists()
    entry = (Path(__file__).parents[2] / "tools" / "plotly-bundle" / "entry.js").read_text(encoding="utf-8")
    assert set(re.findall(r"plotly\.js/lib/(\w+)", entry)) - {"core"} == BUNDLED_TRACES - {"scatter"}


def _traces(props: dict[str, Any]) -> set[str]:
    figure = props.get("figure")
    if not isinstance(figure, dict):
        return set()
    return {str(trace.get("type", "scatter")) for trace in figure.get("data", [])}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("bundle")
    refresh_store(folder / "store", folder / "raw")  # the shipped data: every view has something to draw
    return create_app(Settings(store_dir=folder / "store"))


def test_every_view_draws_trace_types_the_bundle_has(app: Any) -> None:
    drawn: dict[str, set[str]] = {}
    for view in VIEW_IDS:
        link = f"?view={view}&reporter=AZE&partner=ITA&period=2019&partners=ITA,TUR,RUS"
        drawn[view] = set().union(*(_traces(props) for props in _layout(app, link).values()))
        missing = drawn[view] - BUNDLED_TRACES
        assert not missing, f"{view} draws {missing}: add them to tools/plotly-bundle/entry.js"
    # Not vacuous: the charted views' figures are in the first response, with every bundled type among them.
    assert set().union(*drawn.values()) == BUNDLED_TRACES, drawn
