"""ONE registry of the page's views and their charts: each view and each chart is declared here once.

Built from it: the tabs and their sections (components/page.py, via `app.py`), the route stores and the
router that feeds the open view's callbacks (callbacks/routes.py), the routed callbacks themselves (one
helper wires each route's answer to its outputs), the download menus (each layout gets its charts' formats),
the download callback (callbacks/downloads.py) and the export command line (`python -m dashboard export
--view ...`). Adding a chart is one `Chart` in its view; adding a view is one `View` in VIEWS (a view whose
callbacks do more than a route, like the mirror or the claim checker, also registers its own module in
callbacks/__init__.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from dash import dcc, html

from dashboard import ids
from dashboard.charts import (
    ChartContent,
    comparison_chart,
    map_chart,
    mirror_chart,
    rank_history_chart,
    ranking_chart,
    table_chart,
    trend_chart,
)
from dashboard.components import claims as claims_components
from dashboard.components.chart_outputs import (
    bilateral_outputs,
    compared_outputs,
    map_outputs,
    ranking_outputs,
    sources_outputs,
    table_outputs,
)
from dashboard.components.views import (
    Layout,
    bilateral_layout,
    claims_layout,
    map_layout,
    mirror_layout,
    partners_layout,
    sources_layout,
    table_layout,
)
from dashboard.export import (
    DATA_FORMATS,
    FORMATS,
    IMAGE_FORMATS,
    MEDIA_TYPES,
    ExportFile,
    ImageEngine,
    chart_html,
    chart_image,
    data_csv,
    data_xlsx,
    export_filename,
)
from dashboard.queries.answers import TradeQueries
from dashboard.settings import Settings
from dashboard.state import ResolvedView, ViewState, state_from_search

ChartBuilder = Callable[[TradeQueries, ViewState], ChartContent]
Answer = Callable[[TradeQueries, ViewState], tuple[Any, ...]]


@dataclass(frozen=True)
class Chart:
    """One exportable chart: its id (download menus, file names), its title, its name on the command line
    (`--view bilateral`, and any `aliases`), the function that builds it and the formats it exports as.
    `tab` is the view that shows it (for the link an export cites), filled from the view that declares it.
    `reads`: the URL parameters (dashboard.state.PARAMETERS) the chart depends on besides view and lang."""

    chart_id: str
    title: str
    cli_name: str
    build: ChartBuilder
    formats: tuple[str, ...] = FORMATS
    aliases: tuple[str, ...] = ()
    tab: str = ""
    reads: tuple[str, ...] = ()  # the URL parameters it reads: an image's link keeps only those


@dataclass(frozen=True)
class Route:
    """A group of outputs that read the same controls (names of callbacks/state.py CONTROL_IDS). The router
    sets its store (`ids.route(name)`) only while its view is open and only when those controls changed;
    `answer(queries, state)` fills `outputs` (component id, property) in order. No answer: the view's own
    callback module wires the route (the mirror). `own_callback`: the answer is given by a callback module
    that answers more with it (the bilateral cards, with the heading and the trend: callbacks/trend.py)."""

    name: str
    controls: tuple[str, ...]
    outputs: tuple[tuple[str, str], ...] = ()
    answer: Answer | None = None
    own_callback: bool = False


@dataclass(frozen=True)
class View:
    """One tab: its id (in the URL as `view=`), the i18n key of its label, its layout, its charts, its routes.

    `lazy`: the page holds only the components `kept` of its section (its controls, and whatever else callbacks
    that can run while it is closed read or write) until the tab first opens; callbacks/sections.py then
    builds the whole section. Every component in the page costs the browser work at each change (Dash's
    renderer checks each one after every update), so a partner change on the bilateral view waited for ~200
    components of views nobody had opened (bench P2b). Dash does not run a callback one of whose components
    is missing: tests/dashboard/test_app.py holds every callback to components that exist when it can run."""

    id: str
    label_key: str
    layout: Layout
    charts: tuple[Chart, ...] = ()
    routes: tuple[Route, ...] = ()
    lazy: bool = False
    kept: tuple[str, ...] = ()  # the ids the page holds of a lazy view until it is built

    def section(self, view: ResolvedView, settings: Settings) -> Any:
        """The view's components, each chart's download menu offering the chart's formats; a lazy view's
        route stores after them. Those stores are its router's outputs (callbacks/routes.py): until the
        section is built, Dash drops that router (all its outputs missing), so a change of the controls runs
        no router for views nobody has opened (bench P2b: a partner change, one callback fewer)."""
        layout = self.layout(view, settings, {chart.chart_id: chart.formats for chart in self.charts})
        if not self.lazy or not self.routes:
            return layout
        stores = [dcc.Store(id=ids.route(route.name)) for route in self.routes]
        return [*(layout if isinstance(layout, list) else [layout]), *stores]

    def placeholder(self, view: ResolvedView, settings: Settings) -> Any:
        """What the page holds of the view until its tab opens: the section, or a lazy view's `kept` components
        (taken from its section, so they are the same components with the same values)."""
        section = self.section(view, settings)
        if not self.lazy:
            return section
        held = {c.id: c for c in html.Div(section)._traverse() if getattr(c, "id", None) in self.kept}
        return [held[component_id] for component_id in self.kept]  # a renamed id fails here, loud


_PAIR: Final = ("reporter", "partner", "frequency", "period", "source")
_PAIR_LINK: Final = ("reporter", "partner", "freq", "period", "source")  # _PAIR as URL parameters
_MAP_CONTROLS: Final = ("reporter", "frequency", "period", "source", "map_measure")


def _card(title: str, graph: str, source: str) -> tuple[tuple[str, str], ...]:
    """The outputs of a chart card: its title, its graph's figure and its source footer."""
    return (title, "children"), (graph, "figure"), (source, "children")


BILATERAL: Final = View(
    "bilateral",
    "view.bilateral",
    bilateral_layout,
    charts=(Chart("trend", "Trade over time", "bilateral", trend_chart, reads=(*_PAIR_LINK, "flows")),),
    # The trend itself is not routed: a new period only moves its marker (callbacks/trend.py), which answers
    # the route's cards together with the trend and the heading. The route reads only the period: the pair
    # callback reads the other controls itself, so a new partner does not wait for a router (bench P2b).
    routes=(
        Route(
            "bilateral",
            ("period",),
            ((ids.KPIS, "children"), (ids.NARRATIVE, "children"), (ids.DATA_NOTE, "children")),
            bilateral_outputs,
            own_callback=True,  # one request with the heading and the trend (callbacks/trend.py)
        ),
    ),
)
PARTNERS: Final = View(
    "partners",
    "view.partners",
    partners_layout,
    lazy=True,
    kept=(ids.MEASURE, ids.TOP, ids.COMPARE),
    charts=(
        Chart(
            "ranking",
            "Top partners",
            "ranking",
            ranking_chart,
            aliases=("partners",),
            reads=(*_PAIR_LINK, "measure", "top"),
        ),
        Chart(
            "comparison",
            "Selected partners over time",
            "comparison",
            comparison_chart,
            reads=("reporter", "freq", "source", "measure", "partners"),
        ),
        Chart(
            "rank_history",
            "Rank over time",
            "rank",
            rank_history_chart,
            reads=("reporter", "freq", "source", "partners"),
        ),
    ),
    routes=(
        Route(
            "ranking",
            (*_PAIR, "measure", "top"),
            _card(ids.RANKING_TITLE, ids.RANKING_GRAPH, ids.RANKING_SOURCE),
            ranking_outputs,
        ),
        Route(
            "comparison",
            ("reporter", "partner", "frequency", "source", "measure", "compare"),
            (
                *_card(ids.COMPARE_TITLE, ids.COMPARE_GRAPH, ids.COMPARE_SOURCE),
                (ids.RANK_HISTORY_GRAPH, "figure"),
                (ids.RANK_HISTORY_SOURCE, "children"),
            ),
            compared_outputs,
        ),
    ),
)
MAP: Final = View(
    "map",
    "view.map",
    map_layout,
    lazy=True,
    kept=(ids.MAP_MEASURE,),
    charts=(
        Chart(
            "map",
            "Partners on the map",
            "map",
            map_chart,
            reads=("reporter", "freq", "period", "source", "map"),
        ),
    ),
    routes=(Route("map", _MAP_CONTROLS, _card(ids.MAP_TITLE, ids.MAP_GRAPH, ids.MAP_SOURCE), map_outputs),),
)
TABLE: Final = View(
    "table",
    "view.table",
    table_layout,
    lazy=True,
    # The table exports as data only: an image of a long grid would say nothing a file cannot.
    charts=(Chart("table", "Table of all partners", "table", table_chart, formats=DATA_FORMATS),),
    routes=(
        Route(
            "table",
            ("reporter", "frequency", "period", "source", "measure"),
            (
                (ids.TABLE_TITLE, "children"),
                (ids.TABLE_GRID, "rowData"),
                (ids.TABLE_GRID, "columnDefs"),
                (ids.TABLE_SOURCE, "children"),
            ),
            table_outputs,
        ),
    ),
)
SOURCES: Final = View(
    "sources",
    "view.sources",
    sources_layout,
    lazy=True,
    # Asked again whenever the tab opens (a new store version lists its new releases); the reporter only
    # because a route needs one (callbacks/routes.py `routed_callback`): the content is the same for all.
    routes=(Route("sources", ("reporter",), ((ids.SOURCES_CONTENT, "children"),), sources_outputs),),
)
MIRROR: Final = View(
    "mirror",
    "view.mirror",
    mirror_layout,
    lazy=True,
    charts=(
        Chart(
            "mirror",
            "Two reports of the same trade",
            "mirror",
            mirror_chart,
            reads=("reporter", "partner", "period"),
        ),
    ),
    routes=(Route("mirror", ("reporter", "partner", "period")),),
)
CLAIMS: Final = View(
    "claims",
    "view.claims",
    claims_layout,
    lazy=True,
    # A link's claim is filled on navigation by callbacks whose inputs are the page's own (callbacks/claims.py):
    # what they write is in the page from the start. The form's partner and year are not: built from the
    # page's, they follow it once built; until then Dash drops the callback that copies them (all its outputs
    # missing), and a partner change runs one callback fewer (bench P2b).
    kept=(
        claims_components.TEXT,
        claims_components.FOUND_MESSAGE,
        claims_components.FOUND,
        claims_components.FOUND_STORE,
        claims_components.RESULTS,
    ),
)

VIEWS: Final = (BILATERAL, PARTNERS, MAP, TABLE, SOURCES, MIRROR, CLAIMS)
VIEW_IDS: Final = tuple(view.id for view in VIEWS)
ROUTES: Final = tuple(route for view in VIEWS for route in view.routes)
# The route stores every page holds; a lazy view's are in its section, built with it (`View.section`).
PAGE_ROUTES: Final = tuple(route.name for view in VIEWS if not view.lazy for route in view.routes)
CHARTS: Mapping[str, Chart] = MappingProxyType(
    {chart.chart_id: dataclasses.replace(chart, tab=view.id) for view in VIEWS for chart in view.charts}
)


def view_of_route(route: Route) -> View:
    """The view whose tab opens the route."""
    return next(view for view in VIEWS if route in view.routes)


class UnknownChart(KeyError):
    """No chart has this id."""


class FormatNotOffered(ValueError):
    """The chart has no export in this format (the message says which it has)."""


def chart_by_id(chart_id: str) -> Chart:
    """The registered chart; UnknownChart otherwise."""
    try:
        return CHARTS[chart_id]
    except KeyError:
        raise UnknownChart(chart_id) from None


def chart_by_view(view: str) -> Chart:
    """The registered chart whose command-line name (or alias) is `view`; UnknownChart otherwise."""
    for chart in CHARTS.values():
        if view == chart.cli_name or view in chart.aliases:
            return chart
    raise UnknownChart(view)


def view_names() -> tuple[str, ...]:
    """Every name `--view` accepts: each chart's name, then the aliases."""
    charts = CHARTS.values()
    return (*(chart.cli_name for chart in charts), *(alias for chart in charts for alias in chart.aliases))


def build_chart(queries: TradeQueries, chart_id: str, state: ViewState, *, link: str = "") -> ChartContent:
    """The chart for the view, its metadata naming the view state (the query) and the page link."""
    figure, data, metadata = chart_by_id(chart_id).build(queries, state)
    return ChartContent(figure, data, metadata.with_view(query=dataclasses.asdict(state), link=link))


def image_link_keys(queries: TradeQueries, chart: Chart, state: ViewState) -> tuple[str, ...]:
    """The URL parameters an image's link keeps (all when the chart does not say what it reads): the view,
    what the chart reads and the language; the source only when it is not the one the page picks without
    it, so an image shows a source's id only where the link needs it to reproduce the view."""
    if not chart.reads:
        return ()
    default = queries.source_for(state.reporter, state.frequency)
    reads = tuple(key for key in chart.reads if key != "source" or state.source != default)
    return ("view", *reads, "lang")


def export_chart(
    queries: TradeQueries,
    chart_id: str,
    state: ViewState,
    *,
    fmt: str,
    link: str = "",
    engine: ImageEngine | None = None,
    size: str = "default",
) -> ExportFile:
    """One export of one chart; images at the size preset `size` (dashboard.export_layout.SIZES), their
    own words in the view's language. Images need `engine` and raise `ExportUnavailable` (a message for the
    user) when Chromium is missing or fails; HTML, CSV and XLSX never touch the browser. A format the
    chart does not offer (the table has data only) raises FormatNotOffered."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    chart = chart_by_id(chart_id)
    if fmt not in chart.formats:
        raise FormatNotOffered(
            f"the {chart.title.lower()} exports as {' or '.join(f.upper() for f in chart.formats)} only, "
            f"not {fmt.upper()}"
        )
    figure, data, metadata = build_chart(queries, chart_id, state, link=link)
    filename = export_filename(chart_id, (state.reporter, state.partner, state.period), fmt)
    content: bytes
    if fmt in IMAGE_FORMATS:
        if engine is None:
            raise ValueError("image exports need an ImageEngine")
        keys = image_link_keys(queries, chart, state)
        content = chart_image(engine, figure, metadata, fmt=fmt, size=size, lang=state.lang, link_keys=keys)
    elif fmt == "html":
        content = chart_html(figure, metadata).encode("utf-8")
    elif fmt in DATA_FORMATS:
        content = data_csv(data, metadata) if fmt == "csv" else data_xlsx(data, metadata)
    return ExportFile(content=content, filename=filename, media_type=MEDIA_TYPES[fmt])


def view_state_from_search(queries: TradeQueries, settings: Settings, search: str | None) -> ViewState:
    """The view a URL query string shows, resolved exactly as the page resolves a shared link."""
    return state_from_search(queries, settings, search, views=VIEW_IDS).state
