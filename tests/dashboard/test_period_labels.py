"""Periods are written by the locale layer (`format.period_text`, CLDR's months) wherever the page and the
exports show them: no English month or frequency word in an Italian, Azerbaijani or Russian view. The query
layer keeps its English labels (its data files, its warnings); the display side writes periods again from
the structured fields (frequency, year, month), and the query layer is imported without Babel."""

from __future__ import annotations

import ast
import dataclasses
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from dashboard.components.chart_outputs import kpi_outputs, narrative_outputs, table_outputs
from dashboard.components.controls import period_options
from dashboard.components.header import page_subtitle_for
from dashboard.format import period_text
from dashboard.queries.answers import TradeQueries
from dashboard.queries.model import FREQUENCIES
from dashboard.queries.periods import period_label
from dashboard.registry import CHARTS, build_chart
from dashboard.state import ViewState
from dashboard.view_content import map_content, ranking_content, table_content
from tests.conftest import REPO_ROOT

DASHBOARD = REPO_ROOT / "dashboard"
CUMULATIVE = ViewState(
    "AZE", "ITA", "2020-07", frequency="cumulative", source="customs_az", compare=("ITA", "TUR")
)
ENGLISH_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
ENGLISH_FREQUENCY = re.compile(r"\b(Annual|Monthly|monthly|annual|cumulative)\b|Jan–month")
EXPECTED = {"it": "gen–lug 2020", "az": "yan–iyl 2020", "ru": "янв.–июль 2020"}


def test_period_text_is_the_query_layers_label_in_english_and_cldr_elsewhere() -> None:
    for frequency in FREQUENCIES:
        for month in (1, 7, 12):
            assert period_text(frequency, 2020, month) == period_label(frequency, 2020, month)
    assert period_text("cumulative", 2020, 7) == "Jan–Jul 2020"
    assert period_text("monthly", 2020, 9, "ru") == "сент. 2020"
    assert period_text("annual", 2019, 12, "az") == "2019"
    for lang, expected in EXPECTED.items():
        assert period_text("cumulative", 2020, 7, lang) == expected


def _texts(node: Any) -> Iterator[str]:
    """Every string a Dash component tree shows (its children, recursively)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, (list, tuple)):
        for child in node:
            yield from _texts(child)
    elif hasattr(node, "children"):
        yield from _texts(node.children)


def _figure_texts(figure: Any) -> Iterator[str]:
    """The period labels a figure shows in its hover texts (each trace's customdata) and its words."""
    for trace in figure.data:
        for row in trace.customdata if trace.customdata is not None else ():
            yield from (str(cell) for cell in row)
        yield str(trace.name or "")


@pytest.mark.parametrize("lang", ["it", "az", "ru"])
def test_no_english_period_or_frequency_word_in_a_translated_view(queries: TradeQueries, lang: str) -> None:
    state = dataclasses.replace(CUMULATIVE, lang=lang)
    shown: dict[str, list[str]] = {
        "kpi": list(_texts(kpi_outputs(queries, state))),
        "narrative": list(_texts(narrative_outputs(queries, state)[0])),
        "ranking": [ranking_content(queries, state).title],
        "map": [map_content(queries, state).title],
        "table": [table_content(queries, state).title, table_content(queries, state).previous_label or ""],
        "grid": [str(row.get("label", "")) for row in table_outputs(queries, state)[1]],
        "options": [o["label"] for o in period_options("cumulative", ["2019-06", "2020-07"], lang)],
        "subtitle": [
            page_subtitle_for(
                ["2019-06", "2020-07"], frequency="cumulative", reporter_name="X", source=None, lang=lang
            )
        ],
    }
    for chart_id, chart in CHARTS.items():
        if chart.tab == "mirror":
            continue  # annual only: its periods are years
        content = build_chart(queries, chart_id, dataclasses.replace(state, view=chart.tab))
        shown[chart_id] = [content.metadata.title, content.metadata.subtitle, *_figure_texts(content.figure)]
    leaks = [
        f"{where}: {text!r}"
        for where, texts in shown.items()
        for text in texts
        if ENGLISH_MONTH.search(text) or ENGLISH_FREQUENCY.search(text)
    ]
    assert not leaks, "\n".join(leaks)
    assert any(EXPECTED[lang] in text for text in shown["ranking"] + shown["kpi"] + shown["narrative"])
    assert any(EXPECTED[lang] in text for text in shown["trend"])  # the hover texts of the chart


def test_the_display_side_never_reads_the_query_layers_english_labels() -> None:
    """`label_in` (re-reading an English label) and `period_label` stay inside dashboard/queries/."""
    users = []
    for path in sorted(DASHBOARD.rglob("*.py")):
        if path.is_relative_to(DASHBOARD / "queries"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "dashboard.queries.periods":
                users += [
                    f"{path.relative_to(DASHBOARD)}: {a.name}"
                    for a in node.names
                    if a.name in ("label_in", "period_label")
                ]
    assert not users, users


def test_the_query_layer_is_imported_without_babel() -> None:
    probe = (
        "import sys, dashboard.queries.answers, dashboard.queries.store, dashboard.queries.periods; "
        "print(*sorted(m for m in sys.modules if m == 'babel' or m.startswith('babel.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == [], f"importing the query layer loaded {done.stdout.split()[:5]}"


def test_the_probe_sees_babel_when_it_is_loaded() -> None:
    """The check above can fail: a module that does load Babel is seen."""
    probe = "import sys, dashboard.i18n; dashboard.i18n.month_names('it'); print('babel' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "True"
