"""`python -m dashboard`: serve the dashboard locally (the only place that serves it), or work from the
command line.

    python -m dashboard [--host H] [--port P] [--debug]          serve on this machine
    python -m dashboard export --view bilateral --partner ITA --format png --output FILE
        [--period 2019|2020-07 --frequency annual|monthly|cumulative --source ID --partners ITA,TUR
         --measure M --top N --map-measure M --size default|social|a4 --lang en|az|...]
                                                   views: bilateral, partners|ranking, comparison, rank,
                                                   map, table (csv/xlsx), mirror
    python -m dashboard codes [--reporter AZE]                    the codes of reporters or partners
    python -m dashboard check-claim TEXT...                       check a sentence against the data

User errors (an unknown partner, a year without data, no Chromium for an image) end with one line on
stderr and exit code 2, never a traceback (`--debug` shows it).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from dashboard.settings import Settings, from_env
from etl.store import StoreError, current_store_path

if TYPE_CHECKING:  # the commands import these when they run: serving reports a missing store first
    from dashboard.queries.answers import TradeQueries
    from dashboard.state import ViewState

EXIT_FAILURE = 1
EXIT_USAGE = 2
DEFAULT_BASE_URL = "http://127.0.0.1:8050/"
MAX_COMPARED = 8

SUBCOMMANDS_HELP = """\
commands (run `python -m dashboard COMMAND --help`):
  export       write one chart as PNG, SVG, PDF, HTML, CSV or XLSX (batch reports)
  codes        list the reporter codes, or a reporter's partner codes
  check-claim  check a sentence about the data against the store
"""


class UserError(Exception):
    """A mistake in the command line or a missing prerequisite: one line for the user, exit code 2."""


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else None
    if command == "export":
        return _guarded(export_main, args[1:])
    if command == "codes":
        return _guarded(codes_main, args[1:])
    if command == "check-claim":
        return check_claim_main(args[1:])
    return serve_main(args)


def _guarded(command: Callable[[Sequence[str]], int], argv: list[str]) -> int:
    debug = "--debug" in argv
    try:
        return command(argv)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        if debug:
            raise
        print(f"error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", file=sys.stderr)
        return EXIT_FAILURE


def _store_or_error(settings: Settings) -> Path:
    try:
        store = current_store_path(settings.store_dir)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    if store is None:
        raise UserError(
            f"no trade store is published in {settings.store_dir}. Build it first with `python -m etl refresh` "
            "(or set TRADE_STORE_DIR to a directory that holds a published store)."
        )
    return store


# --- serve -------------------------------------------------------------------------------------------


def serve_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Serve the bilateral trade dashboard on this machine.",
        epilog=SUBCOMMANDS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8050, help="port to listen on (default 8050)")
    parser.add_argument("--debug", action="store_true", help="Dash debug mode: reloader and dev tools (off)")
    args = parser.parse_args(argv)

    settings = from_env(os.environ)
    settings = dataclasses.replace(settings, debug=args.debug or settings.debug)
    try:
        store = current_store_path(settings.store_dir)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if store is None:
        print(
            f"error: no trade store is published in {settings.store_dir}.\n"
            "Build it first with:  python -m etl refresh\n"
            "(or set TRADE_STORE_DIR to a directory that holds a published store)",
            file=sys.stderr,
        )
        return 2

    from dashboard.app import prepared_app  # imported late: a missing store is reported without loading Dash

    app = prepared_app(settings, wait=False)
    print(f"Serving {store.name} on http://{args.host}:{args.port}/  (Ctrl+C to stop)", flush=True)
    app.run(host=args.host, port=args.port, debug=settings.debug)
    return 0


# --- export ------------------------------------------------------------------------------------------


class _OneLineParser(argparse.ArgumentParser):
    """A parser whose usage errors are one line (what is wrong and where to look), exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"error: {message} (see `{self.prog} --help`)\n")


def _export_parser(
    views: Sequence[str], formats: Sequence[str], sizes: Sequence[str], languages: Sequence[str]
) -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="python -m dashboard export",
        description=(
            "Write one chart of the dashboard, or the data behind it, to a file: PNG, SVG and PDF (rendered "
            "by Chromium), a self-contained interactive HTML page, CSV or XLSX (with an About sheet). Every "
            "file names its source, release, definitions and the link of the same view in the dashboard. "
            "The table view exports as CSV or XLSX only."
        ),
        epilog=(
            "examples:\n"
            "  python -m dashboard export --view bilateral --partner ITA --format png --output aze-ita.png\n"
            "  python -m dashboard export --view bilateral --frequency monthly --period 2020-07 --output m.csv\n"
            "  python -m dashboard export --view ranking --period 2019 --measure exports --output top.xlsx\n"
            "  python -m dashboard export --view comparison --partners ITA,TUR,RUS --output cmp.csv\n"
            "  python -m dashboard export --view map --map-measure exports --output map.png\n"
            "  python -m dashboard export --view ranking --size social --lang az --output top-az.png\n"
            "  python -m dashboard export --view bilateral --size a4 --output aze-ita.pdf\n"
            "Codes are ISO alpha-3 (groups: WLD, EUU, ...): `python -m dashboard codes --reporter AZE`."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--view", choices=views, default=views[0], help=f"the chart (default {views[0]})")
    parser.add_argument(
        "--format", choices=formats, help="file format (default: from the --output suffix)", dest="fmt"
    )
    parser.add_argument("--output", required=True, type=Path, help="the file to write")
    parser.add_argument("--reporter", help="whose statistics (default: TRADE_REPORTER or AZE)")
    parser.add_argument(
        "--partner", help="the partner (default: TRADE_PARTNER or ITA); highlighted in ranking"
    )
    parser.add_argument(
        "--period", help="the period: a year (2019) or a month (2020-07) (default: the pair's latest)"
    )
    parser.add_argument("--year", dest="period", help="the same as --period")
    parser.add_argument(
        "--frequency",
        choices=("annual", "monthly", "cumulative"),
        help="annual, monthly or January-month cumulative (default annual)",
    )
    parser.add_argument(
        "--source", help="the source id, e.g. imf_dots (default: the preferred one with data)"
    )
    parser.add_argument(
        "--partners",
        help=f"comparison and rank: up to {MAX_COMPARED} partner codes, comma-separated (ITA,TUR)",
    )
    parser.add_argument(
        "--measure",
        choices=("turnover", "exports", "imports"),
        help="ranking, comparison, table: the measure (turnover)",
    )
    parser.add_argument("--top", type=int, help="ranking: how many partners (10, 15, 20 or 30)")
    parser.add_argument(
        "--map-measure",
        choices=("turnover", "exports", "imports", "balance"),
        help="map: the measure (turnover)",
    )
    parser.add_argument(
        "--size",
        choices=sizes,
        default=sizes[0],
        help="images: default (1200 px wide, the page's chart height), social (a 1200x675 card) or a4 "
        "(an A4 landscape page) (default: default)",
    )
    parser.add_argument(
        "--lang",
        choices=languages,
        help=f"the language of the chart's words ({', '.join(languages)}; default en)",
    )
    parser.add_argument(
        "--base-url",
        default=DEFAULT_BASE_URL,
        help=f"the dashboard's address, for the link each file cites (default {DEFAULT_BASE_URL})",
    )
    parser.add_argument("--debug", action="store_true", help="show the full traceback on failure")
    return parser


def export_main(argv: Sequence[str]) -> int:
    from dashboard import export, registry
    from dashboard.export_layout import SIZE_NAMES
    from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES
    from dashboard.queries.store import QueryStore
    from dashboard.state import to_search

    args = _export_parser(registry.view_names(), export.FORMATS, SIZE_NAMES, LANGUAGES).parse_args(argv)
    fmt = args.fmt or args.output.suffix.lower().lstrip(".")
    if fmt not in export.FORMATS:
        raise UserError(
            f"cannot tell the format from {args.output.name!r}: give --format ({', '.join(export.FORMATS)})"
        )
    chart = registry.chart_by_view(args.view)
    if fmt not in chart.formats:
        raise UserError(f"--view {args.view} exports as {' or '.join(chart.formats)} only, not {fmt}")
    settings = from_env(os.environ)
    _store_or_error(settings)
    queries = QueryStore.from_settings(settings).current()
    engine = export.ImageEngine() if fmt in export.IMAGE_FORMATS else None
    try:
        state = dataclasses.replace(
            _export_state(queries, settings, args), view=chart.tab, lang=args.lang or DEFAULT_LANGUAGE
        )
        link = args.base_url.rstrip("/") + "/" + to_search(state)
        exported = registry.export_chart(
            queries, chart.chart_id, state, fmt=fmt, link=link, engine=engine, size=args.size
        )
    except export.ExportUnavailable as exc:
        raise UserError(str(exc)) from None
    finally:
        if engine is not None:
            engine.close()
        queries.close()
    try:
        args.output.write_bytes(exported.content)
    except OSError as exc:
        raise UserError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    print(
        f"wrote {chart.title.lower()} ({fmt}, {len(exported.content):,} bytes) to {args.output}",
        file=sys.stderr,
    )
    return 0


def _codes(text: str | None) -> list[str]:
    return [code.strip().upper() for code in (text or "").split(",") if code.strip()]


def _export_state(queries: TradeQueries, settings: Settings, args: argparse.Namespace) -> ViewState:
    """The view the options ask for, each option checked against the store (a clear error otherwise)."""
    from dashboard.registry import VIEW_IDS
    from dashboard.state import resolve_view, top_choices

    reporter = (args.reporter or settings.reporter).strip().upper()
    reporters = {area.code: area for area in queries.reporters()}
    if reporter not in reporters:
        raise UserError(
            f"unknown reporter {reporter!r}: the store holds no figures it reports. "
            "List the reporters' codes with: python -m dashboard codes"
        )
    name = reporters[reporter].name
    frequency = args.frequency or "annual"
    frequencies = queries.frequencies(reporter) or ("annual",)
    if frequency not in frequencies:
        raise UserError(
            f"{name} ({reporter}) has no {frequency} figures (frequencies with data: {', '.join(frequencies)})"
        )
    source: str | None = None
    if args.source is not None:
        source = args.source.strip()
        sources = queries.available_sources(reporter, frequency)
        if source not in sources:
            raise UserError(
                f"no {frequency} figures of {name} ({reporter}) from source {source!r} "
                f"(sources with data: {', '.join(sources) or 'none'})"
            )
    chosen_source = queries.source_for(reporter, frequency, wanted=source)
    partners = {
        area.code
        for area in (
            *queries.partner_options(reporter, source=chosen_source),
            *queries.group_options(reporter, source=chosen_source),
        )
    }
    hint = f"List {name}'s partner codes with: python -m dashboard codes --reporter {reporter}"

    partner = args.partner.strip().upper() if args.partner else None
    if partner is not None and partner not in partners:
        raise UserError(f"{name} ({reporter}) reports no trade with {partner!r}. {hint}")
    compare = _codes(args.partners) if args.partners is not None else None
    if compare is not None:
        unknown = [code for code in compare if code not in partners]
        if unknown:
            raise UserError(
                f"{name} ({reporter}) reports no trade with {', '.join(map(repr, unknown))}. {hint}"
            )
        if not compare or len(compare) > MAX_COMPARED:
            raise UserError(f"--partners takes 1 to {MAX_COMPARED} partner codes, comma-separated (ITA,TUR)")

    period: str | None = None
    if args.period is not None:
        period = args.period.strip()
        periods = queries.periods(reporter, frequency=frequency, source=chosen_source)
        if period not in periods:
            span = f"{periods[0]}–{periods[-1]}" if periods else "none"
            raise UserError(
                f"{name} reports no {frequency} figures for {args.period!r} (periods with data: {span}; "
                "a year is 2019, a month 2020-07)"
            )
    choices = top_choices(settings)
    if args.top is not None and args.top not in choices:
        raise UserError(f"--top must be one of {', '.join(map(str, choices))}")

    state = resolve_view(
        queries,
        settings,
        reporter=reporter,
        partner=partner,
        period=period,
        frequency=frequency,
        source=chosen_source,
        measure=args.measure,
        top=args.top,
        compare=compare,
        map_measure=args.map_measure,
        views=VIEW_IDS,
    ).state
    if state.partner is None and args.view in ("bilateral", "mirror"):
        raise UserError(f"{name} ({reporter}) reports no partner at all. {hint}")
    return state


# --- codes -------------------------------------------------------------------------------------------


def codes_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard codes",
        description="List the reporters in the store, or with --reporter that reporter's partners.",
    )
    parser.add_argument("--reporter", help="list this reporter's partners (code, kind, name)")
    parser.add_argument("--debug", action="store_true", help="show the full traceback on failure")
    args = parser.parse_args(argv)
    from dashboard.queries.store import QueryStore

    settings = from_env(os.environ)
    _store_or_error(settings)
    queries = QueryStore.from_settings(settings).current()
    try:
        if args.reporter is None:
            areas = queries.reporters()
            print("Reporters (code, kind, name):")
        else:
            reporter = args.reporter.strip().upper()
            if reporter not in {area.code for area in queries.reporters()}:
                raise UserError(
                    f"unknown reporter {reporter!r}. List the reporters with: python -m dashboard codes"
                )
            areas = queries.partner_options(reporter)
            print(f"Partners of {reporter} (code, kind, name):")
    finally:
        queries.close()
    for area in areas:
        print(f"  {area.code:<5} {area.kind:<12} {area.name}")
    return 0


# --- check-claim ---------------------------------------------------------------------------------------


def check_claim_main(argv: Sequence[str]) -> int:
    """Hands over to `dashboard.claims_cli.main(argv)`, imported only when asked for."""
    try:
        claims_cli = importlib.import_module("dashboard.claims_cli")
    except ModuleNotFoundError as exc:
        if exc.name != "dashboard.claims_cli":
            raise
        print(
            "error: `check-claim` is not available in this installation (the module dashboard/claims_cli.py "
            "is missing).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return int(claims_cli.main(list(argv)))


if __name__ == "__main__":
    sys.exit(main())
