"""`python -m etl`: refresh, parse, export, status, diff and snapshot, with one-paragraph errors and exit codes.

(Over 400 lines: one parser and the six handlers it dispatches to, each a few lines of wiring and printing.)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from etl import schema, store
from etl.http import FetchError
from etl.problems import DataProblems
from etl.reference import Reference
from etl.refresh import orchestration
from etl.refresh.fetch import LIVE_SOURCES, Fetched, fetch_sources, live_sources
from etl.refresh.frames import canonical_with_origin
from etl.refresh.inputs import raw_files
from etl.refresh.parse import parse_files
from etl.refresh.registry import SOURCE_MODULES
from etl.refresh.snapshot import write_snapshot
from etl.settings import Settings
from etl.sources import Selection, imf_dots_excel
from etl.tabular import neutralised
from etl.validate import problems_in

EXIT_FAILURE = 1
XLSX_ROW_LIMIT = 1_048_575

console = Console(stderr=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl",
        description="Bilateral trade ETL: official sources -> tidy table `trade_flows` -> versioned DuckDB store.",
    )
    parser.add_argument("--debug", action="store_true", help="show the full traceback on failure")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    refresh = commands.add_parser(
        "refresh",
        help="fetch the live sources, then build and publish the store from the snapshot and data/raw/",
        description="Ask the live services (IMF SDMX, the statistics committee's files, and UN Comtrade when "
        "COMTRADE_API_KEY is set) and save their replies untouched under data/raw/<source>/<release>/; then build "
        "a new store version from the shipped snapshot and every saved release, and switch to it atomically. "
        "With --offline nothing is fetched; with --input the given files (of one --source format) are ingested. "
        "Nothing is published unless every source answers and every input parses and validates.",
    )
    refresh.add_argument(
        "--offline", action="store_true", help="use only saved files (no live service is called)"
    )
    refresh.add_argument(
        "--input", nargs="+", type=Path, default=[], metavar="FILE", help="files a user downloaded (no fetch)"
    )
    refresh.add_argument(
        "--source",
        action="append",
        choices=sorted(SOURCE_MODULES),
        metavar="SOURCE",
        help="online: fetch only this source (repeatable); with --input: the files' format "
        f"(default imf-dots-xlsx). One of: {', '.join(sorted(SOURCE_MODULES))}",
    )
    refresh.add_argument("--release", help="release name of the --input files (default: the source's own)")
    refresh.add_argument(
        "--reporter", default="AZE", help="online: the economy whose trade is fetched (default AZE)"
    )
    refresh.add_argument(
        "--years",
        default="2000-2025",
        type=_years,
        help="online: first-last year to fetch (default 2000-2025)",
    )
    refresh.add_argument(
        "--no-mirror",
        action="store_true",
        help="online: skip the partners' own reports of trade with --reporter",
    )
    refresh.add_argument(
        "--if-missing", action="store_true", help="do nothing when a store is already published"
    )

    parse = commands.add_parser(
        "parse", help="parse files of a source's native format into the tidy table as CSV, without publishing"
    )
    parse.add_argument("--source", choices=sorted(SOURCE_MODULES), required=True)
    parse.add_argument("--output", type=Path, required=True, metavar="OUT.csv")
    parse.add_argument("--release", help="release name written in the rows (default: the source's own)")
    parse.add_argument("files", nargs="+", type=Path, metavar="FILE")

    export = commands.add_parser("export", help="write the published tidy table to a file")
    export.add_argument("--format", choices=("csv", "parquet", "xlsx"), required=True)
    export.add_argument("--output", type=Path, required=True, metavar="FILE")
    export.add_argument("--reporter", help="only rows of this reporter (ISO alpha-3), e.g. AZE")

    commands.add_parser("status", help="what is published: releases, sources, rows, coverage by reporter")

    diff = commands.add_parser(
        "diff", help="what the latest refresh changed: rows added, removed, revised and the largest revisions"
    )
    diff.add_argument("--source", help="only this source (its `source` value, e.g. imf_imts)")
    diff.add_argument(
        "--limit", type=int, default=10, help="largest revisions listed per source (default 10)"
    )

    snapshot = commands.add_parser(
        "snapshot", help="rebuild data/snapshot (the Azerbaijan-centred tidy table the app ships with)"
    )
    snapshot.add_argument("--input", nargs="+", type=Path, required=True, metavar="FILE")
    snapshot.add_argument("--release", default=imf_dots_excel.DEFAULT_RELEASE)
    return parser


def main(argv: Sequence[str] | None = None, environ: dict[str, str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env(os.environ if environ is None else environ)
    try:
        handler: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
            "parse": _parse,
            "export": _export,
            "status": _status,
            "diff": _diff,
            "snapshot": _snapshot,
        }
        if args.command == "refresh":
            return _refresh(args, settings, os.environ if environ is None else environ)
        return handler[args.command](args, settings)
    except (DataProblems, store.StoreError, FetchError, OSError, ValueError) as exc:
        if args.debug:
            raise
        unchanged = (
            "" if args.command not in {"refresh", "snapshot"} else " The published store is unchanged."
        )
        console.print(
            f"[bold red]error:[/] {escape(str(exc))}{unchanged}", markup=True, highlight=False, soft_wrap=True
        )
        return EXIT_FAILURE
    except KeyboardInterrupt:
        console.print("interrupted; the published store is unchanged")
        return 130
    except Exception as exc:  # a defect of ours: still one paragraph, and the store is unchanged
        if args.debug:
            raise
        console.print(
            f"[bold red]internal error:[/] {type(exc).__name__}: {exc}. The published store is unchanged. "
            "Rerun with --debug for the traceback and report it.",
            markup=True,
            highlight=False,
        )
        return EXIT_FAILURE


class _Bar:
    """A rich progress bar over files, passed to the refresh as a plain callable."""

    def __init__(self, total: int, label: str) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[file]}"),
            console=console,
            transient=True,
        )
        self.task = self.progress.add_task(label, total=total, file="")

    def __enter__(self) -> _Bar:
        self.progress.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.progress.stop()

    def __call__(self, name: str) -> None:
        self.progress.update(self.task, advance=1, file=name)


def _years(text: str) -> tuple[int, int]:
    first, _, last = text.partition("-")
    try:
        years = (int(first), int(last or first))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year range such as 2010-2025") from None
    if not 1948 <= years[0] <= years[1] <= 2100:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year range such as 2010-2025")
    return years


class _FetchBars:
    """One progress line per source, advanced once per request, passed to the refresh as a callable."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed} request(s)"),
            TimeElapsedColumn(),
            TextColumn("{task.fields[step]}"),
            console=console,
            transient=False,
        )
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> _FetchBars:
        self.progress.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.progress.stop()

    def __call__(self, source: str, step: str) -> None:
        if source not in self.tasks:
            self.tasks[source] = self.progress.add_task(f"fetching {source}", total=None, step="")
        self.progress.update(self.tasks[source], advance=1, step=step[-60:])


def _refresh(args: argparse.Namespace, settings: Settings, environ: Mapping[str, str]) -> int:
    if args.if_missing and store.current_store_path(settings.store_dir) is not None:
        console.print(f"store already published at {store.current_store_path(settings.store_dir)}")
        return 0
    sources = args.source or []
    if args.input and len(sources) > 1:
        raise ValueError("--input takes files of one format: give a single --source")
    input_source = sources[0] if args.input and sources else "imf-dots-xlsx"
    to_fetch: list[str] = []
    if not args.offline and not args.input:
        to_fetch, skipped = live_sources(sources, environ)
        for item in skipped:
            console.print(f"  {item.source}: skipped ({item.skipped}); see README, 'Sources'")
        not_live = [name for name in to_fetch if name not in LIVE_SOURCES]
        if not_live and sources:
            console.print(f"  {', '.join(not_live)}: no live service; asking anyway gives the reason")
    started = time.perf_counter()
    selection = Selection(
        reporters=(args.reporter.strip().upper(),),
        mirror=not args.no_mirror,
        first_year=args.years[0],
        last_year=args.years[1],
    )
    with _FetchBars() as fetch_bars:
        fetched = fetch_sources(settings, to_fetch, selection=selection, environ=environ, progress=fetch_bars)
    for item in fetched:
        console.print(f"  {item.source}: release {item.release}, {len(item.files)} reply/file(s) saved")
    raw = raw_files(settings.raw_dir)
    total = len(args.input) + sum(len(files) for releases in raw.values() for _, files in releases)
    with _Bar(total, "parsing") as bar:
        report = orchestration.refresh(
            settings, inputs=args.input, source=input_source, release=args.release, progress=bar
        )
    for note in report.notes:
        console.print(f"  {note}")
    console.print(_summary(report, fetched))
    elapsed = time.perf_counter() - started
    console.print(
        f"store {report.publication.path} ({report.publication.trade_flow_rows:,} rows) in {elapsed:.1f} s"
    )
    return 0


def _summary(report: orchestration.RefreshReport, fetched: Sequence[Fetched]) -> Table:
    """Per source: what was fetched now, rows published, and what its newest release changed."""
    table = Table(title="published")
    for column in ("source", "fetched now", "rows", "newest release", "added", "removed", "revised"):
        table.add_column(
            column, justify="right" if column in {"rows", "added", "removed", "revised"} else "left"
        )
    by_source = {SOURCE_MODULES[f.source].INFO.source: f for f in fetched}
    releases = (
        report.releases if report.releases is not None else pd.DataFrame(columns=schema.RELEASE_COLUMNS)
    )
    for source, rows in sorted(report.rows_by_source.items()):
        newest = releases[releases[schema.SOURCE] == source].tail(1)
        item = by_source.get(source)
        cells = ["", "", "", ""]
        if not newest.empty:
            line = newest.iloc[0]
            cells = [
                str(line[schema.RELEASE]),
                f"{int(line['rows_added']):,}",
                f"{int(line['rows_removed']):,}",
                f"{int(line['rows_revised']):,}",
            ]
        table.add_row(
            source, f"{item.release} ({len(item.files)} files)" if item else "—", f"{rows:,}", *cells
        )
    return table


def _parse(args: argparse.Namespace, settings: Settings) -> int:
    reference = Reference(settings.reference_dir)
    with _Bar(len(args.files), "parsing") as bar:
        parsed = parse_files(
            args.files,
            source=args.source,
            release=args.release or str(SOURCE_MODULES[args.source].DEFAULT_RELEASE),
            reference=reference,
            progress=bar,
        )
    problems = parsed.problems + problems_in(parsed.frame, areas=reference.areas())
    if problems:
        raise DataProblems(problems)
    frame = canonical_with_origin(parsed.frame)
    _write_csv(frame, args.output)
    console.print(f"{len(frame):,} rows written to {args.output}")
    for note in parsed.notes:
        console.print(f"  {note}")
    return 0


def _published(settings: Settings, table: str) -> pd.DataFrame:
    frame = store.read_published(settings.store_dir, table)
    if frame is None:
        raise store.StoreError(
            f"nothing is published in {settings.store_dir}; run `python -m etl refresh` first"
        )
    return frame


def _export(args: argparse.Namespace, settings: Settings) -> int:
    frame = _published(settings, schema.TRADE_FLOWS)
    if args.reporter:
        frame = frame[frame[schema.REPORTER] == args.reporter.upper()]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    if args.format == "csv":
        _write_csv(frame, args.output)
    elif args.format == "parquet":
        frame.to_parquet(args.output, index=False)
    else:
        if len(frame) > XLSX_ROW_LIMIT:
            raise ValueError(
                f"{len(frame):,} rows do not fit one Excel sheet ({XLSX_ROW_LIMIT:,} max); "
                "use --format csv or parquet, or --reporter to select fewer rows"
            )
        neutralised(frame).to_excel(
            args.output, index=False, sheet_name=schema.TRADE_FLOWS, engine="openpyxl"
        )
    console.print(f"{len(frame):,} rows written to {args.output}")
    return 0


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    neutralised(frame).to_csv(path, index=False)


def _status(args: argparse.Namespace, settings: Settings) -> int:
    path = store.current_store_path(settings.store_dir)
    if path is None:
        raise store.StoreError(
            f"nothing is published in {settings.store_dir}; run `python -m etl refresh` first"
        )
    out = _report_console()
    out.print(f"published store: {path} (published {_published_at(path)})")
    for cli_name, saved in raw_files(settings.raw_dir).items():
        listed = ", ".join(f"{release} ({len(files)} files)" for release, files in saved)
        out.print(f"saved raw releases of {cli_name}: {listed}")
    releases = store.read_table(path, schema.RELEASES)
    shown = ["source", "release", "rows", "rows_added", "rows_removed", "rows_revised"]
    table = Table(title="releases (changes against the version published before)")
    for column in shown:
        table.add_column(
            column.replace("rows_", ""), justify="right" if column.startswith("rows") else "left"
        )
    for record in releases[shown].itertuples(index=False):
        table.add_row(*(f"{v:,}" if not isinstance(v, str) else v for v in record))
    out.print(table)
    sources = store.read_table(path, schema.SOURCES)
    for row in sources.itertuples(index=False):
        out.print(f"{row.source}: {row.title} — {row.publisher}; {row.licence}; {row.attribution}")
    flows = store.read_table(path, schema.TRADE_FLOWS)
    years = flows[schema.PERIOD_START].str.slice(0, 4)
    coverage = (
        flows.assign(year=years)
        .groupby(schema.REPORTER)
        .agg(
            rows=(schema.VALUE_USD, "size"),
            partners=(schema.PARTNER, "nunique"),
            first=("year", "min"),
            last=("year", "max"),
        )
        .sort_values("rows", ascending=False)
    )
    out.print(f"{len(flows):,} rows, {len(coverage)} reporters, years {years.min()}–{years.max()}")
    table = Table(title="coverage by reporter (largest 15)")
    for column in ("reporter", "rows", "partners", "years"):
        table.add_column(column)
    for reporter, line in coverage.head(15).iterrows():
        table.add_row(
            str(reporter), f"{line['rows']:,}", str(line["partners"]), f"{line['first']}–{line['last']}"
        )
    out.print(table)
    return 0


def _report_console() -> Console:
    # Reports piped to a file or another program are not cut to rich's default 80 columns.
    return Console() if sys.stdout.isatty() else Console(width=160)


def _published_at(path: Path) -> str:
    """The UTC time in a store version's name (trade-YYYYMMDDTHHMMSSffffffZ-hash.duckdb)."""
    stamp = path.name.removeprefix("trade-")[:15]
    return f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]} {stamp[9:11]}:{stamp[11:13]}:{stamp[13:15]} UTC"


def _diff(args: argparse.Namespace, settings: Settings) -> int:
    path = store.current_store_path(settings.store_dir)
    if path is None:
        raise store.StoreError(
            f"nothing is published in {settings.store_dir}; run `python -m etl refresh` first"
        )
    releases = store.read_table(path, schema.RELEASES)
    try:
        revisions = store.read_table(path, schema.REVISIONS)
    except Exception as exc:  # a store published before revisions were recorded
        raise store.StoreError(
            f"{path.name} records no revisions (published by an older version); run `python -m etl refresh`"
        ) from exc
    if args.source:
        releases = releases[releases[schema.SOURCE] == args.source]
        revisions = revisions[revisions[schema.SOURCE] == args.source]
        if releases.empty:
            known = ", ".join(sorted(store.read_table(path, schema.RELEASES)[schema.SOURCE].unique()))
            raise ValueError(f"no source {args.source!r} in the published store; sources: {known}")
    out = _report_console()
    out.print(f"published store: {path.name} (changes against the version published before it)")
    for source, group in releases.groupby(schema.SOURCE, sort=True):
        out.print(f"\n[bold]{escape(str(source))}[/]")
        for line in group.itertuples(index=False):
            out.print(
                f"  release {line.release}: {line.rows:,} rows; {line.rows_added:,} added, "
                f"{line.rows_removed:,} removed, {line.rows_revised:,} revised"
            )
        largest = revisions[revisions[schema.SOURCE] == source].head(args.limit)
        if largest.empty:
            out.print("  no value revised")
            continue
        table = Table(title=f"largest revisions of {source}", title_justify="left")
        for column in ("reporter", "partner", "flow", "period", "before (USD)", "after (USD)", "change"):
            table.add_column(column, justify="right" if column[0] in "bac" else "left")
        for r in largest.to_dict("records"):
            before, after = float(r[schema.VALUE_BEFORE]), float(r[schema.VALUE_USD])
            relative = f" ({(after - before) / before:+.1%})" if before else ""
            period = (
                r[schema.PERIOD_START]
                if r[schema.PERIOD_START] == r[schema.PERIOD_END]
                else (f"{r[schema.PERIOD_START]}..{r[schema.PERIOD_END]}")
            )
            table.add_row(
                str(r[schema.REPORTER]),
                str(r[schema.PARTNER]),
                str(r[schema.FLOW]),
                str(period),
                f"{before:,.0f}",
                f"{after:,.0f}",
                f"{after - before:+,.0f}{relative}",
            )
        out.print(table)
    return 0


def _snapshot(args: argparse.Namespace, settings: Settings) -> int:
    reference = Reference(settings.reference_dir)
    with _Bar(len(args.input), "parsing") as bar:
        parsed = parse_files(
            args.input, source="imf-dots-xlsx", release=args.release, reference=reference, progress=bar
        )
    problems = parsed.problems + problems_in(parsed.frame, areas=reference.areas())
    if problems:
        raise DataProblems(problems)
    path = write_snapshot(
        parsed.frame, snapshot_dir=settings.snapshot_dir, inputs=args.input, release=args.release
    )
    console.print(f"snapshot written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
