"""The baseline of P1: the common Dash pattern, a pandas DataFrame in memory filtered inside the callback.

`gunicorn 'bench.baseline_app:create_server()'` with BENCH_PARQUET naming the trade_flows Parquet file. The
callback answers the same question as the dashboard's ranking chart (a reporter's top partners by a measure in a
year, with shares of the World total) with boolean masks on the whole frame and a plotly.express bar chart.
"""

from __future__ import annotations

import os
from typing import Any

import dash
import flask
import pandas as pd
import plotly.express as px
from dash import Input, Output, dcc, html


def create_app(frame: pd.DataFrame) -> dash.Dash:
    app = dash.Dash(__name__)
    app.layout = html.Div(
        [
            dcc.Dropdown(id="reporter", value="AZE"),
            dcc.Dropdown(id="partner", value="ITA"),
            dcc.Dropdown(id="year", value=2019),
            dcc.Dropdown(id="ranking-measure", value="turnover"),
            dcc.Dropdown(id="ranking-top", value=15),
            dcc.Graph(id="ranking-graph"),
        ]
    )

    @app.callback(
        Output("ranking-graph", "figure"),
        Input("reporter", "value"),
        Input("partner", "value"),
        Input("year", "value"),
        Input("ranking-measure", "value"),
        Input("ranking-top", "value"),
    )
    def ranking(reporter: Any, partner: Any, year: Any, measure: Any, top: Any) -> Any:
        rows = frame[
            (frame["reporter"] == reporter)
            & (frame["period_start"] == f"{year}-01")
            & (frame["period_end"] == f"{year}-12")
        ]
        table = rows.pivot_table(index="partner", columns="flow", values="value_usd", aggfunc="sum")
        table["turnover"] = table.get("export", 0) + table.get("import", 0)
        column = {"exports": "export", "imports": "import"}.get(measure, "turnover")
        world = table.loc["WLD", column] if "WLD" in table.index else float("nan")
        ranked = table.drop(index="WLD", errors="ignore").nlargest(int(top), column).reset_index()
        ranked["share"] = ranked[column] / world
        return px.bar(ranked, x=column, y="partner", orientation="h", hover_data=["share"])

    return app


def create_server() -> flask.Flask:
    return create_app(pd.read_parquet(os.environ["BENCH_PARQUET"])).server
