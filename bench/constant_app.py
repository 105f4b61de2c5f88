"""The floor of P1: a Dash app whose callback returns a constant answer as big as the dashboard's ranking.

`gunicorn 'bench.constant_app:create_server()'` with BENCH_ANSWER naming a JSON file of the ranking callback's
outputs (title, figure, source footer) as the dashboard sent them once. What is left is what any Dash callback
costs here: the request, Dash's dispatch and the JSON encoding of a figure of the same size, with no query.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import dash
import flask
from dash import Input, Output, dcc, html

from dashboard import ids


def create_app(answer: dict[str, Any]) -> dash.Dash:
    app = dash.Dash(__name__)
    app.layout = html.Div(
        [
            dcc.Dropdown(id=ids.REPORTER, value="AZE"),
            dcc.Dropdown(id=ids.PARTNER, value="ITA"),
            dcc.Dropdown(id=ids.PERIOD, value="2019"),
            dcc.Dropdown(id=ids.MEASURE, value="turnover"),
            dcc.Dropdown(id=ids.TOP, value=15),
            html.H2(id=ids.RANKING_TITLE),
            dcc.Graph(id=ids.RANKING_GRAPH),
            html.Small(id=ids.RANKING_SOURCE),
        ]
    )
    title, figure, source = answer["title"], answer["figure"], answer["source"]

    @app.callback(
        Output(ids.RANKING_TITLE, "children"),
        Output(ids.RANKING_GRAPH, "figure"),
        Output(ids.RANKING_SOURCE, "children"),
        Input(ids.REPORTER, "value"),
        Input(ids.PARTNER, "value"),
        Input(ids.PERIOD, "value"),
        Input(ids.MEASURE, "value"),
        Input(ids.TOP, "value"),
    )
    def constant(*_: Any) -> tuple[Any, Any, Any]:
        return title, figure, source

    return app


def create_server() -> flask.Flask:
    answer = json.loads(Path(os.environ["BENCH_ANSWER"]).read_text(encoding="utf-8"))
    return create_app(answer).server
