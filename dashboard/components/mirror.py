"""The mirror view's layout: the chart of both reports, the explanation in plain words, the band and its
sources, and the reporter's partners ranked by the size of the gap. Filled by `dashboard.callbacks.mirror`
from the page's reporter, partner and year controls."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import html

from dashboard.components.aria import aria
from dashboard.components.chart_card import chart_card
from dashboard.format import money, signed_percent
from dashboard.i18n import t, translated

TABS: Final = "more-views"  # the tabs holding the mirror view and the claim checker (state in `?view=`)
SECTION: Final = "mirror-view"
TITLE: Final = "mirror-title"
GRAPH: Final = "mirror-graph"
SOURCE: Final = "mirror-source"
EXPLANATION: Final = "mirror-explanation"
RANKING_TITLE: Final = "mirror-ranking-title"
RANKING: Final = "mirror-ranking"
BAND_NOTE: Final = "mirror-band"


def _placeholder() -> go.Figure:
    return go.Figure(layout={"xaxis": {"visible": False}, "yaxis": {"visible": False}, "height": 620})


def band_note(
    citations: Sequence[tuple[str, str]], *, low: float, high: float, lang: str = "en"
) -> html.Details:
    """What the shaded band is, and what it is based on (from data/reference/cif_fob_band.csv)."""
    return html.Details(
        [
            html.Summary(
                t(
                    lang,
                    "The shaded band: the CIF figure expected between FOB +{low}% and +{high}%",
                    low=f"{(low - 1) * 100:.0f}",
                    high=f"{(high - 1) * 100:.0f}",
                )
            ),
            html.P(
                t(
                    lang,
                    "Importers value goods CIF (with freight and insurance to their border), exporters FOB (at "
                    "their own border), so the importer's figure is normally a few percent above the exporter's. "
                    "The band shows that range; it is not used to correct anything. Based on:",
                ),
                className="mb-1",
            ),
            html.Ul(
                [
                    # The basis is quoted as the reference data cite it (English), and marked so.
                    html.Li(
                        [
                            html.Span(basis, lang="en"),
                            " ",
                            html.A(t(lang, "source"), href=url, target="_blank", rel="noopener noreferrer"),
                        ]
                    )
                    for basis, url in citations
                ]
            ),
        ],
        id=BAND_NOTE,
        className="mirror-band small",
    )


def mirror_section(
    *, citations: Sequence[tuple[str, str]], low: float, high: float, lang: str = "en"
) -> html.Section:
    """The mirror view; `citations`, `low` and `high` describe the CIF/FOB band."""
    return html.Section(
        [
            dbc.Row(
                dbc.Col(
                    chart_card(
                        title_id=TITLE,
                        title=t(lang, "Two reports of the same trade"),
                        graph_id=GRAPH,
                        chart_id="mirror",
                        source_id=SOURCE,
                        figure=_placeholder(),
                        graph_label=t(
                            lang, "Each flow as the reporter reports it beside the partner's mirror report"
                        ),
                        described_by=(EXPLANATION,),  # why the two reports differ, in plain words
                        lang=lang,
                    )
                ),
                class_name="g-4 section-row",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        dbc.Card(
                            dbc.CardBody(
                                [
                                    html.H2(t(lang, "Why the numbers differ"), className="chart-title"),
                                    html.Div(id=EXPLANATION, **aria(live="polite")),
                                    band_note(citations, low=low, high=high, lang=lang),
                                ]
                            ),
                            class_name="chart-card shadow-sm h-100",
                        ),
                        lg=6,
                    ),
                    dbc.Col(
                        dbc.Card(
                            dbc.CardBody(
                                [
                                    html.H2(
                                        t(lang, "Largest gaps"), id=RANKING_TITLE, className="chart-title"
                                    ),
                                    html.Div(id=RANKING),
                                ]
                            ),
                            class_name="chart-card shadow-sm h-100",
                        ),
                        lg=6,
                    ),
                ],
                class_name="g-4 section-row",
            ),
        ],
        id=SECTION,
        **aria(label=t(lang, "Mirror view: what each side reports")),
    )


def explanation_children(
    flows: Sequence[str], notes: Sequence[tuple[str, str, str]], lang: str = "en"
) -> list[Any]:
    """Paragraphs for each flow, then the known causes (title, text, reference) as a list: from
    data/reference/mirror_notes.csv, in the page's language where the catalogue has them (ui.po), else as
    written there and marked `lang="en"`."""
    children: list[Any] = [html.P(text, className="mirror-flow") for text in flows]
    if notes:
        children.append(html.H3(t(lang, "Known causes"), className="h6 mt-3"))
        items = []
        for title, text, reference in notes:
            shown_title, shown_text = translated(lang, title), translated(lang, text)
            written_in = lang if (shown_title, shown_text) != (title, text) or lang == "en" else "en"
            item: list[Any] = [html.Span([html.Strong(shown_title), " ", shown_text], lang=written_in)]
            if reference.startswith("http"):
                item += [
                    " ",
                    html.A(t(lang, "source"), href=reference, target="_blank", rel="noopener noreferrer"),
                ]
            elif reference:
                item += [html.Span(f" ({reference})", className="text-body-secondary", lang="en")]
            items.append(html.Li(item))
        children.append(html.Ul(items, className="mirror-notes"))
    return children


def _data(**attributes: str) -> dict[str, Any]:
    """`data-*` attributes, which Dash takes only as keyword arguments."""
    return {f"data-{name}": value for name, value in attributes.items()}


def ranking_table(rows: Sequence[dict[str, Any]], *, partner: str | None, lang: str = "en") -> Any:
    """The ranking (rank, partner, name, exports/imports gap and %, beyond_band) as a table; the chosen partner
    is highlighted. An empty ranking says why."""
    if not rows:
        return html.P(
            t(
                lang,
                "No partner reports this year's trade with the reporter, so there is nothing to compare.",
            ),
            className="text-body-secondary",
        )
    header = html.Thead(
        html.Tr(
            [
                html.Th("#"),
                html.Th(t(lang, "Partner")),
                html.Th(t(lang, "Exports gap (CIF − FOB)")),
                html.Th(t(lang, "Imports gap (CIF − FOB)")),
                html.Th(t(lang, "Outside band")),
            ]
        )
    )

    def gap(value: Any, pct: Any) -> str:
        if value is None or value != value:
            return "—"
        return f"{money(value, lang)} ({signed_percent(pct, lang)})"

    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(str(row["rank"])),
                    html.Td(row["name"]),
                    html.Td(gap(row["exports_gap_usd"], row["exports_gap_pct"])),
                    html.Td(gap(row["imports_gap_usd"], row["imports_gap_pct"])),
                    html.Td(t(lang, "yes") if row["beyond_band"] else t(lang, "no")),
                ],
                className="table-active fw-semibold" if row["partner"] == partner else None,
                **_data(partner=str(row["partner"])),
            )
            for row in rows
        ]
    )
    return dbc.Table([header, body], size="sm", hover=True, responsive=True, class_name="mirror-ranking mb-0")
